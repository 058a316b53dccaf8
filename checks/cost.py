"""Monthly run-rate estimate of a plan: per resource, per module and per account root.

Two columns for every line: ``planned`` (the desired / initial capacity the plan sets)
and ``maximum`` (the most the plan allows: node group max_size, autoscaling max capacity).
Unit prices come from a dated price list (``policies/prices.yaml``); quantities a plan
cannot know (GB stored, tokens a day, hours a training group runs) come from a usage file.

Money is computed in :class:`decimal.Decimal`: each line is rounded to the cent
(half up) and totals are sums of rounded lines, so that a report adds up to the cent.

A resource whose price is missing, or whose capacity is known only after apply, is
``not_priced`` (never $0); a resource priced by usage only is ``usage_required`` until the
usage file gives its quantity; types that carry no charge of their own are ``free``.

Rules get the estimate through :func:`estimate_for`, computed once per plan and stored
on it (``genai-lz check`` attaches the one it computed with ``--prices/--usage``).
"""
from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from checks.errors import DataFileError
from checks.plan import ROOT_ADDRESS, Plan, Resource
from checks.schema import POLICIES_DIR, load_yaml
from checks.values import UNKNOWN

DEFAULT_PRICES = POLICIES_DIR / "prices.yaml"
CENT = Decimal("0.01")
# AWS's convention (pricing pages, Pricing Calculator): 8,760 hours a year / 12 = 730 hours a month.
DEFAULT_HOURS_PER_MONTH = 730
# Usage files the estimate takes when none is given: policies/usage/<environment>.yaml, the
# environment read from the plan's root variable `environment`.
DEFAULT_USAGE_DIR = POLICIES_DIR / "usage"
DEFAULT_SPOT_DISCOUNT = Decimal("0.6")

# statuses of a line
PRICED, NOT_PRICED, USAGE_REQUIRED, FREE = "priced", "not_priced", "usage_required", "free"

# Types that carry no charge of their own (configuration, identity, routing, grouping).
FREE_TYPES = frozenset({
    "aws_iam_role", "aws_iam_role_policy", "aws_iam_policy", "aws_iam_role_policy_attachment",
    "aws_iam_account_password_policy", "aws_iam_instance_profile", "aws_iam_openid_connect_provider",
    "aws_kms_alias", "aws_vpc", "aws_subnet", "aws_route_table", "aws_route_table_association", "aws_route",
    "aws_internet_gateway", "aws_security_group", "aws_default_security_group",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_security_group_rule",
    "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_policy", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_logging", "aws_s3_account_public_access_block",
    "aws_ebs_encryption_by_default", "aws_ebs_default_kms_key", "aws_launch_template", "aws_placement_group",
    "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_sns_topic_policy",
    "aws_sagemaker_endpoint_configuration", "aws_sagemaker_model", "aws_sagemaker_domain",
    "aws_sagemaker_user_profile", "aws_appautoscaling_target", "aws_appautoscaling_policy",
    "aws_budgets_budget", "aws_budgets_budget_action", "aws_ce_anomaly_monitor", "aws_ce_anomaly_subscription",
    "aws_bedrock_model_invocation_logging_configuration", "aws_bedrock_guardrail_version",
    "aws_accessanalyzer_analyzer", "aws_organizations_organization", "aws_organizations_organizational_unit",
    "aws_organizations_account", "aws_organizations_policy", "aws_organizations_policy_attachment",
    "aws_config_delivery_channel", "aws_config_configuration_recorder_status", "aws_flow_log",
    "aws_guardduty_detector_feature", "aws_securityhub_standards_subscription", "aws_sns_topic_subscription",
    "aws_s3_bucket_notification", "aws_cloudwatch_log_resource_policy", "aws_iam_service_linked_role",
    # EKS add-ons and Pod Identity associations: no charge of their own (the pods run on the nodes).
    "aws_eks_addon", "aws_eks_pod_identity_association",
    # tags on an Auto Scaling group (the cluster autoscaler's node templates): no charge
    "aws_autoscaling_group_tag",
    # multi-account foundation: organization features, Identity Center, StackSets of AWS::
    # resources, delegation and organization configurations carry no charge of their own
    "aws_organizations_delegated_administrator", "aws_ssoadmin_permission_set",
    "aws_ssoadmin_permission_set_inline_policy", "aws_ssoadmin_managed_policy_attachment",
    "aws_ssoadmin_account_assignment", "aws_cloudformation_stack_set", "aws_cloudformation_stack_set_instance",
    "aws_guardduty_organization_admin_account", "aws_guardduty_organization_configuration",
    "aws_guardduty_organization_configuration_feature", "aws_securityhub_organization_admin_account",
    "aws_securityhub_organization_configuration", "aws_config_configuration_aggregator",
    "aws_s3_bucket_object_lock_configuration",
})

# Billed by usage only: priced when the usage file says how much (or listed as such).
USAGE_TYPES: dict[str, str] = {
    "aws_cloudtrail": "events delivered beyond the free management-event copy",
    "aws_guardduty_detector": "events and data analysed",
    "aws_config_configuration_recorder": "configuration items recorded",
    "aws_securityhub_account": "security checks and findings ingested",
    "aws_sns_topic": "requests and deliveries",
    # the replicas' storage is billed where they land (the log-archive account)
    "aws_s3_bucket_replication_configuration": "replication PUT requests and inter-Region transfer of replicated objects",
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --------------------------------------------------------------------------------------
# prices


@dataclass(frozen=True)
class Price:
    key: str
    unit: str
    price: Decimal
    region: str
    currency: str
    effective_date: str
    source: str


@dataclass(frozen=True)
class PriceBook:
    file: str
    sha256: str
    version: str
    region: str
    currency: str
    entries: Mapping[tuple[str, str], Price]

    def get(self, key: str, region: str) -> Price | None:
        return self.entries.get((key, region))


def load_prices(path: str | Path | None = None) -> PriceBook:
    """Read and validate a price list; a duplicate key in one region is a DataFileError."""
    file = Path(path) if path else DEFAULT_PRICES
    document = load_yaml(file, "prices.schema.json")
    entries: dict[tuple[str, str], Price] = {}
    for i, item in enumerate(document["prices"]):
        ident = (item["key"], item["region"])
        if ident in entries:
            raise DataFileError(str(file), f"prices[{i}].key", f"duplicate price {item['key']!r} for {item['region']}")
        entries[ident] = Price(item["key"], item["unit"], dec(item["price"]), item["region"], item["currency"],
                               item["effective_date"], item["source"])
    return PriceBook(str(file), hashlib.sha256(file.read_bytes()).hexdigest(), str(document["version"]),
                     document["region"], document["currency"], entries)


# --------------------------------------------------------------------------------------
# usage


@dataclass(frozen=True)
class Usage:
    file: str | None = None
    sha256: str | None = None
    resources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    types: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    bedrock: tuple[Mapping[str, Any], ...] = ()
    items: tuple[Mapping[str, Any], ...] = ()

    @property
    def provided(self) -> bool:
        return self.file is not None

    def for_resource(self, resource: Resource) -> tuple[Mapping[str, Any], str | None]:
        """(quantities, where they came from) for a resource: address, glob, then type."""
        for key in (resource.address, resource.config_address):
            if key in self.resources:
                return self.resources[key], f"usage resources[{key!r}]"
        for pattern, quantities in self.resources.items():
            if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(resource.address, pattern):
                return quantities, f"usage resources[{pattern!r}]"
        if resource.type in self.types:
            return self.types[resource.type], f"usage types[{resource.type}]"
        return {}, None


def default_usage_file(plan: Plan) -> Path | None:
    """policies/usage/<environment>.yaml for a plan whose root variable `environment` names one that exists."""
    variables = plan.document.get("variables")
    environment = ((variables or {}).get("environment") or {}).get("value") if isinstance(variables, dict) else None
    if not isinstance(environment, str) or not environment.replace("-", "").isalnum():
        return None
    file = DEFAULT_USAGE_DIR / f"{environment.lower()}.yaml"
    return file if file.is_file() else None


def load_usage(path: str | Path | None) -> Usage:
    if path is None:
        return Usage()
    file = Path(path)
    document = load_yaml(file, "usage.schema.json")
    return Usage(
        file=str(file),
        sha256=hashlib.sha256(file.read_bytes()).hexdigest(),
        resources=document.get("resources") or {},
        types=document.get("types") or {},
        bedrock=tuple(document.get("bedrock") or ()),
        items=tuple(document.get("items") or ()),
    )


# --------------------------------------------------------------------------------------
# settings from params


@dataclass(frozen=True)
class Settings:
    hours_per_month: Decimal
    hours_source: str
    spot_discount: Decimal
    budget_fit_threshold: Decimal
    worst_case_budget_multiple: Decimal

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "Settings":
        cost = params.get("cost") or {}
        hours = cost.get("hours_per_month")
        return cls(
            hours_per_month=dec(hours if hours is not None else DEFAULT_HOURS_PER_MONTH),
            hours_source="params cost.hours_per_month" if hours is not None else "built-in default (AWS: 8,760 h / 12)",
            spot_discount=dec(cost.get("spot_discount", DEFAULT_SPOT_DISCOUNT)),
            budget_fit_threshold=dec(cost.get("budget_fit_threshold", 1)),
            worst_case_budget_multiple=dec(cost.get("worst_case_budget_multiple", 1)),
        )


# --------------------------------------------------------------------------------------
# lines


@dataclass
class Line:
    address: str
    type: str
    module: str
    status: str
    description: str = ""
    planned: Decimal | None = None
    maximum: Decimal | None = None
    price_keys: list[str] = field(default_factory=list)
    reason: str = ""
    capacity: bool = False  # scales with a capacity setting (node group, endpoint, ASG)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "address": self.address, "type": self.type, "module": self.module or ROOT_ADDRESS,
            "status": self.status, "description": self.description,
            "planned": _num(self.planned), "maximum": _num(self.maximum),
            "price_keys": list(self.price_keys), "capacity": self.capacity,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(money(value))


def _fmt(value: Decimal) -> str:
    return f"${money(value):,.2f}"


class _Context:
    def __init__(self, plan: Plan, prices: PriceBook, usage: Usage, settings: Settings, region: str) -> None:
        self.plan, self.prices, self.usage, self.settings, self.region = plan, prices, usage, settings, region
        self.hours = settings.hours_per_month
        self.assumptions: set[str] = set()

    def price(self, key: str) -> Price | None:
        return self.prices.get(key, self.region)


def _line(r: Resource, status: str, **kw: Any) -> Line:
    return Line(address=r.address, type=r.type, module=r.module_address, status=status, **kw)


def _known_int(value: Any) -> int | None:
    if value is UNKNOWN or value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- compute ----------------------------------------------------------------------------


def _node_group_types(r: Resource) -> tuple[list[str] | None, str]:
    types = r.get("instance_types")
    if isinstance(types, list) and types and all(isinstance(t, str) for t in types):
        return types, "instance_types"
    for path in ("launch_template.id", "launch_template.name"):
        for lt in r.references(path, "aws_launch_template"):
            itype = lt.get("instance_type")
            if isinstance(itype, str) and itype:
                return [itype], f"instance_type of {lt.address}"
    if types is UNKNOWN:
        return None, "instance_types known only after apply"
    return None, "no instance type in the node group or its launch template"


def _instances_line(ctx: _Context, r: Resource, itypes: list[str], planned_count: int, max_count: int,
                    spot: bool, what: str, prefix: str = "ec2:") -> Line:
    """Instance-hours line: planned uses the first type, maximum the dearest listed type."""
    keys = [f"{prefix}{t}" for t in itypes]
    missing = [k for k in keys if ctx.price(k) is None]
    if missing:
        return _line(r, NOT_PRICED, description=what, price_keys=keys, capacity=True,
                     reason=f"no price for {', '.join(missing)} in {ctx.region}")
    quantities, source = ctx.usage.for_resource(r)
    hours = min(dec(quantities.get("hours_per_month", ctx.hours)), ctx.hours)
    count = dec(quantities["instances"]) if "instances" in quantities else dec(planned_count)
    first = ctx.price(keys[0]).price  # type: ignore[union-attr]
    dearest = max(ctx.price(k).price for k in keys)  # type: ignore[union-attr]
    factor = Decimal(1)
    if spot:
        factor = Decimal(1) - ctx.settings.spot_discount
        ctx.assumptions.add(
            f"SPOT capacity is priced at {money((Decimal(1) - ctx.settings.spot_discount) * 100)}% of on-demand "
            f"(params cost.spot_discount = {ctx.settings.spot_discount}) in the planned column; the maximum column "
            "uses on-demand, the most a SPOT instance can cost")
    planned = money(count * first * hours * factor)
    maximum = money(dec(max_count) * dearest * ctx.hours)
    desc = f"{what}: {count} x {itypes[0]}{' SPOT' if spot else ''} x {hours} h"
    if source:
        desc += f" ({source})"
    desc += f"; max {max_count} x {max(itypes, key=lambda t: ctx.price(prefix + t).price)} x {ctx.hours} h"  # type: ignore[union-attr]
    return _line(r, PRICED, description=desc, planned=planned, maximum=max(planned, maximum),
                 price_keys=keys, capacity=True)


def _eks_node_group(ctx: _Context, r: Resource) -> Line:
    itypes, where = _node_group_types(r)
    if itypes is None:
        return _line(r, NOT_PRICED, description="EKS managed node group", capacity=True, reason=where)
    desired = _known_int(r.get("scaling_config.desired_size"))
    maximum = _known_int(r.get("scaling_config.max_size"))
    if desired is None or maximum is None:
        return _line(r, NOT_PRICED, description="EKS managed node group", capacity=True,
                     reason="scaling_config desired_size/max_size known only after apply")
    capacity_type = r.get("capacity_type")
    if capacity_type is UNKNOWN:
        return _line(r, NOT_PRICED, description="EKS managed node group", capacity=True,
                     reason="capacity_type known only after apply")
    return _instances_line(ctx, r, itypes, desired, maximum, capacity_type == "SPOT",
                           f"EKS node group ({where})")


def _autoscaling_group(ctx: _Context, r: Resource) -> Line:
    itypes: list[str] | None = None
    for lt in r.references("launch_template.id", "aws_launch_template") + \
            r.references("launch_template.name", "aws_launch_template"):
        itype = lt.get("instance_type")
        if isinstance(itype, str):
            itypes = [itype]
            break
    overrides = [o.get("instance_type") for o in r.blocks("mixed_instances_policy.launch_template.override")]
    if not itypes and overrides and all(isinstance(t, str) for t in overrides):
        itypes = overrides
    desired = _known_int(r.get("desired_capacity"))
    if desired is None and not r.is_unknown("desired_capacity"):
        desired = _known_int(r.get("min_size"))
    maximum = _known_int(r.get("max_size"))
    if not itypes or desired is None or maximum is None:
        return _line(r, NOT_PRICED, description="Auto Scaling group", capacity=True,
                     reason="instance type or capacity not known at plan time")
    return _instances_line(ctx, r, itypes, desired, maximum, False, "Auto Scaling group")


def _instance(ctx: _Context, r: Resource) -> Line:
    itype = r.get("instance_type")
    if not isinstance(itype, str):
        return _line(r, NOT_PRICED, description="EC2 instance", reason="instance_type known only after apply")
    spot = bool(r.blocks("instance_market_options"))
    return _instances_line(ctx, r, [itype], 1, 1, spot, "EC2 instance")


def _sagemaker_endpoint(ctx: _Context, r: Resource) -> Line:
    configs = r.references("endpoint_config_name", "aws_sagemaker_endpoint_configuration")
    if not configs:
        name = r.get("endpoint_config_name")
        configs = [c for c in ctx.plan.of_type("aws_sagemaker_endpoint_configuration")
                   if isinstance(name, str) and c.get("name") == name]
    if not configs:
        return _line(r, NOT_PRICED, description="SageMaker endpoint", capacity=True,
                     reason="its endpoint configuration is not in the plan")
    config = next((c for c in configs if c.index == r.index), configs[0]) if len(configs) > 1 else configs[0]
    variants = config.blocks("production_variants")
    targets = [t for t in r.referenced_by("aws_appautoscaling_target", "resource_id")
               if t.get("service_namespace") == "sagemaker"]
    planned_total, max_total = Decimal(0), Decimal(0)
    keys: list[str] = []
    parts: list[str] = []
    for variant in variants:
        itype = variant.get("instance_type")
        if variant.get("serverless_config") not in (None, [], UNKNOWN) and not isinstance(itype, str):
            return _line(r, USAGE_REQUIRED, description="SageMaker serverless endpoint", capacity=True,
                         reason="serverless inference is billed per request duration (add a usage item)")
        count = _known_int(variant.get("initial_instance_count"))
        if not isinstance(itype, str) or count is None:
            return _line(r, NOT_PRICED, description="SageMaker endpoint", capacity=True,
                         reason="variant instance type or count known only after apply")
        key = f"sagemaker:{itype}"
        keys.append(key)
        price = ctx.price(key)
        if price is None:
            return _line(r, NOT_PRICED, description=f"SageMaker endpoint {count} x {itype}", capacity=True,
                         price_keys=keys, reason=f"no price for {key} in {ctx.region}")
        vname = variant.get("variant_name")
        max_count = count
        for target in targets:
            rid = target.get("resource_id")
            if not isinstance(rid, str) or not isinstance(vname, str) or rid.endswith(f"/variant/{vname}"):
                cap = _known_int(target.get("max_capacity"))
                if cap is None:
                    return _line(r, NOT_PRICED, description="SageMaker endpoint", capacity=True, price_keys=keys,
                                 reason=f"{target.address} max_capacity known only after apply")
                max_count = max(max_count, cap)
        planned_total += money(dec(count) * price.price * ctx.hours)
        max_total += money(dec(max_count) * price.price * ctx.hours)
        parts.append(f"{count} x {itype} (max {max_count})")
    if not variants:
        return _line(r, NOT_PRICED, description="SageMaker endpoint", capacity=True,
                     reason=f"{config.address} has no production variant in the plan")
    return _line(r, PRICED, description=f"SageMaker real-time endpoint: {', '.join(parts)} x {ctx.hours} h",
                 planned=planned_total, maximum=max_total, price_keys=keys, capacity=True)


def _hourly(key: str, what: str) -> Callable[[_Context, Resource], Line]:
    def price(ctx: _Context, r: Resource) -> Line:
        p = ctx.price(key)
        if p is None:
            return _line(r, NOT_PRICED, description=what, price_keys=[key], reason=f"no price for {key} in {ctx.region}")
        value = money(p.price * ctx.hours)
        return _line(r, PRICED, description=f"{what}: {ctx.hours} h", planned=value, maximum=value, price_keys=[key])
    return price


def _with_usage(base: Line, ctx: _Context, r: Resource, quantity: str, key: str, what: str) -> Line:
    quantities, source = ctx.usage.for_resource(r)
    if quantity not in quantities or base.status != PRICED:
        return base
    p = ctx.price(key)
    if p is None:
        base.status, base.reason = NOT_PRICED, f"no price for {key} in {ctx.region}"
        base.price_keys.append(key)
        return base
    extra = money(dec(quantities[quantity]) * p.price)
    base.planned = (base.planned or Decimal(0)) + extra
    base.maximum = (base.maximum or Decimal(0)) + extra
    base.price_keys.append(key)
    base.description += f" + {quantities[quantity]} {what} ({source})"
    return base


def _nat_gateway(ctx: _Context, r: Resource) -> Line:
    return _with_usage(_hourly("nat:hour", "NAT gateway")(ctx, r), ctx, r, "processed_gb", "nat:gb", "GB processed")


def _vpc_endpoint(ctx: _Context, r: Resource) -> Line:
    kind = r.get("vpc_endpoint_type")
    if kind is UNKNOWN:
        return _line(r, NOT_PRICED, description="VPC endpoint", reason="vpc_endpoint_type known only after apply")
    if kind in (None, "Gateway"):
        return _line(r, FREE, description="gateway VPC endpoint (no charge)")
    if kind != "Interface":
        return _line(r, NOT_PRICED, description=f"{kind} VPC endpoint", reason=f"no cost model for {kind} endpoints")
    subnets = r.get("subnet_ids")
    if isinstance(subnets, list) and subnets and all(isinstance(s, str) for s in subnets):
        azs, where = len(subnets), "subnet_ids"
    else:
        referenced = r.references("subnet_ids", "aws_subnet")
        if not referenced:
            return _line(r, NOT_PRICED, description="interface VPC endpoint",
                         reason="number of subnets (one ENI per AZ) known only after apply")
        azs, where = len(referenced), f"{len(referenced)} subnet(s) referenced by subnet_ids"
    key = "vpce:interface-az-hour"
    p = ctx.price(key)
    if p is None:
        return _line(r, NOT_PRICED, description="interface VPC endpoint", price_keys=[key],
                     reason=f"no price for {key} in {ctx.region}")
    value = money(dec(azs) * p.price * ctx.hours)
    line = _line(r, PRICED, description=f"interface VPC endpoint: {azs} AZ x {ctx.hours} h ({where})",
                 planned=value, maximum=value, price_keys=[key])
    return _with_usage(line, ctx, r, "processed_gb", "vpce:gb", "GB processed")


def _kms_key(ctx: _Context, r: Resource) -> Line:
    key = "kms:key"
    p = ctx.price(key)
    if p is None:
        return _line(r, NOT_PRICED, description="KMS key", price_keys=[key], reason=f"no price for {key} in {ctx.region}")
    ctx.assumptions.add("KMS keys are priced at one key-month each; rotated key versions and API requests are not included")
    return _line(r, PRICED, description="KMS key: 1 key-month", planned=p.price, maximum=p.price, price_keys=[key])


def _usage_only(quantity: str, key: str, what: str, unit: str) -> Callable[[_Context, Resource], Line]:
    def price(ctx: _Context, r: Resource) -> Line:
        quantities, source = ctx.usage.for_resource(r)
        if quantity not in quantities:
            return _line(r, USAGE_REQUIRED, description=what, price_keys=[key],
                         reason=f"billed by {unit}: give {quantity} in the usage file")
        p = ctx.price(key)
        if p is None:
            return _line(r, NOT_PRICED, description=what, price_keys=[key], reason=f"no price for {key} in {ctx.region}")
        value = money(dec(quantities[quantity]) * p.price)
        return _line(r, PRICED, description=f"{what}: {quantities[quantity]} {unit} ({source})",
                     planned=value, maximum=value, price_keys=[key])
    return price


def _s3_bucket(ctx: _Context, r: Resource) -> Line:
    line = _usage_only("storage_gb", "s3:standard-gb-month", "S3 Standard storage", "GB-month")(ctx, r)
    return _with_usage(line, ctx, r, "egress_gb", "egress:internet-gb", "GB egress")


def _metric_alarm(ctx: _Context, r: Resource) -> Line:
    """Flat price per alarm-month: standard (period >= 60 s) or high resolution (10 / 30 s)."""
    period = _known_int(r.get("period"))
    periods = [period] if period is not None else [
        _known_int(q.get("period")) for m in r.blocks("metric_query") for q in m.blocks("metric")]
    high_resolution = any(p is not None and p < 60 for p in periods)
    key = "cloudwatch:alarm-high-resolution" if high_resolution else "cloudwatch:alarm-standard"
    p = ctx.price(key)
    if p is None:
        return _line(r, NOT_PRICED, description="CloudWatch metric alarm", price_keys=[key],
                     reason=f"no price for {key} in {ctx.region}")
    what = "high-resolution" if high_resolution else "standard-resolution"
    return _line(r, PRICED, description=f"CloudWatch {what} metric alarm: 1 alarm-month",
                 planned=p.price, maximum=p.price, price_keys=[key])


# Guardrail policies billed per 1,000 text units evaluated (word filters and regex entities are free).
GUARDRAIL_POLICY_PRICES = {
    "content_policy_config": "bedrock-guardrail:content-filter",
    "topic_policy_config": "bedrock-guardrail:denied-topic",
    "sensitive_information_policy_config.pii_entities_config": "bedrock-guardrail:sensitive-information",
    "contextual_grounding_policy_config": "bedrock-guardrail:contextual-grounding",
}


def _guardrail(ctx: _Context, r: Resource) -> Line:
    keys = [key for path, key in GUARDRAIL_POLICY_PRICES.items() if r.blocks(path)]
    quantities, source = ctx.usage.for_resource(r)
    if "text_units_per_month" not in quantities:
        return _line(r, USAGE_REQUIRED, description="Bedrock guardrail", price_keys=keys,
                     reason="billed per 1,000 text units evaluated by each paid policy: give text_units_per_month "
                            "in the usage file")
    missing = [k for k in keys if ctx.price(k) is None]
    if missing:
        return _line(r, NOT_PRICED, description="Bedrock guardrail", price_keys=keys,
                     reason=f"no price for {', '.join(missing)} in {ctx.region}")
    units = dec(quantities["text_units_per_month"])
    value = sum((money(units / Decimal(1000) * ctx.price(k).price) for k in keys), Decimal(0))  # type: ignore[union-attr]
    policies = ", ".join(k.partition(":")[2] for k in keys) or "no paid policy"
    return _line(r, PRICED, description=f"Bedrock guardrail: {units:,} text units x ({policies}) ({source})",
                 planned=value, maximum=value, price_keys=keys)


PT_COMMITMENTS = {None: "no-commitment", "": "no-commitment", "OneMonth": "1-month", "SixMonths": "6-month"}


def _provisioned_throughput(ctx: _Context, r: Resource) -> Line:
    """Model units x the hourly price per model unit of the model and commitment term, all month."""
    model_arn, units, term = r.get("model_arn"), _known_int(r.get("model_units")), r.get("commitment_duration")
    if not isinstance(model_arn, str) or units is None or term is UNKNOWN:
        return _line(r, NOT_PRICED, description="Bedrock provisioned throughput", capacity=True,
                     reason="model_arn, model_units or commitment_duration known only after apply")
    commitment = PT_COMMITMENTS.get(term, str(term))
    key = f"bedrock-pt:{model_arn.rpartition('/')[2]}:{commitment}"
    p = ctx.price(key)
    if p is None:
        return _line(r, NOT_PRICED, description="Bedrock provisioned throughput", price_keys=[key], capacity=True,
                     reason=f"no price for {key} in {ctx.region}")
    value = money(dec(units) * p.price * ctx.hours)
    return _line(r, PRICED, description=f"Bedrock provisioned throughput: {units} model unit(s), {commitment}, "
                                        f"x {ctx.hours} h", planned=value, maximum=value, price_keys=[key],
                 capacity=True)


def _eip(ctx: _Context, r: Resource) -> Line:
    return _hourly("ipv4:hour", "public IPv4 address")(ctx, r)


PRICERS: dict[str, Callable[[_Context, Resource], Line]] = {
    "aws_eks_cluster": _hourly("eks:cluster", "EKS cluster (standard support)"),
    "aws_eks_node_group": _eks_node_group,
    "aws_autoscaling_group": _autoscaling_group,
    "aws_instance": _instance,
    "aws_sagemaker_endpoint": _sagemaker_endpoint,
    "aws_nat_gateway": _nat_gateway,
    "aws_vpc_endpoint": _vpc_endpoint,
    "aws_kms_key": _kms_key,
    "aws_cloudwatch_log_group": _usage_only("ingest_gb", "logs:ingest-gb", "CloudWatch Logs ingestion", "GB ingested"),
    "aws_s3_bucket": _s3_bucket,
    "aws_eip": _eip,
    "aws_cloudwatch_metric_alarm": _metric_alarm,
    "aws_bedrock_guardrail": _guardrail,
    "aws_bedrock_provisioned_model_throughput": _provisioned_throughput,
}


def _price_resource(ctx: _Context, r: Resource) -> Line:
    pricer = PRICERS.get(r.type)
    if pricer is not None:
        return pricer(ctx, r)
    if r.type in FREE_TYPES:
        return _line(r, FREE)
    if r.type in USAGE_TYPES:
        return _line(r, USAGE_REQUIRED, description=r.type,
                     reason=f"billed by {USAGE_TYPES[r.type]}: add a usage item (items: name, quantity, price_key)")
    return _line(r, NOT_PRICED, description=r.type, reason=f"no cost model for {r.type}")


def _usage_lines(ctx: _Context) -> list[Line]:
    lines: list[Line] = []
    days = ctx.hours / Decimal(24)
    for entry in ctx.usage.bedrock:
        model = entry["model"]
        address = f"usage.bedrock[{model}]"
        module = entry.get("module", "(usage)")
        total, keys, parts, missing = Decimal(0), [], [], []
        for side in ("input", "output"):
            per_day = entry.get(f"{side}_tokens_per_day")
            if per_day is None:
                continue
            key = f"bedrock:{model}:{side}"
            keys.append(key)
            p = ctx.price(key)
            if p is None:
                missing.append(key)
                continue
            total += money(dec(per_day) * days / Decimal(1000) * p.price)
            parts.append(f"{side} {dec(per_day):,} tokens/day x {money(days)} days at ${p.price}/1K")
        if missing:
            lines.append(Line(address, "bedrock_on_demand", module, NOT_PRICED, f"Bedrock {model} tokens",
                              price_keys=keys, reason=f"no price for {', '.join(missing)} in {ctx.region}"))
        else:
            lines.append(Line(address, "bedrock_on_demand", module, PRICED, f"Bedrock {model}: " + "; ".join(parts),
                              planned=total, maximum=total, price_keys=keys))
    for i, item in enumerate(ctx.usage.items):
        key = item["price_key"]
        p = ctx.price(key)
        address = f"usage.items[{i}] {item['name']}"
        module = item.get("module", "(usage)")
        if p is None:
            lines.append(Line(address, "usage_item", module, NOT_PRICED, item["name"], price_keys=[key],
                              reason=f"no price for {key} in {ctx.region}"))
            continue
        value = money(dec(item["quantity"]) * p.price)
        lines.append(Line(address, "usage_item", module, PRICED,
                          f"{item['name']}: {item['quantity']} x ${p.price}/{p.unit}",
                          planned=value, maximum=value, price_keys=[key]))
    return lines


# --------------------------------------------------------------------------------------
# budgets


@dataclass(frozen=True)
class Budget:
    address: str
    limit: Decimal | None  # None = unknown at plan time
    unit: str
    reason: str = ""


def monthly_cost_budgets(plan: Plan) -> list[Budget]:
    """The plan's MONTHLY COST budgets (limit None when it is known only after apply)."""
    found: list[Budget] = []
    for b in plan.of_type("aws_budgets_budget"):
        if b.get("budget_type") != "COST" or b.get("time_unit") != "MONTHLY":
            continue
        amount, unit = b.get("limit_amount"), b.get("limit_unit")
        if amount is UNKNOWN or unit is UNKNOWN:
            found.append(Budget(b.address, None, "USD", "limit_amount known only after apply"))
        elif amount in (None, ""):
            reason = "planned_limit varies by month" if b.blocks("planned_limit") else "no limit_amount"
            found.append(Budget(b.address, None, str(unit or "USD"), reason))
        else:
            try:
                found.append(Budget(b.address, dec(amount), str(unit or "USD")))
            except ArithmeticError:
                found.append(Budget(b.address, None, str(unit or "USD"), f"limit_amount {amount!r} is not a number"))
    return found


# --------------------------------------------------------------------------------------
# the estimate


@dataclass
class Estimate:
    plan_source: str
    root: str
    region: str
    settings: Settings
    prices: PriceBook
    usage: Usage
    lines: list[Line]
    budgets: list[Budget]
    assumptions: list[str]

    def _sum(self, lines: Iterable[Line], column: str) -> Decimal:
        return sum((getattr(ln, column) for ln in lines if ln.status == PRICED), Decimal(0))

    @property
    def planned(self) -> Decimal:
        return self._sum(self.lines, "planned")

    @property
    def maximum(self) -> Decimal:
        return self._sum(self.lines, "maximum")

    def of_status(self, status: str) -> list[Line]:
        return [ln for ln in self.lines if ln.status == status]

    @property
    def not_priced(self) -> list[Line]:
        return self.of_status(NOT_PRICED)

    def modules(self) -> list[dict[str, Any]]:
        groups: dict[str, list[Line]] = {}
        for line in self.lines:
            if line.status == PRICED:
                groups.setdefault(line.module or ROOT_ADDRESS, []).append(line)
        rows = [{"module": m, "planned": float(money(self._sum(ls, "planned"))),
                 "maximum": float(money(self._sum(ls, "maximum"))), "resources": len(ls)}
                for m, ls in groups.items()]
        return sorted(rows, key=lambda row: (-row["maximum"], row["module"]))

    def top_capacity(self) -> list[Line]:
        return sorted((ln for ln in self.lines if ln.status == PRICED and ln.capacity),
                      key=lambda ln: ln.maximum or 0, reverse=True)

    def to_dict(self) -> dict[str, Any]:
        free: dict[str, int] = {}
        for line in self.of_status(FREE):
            free[line.type] = free.get(line.type, 0) + 1
        plan_lines = [ln for ln in self.lines if not ln.address.startswith("usage.")]
        fixed = self._sum(plan_lines, "planned")
        notes = []
        if not self.usage.provided:
            notes.append("No usage file: only the plan-known fixed run-rate is shown; usage-priced resources "
                         "(tokens, storage, log ingestion, data transfer) are listed as usage_required.")
        if self.not_priced:
            notes.append(f"{len(self.not_priced)} resource(s) not priced: the totals are lower bounds.")
        return {
            "currency": self.prices.currency,
            "region": self.region,
            "root": self.root,
            "plan": self.plan_source,
            "hours_per_month": float(self.settings.hours_per_month),
            "hours_per_month_source": self.settings.hours_source,
            "prices": {"file": self.prices.file, "sha256": self.prices.sha256, "version": self.prices.version},
            "usage": {"file": self.usage.file, "sha256": self.usage.sha256, "provided": self.usage.provided},
            "totals": {"planned": float(money(self.planned)), "maximum": float(money(self.maximum)),
                       "fixed_run_rate": float(money(fixed)),
                       "complete": not self.not_priced},
            "roots": [{"root": self.root, "planned": float(money(self.planned)),
                       "maximum": float(money(self.maximum))}],
            "modules": self.modules(),
            "resources": [ln.to_dict() for ln in self.lines if ln.status != FREE],
            "free": dict(sorted(free.items())),
            "counts": {s: len(self.of_status(s)) for s in (PRICED, NOT_PRICED, USAGE_REQUIRED, FREE)},
            "budgets": [{"address": b.address, "limit": _num(b.limit), "unit": b.unit,
                         **({"reason": b.reason} if b.reason else {})} for b in self.budgets],
            "assumptions": list(self.assumptions),
            "notes": notes,
        }


def plan_region(plan: Plan, default: str) -> str:
    """The region of the plan's aws provider when it is a constant, else ``default``."""
    config = plan.document.get("configuration") or {}
    for provider in (config.get("provider_config") or {}).values():
        if provider.get("name") == "aws" and not provider.get("alias"):
            region = ((provider.get("expressions") or {}).get("region") or {}).get("constant_value")
            if isinstance(region, str):
                return region
    return default


def estimate(plan: Plan, params: Mapping[str, Any], prices: PriceBook | None = None,
             usage: Usage | None = None, region: str | None = None) -> Estimate:
    prices = prices or load_prices()
    usage = usage or Usage()
    default_file = None if usage.provided else default_usage_file(plan)
    if default_file is not None:
        usage = load_usage(default_file)
    settings = Settings.from_params(params)
    ctx = _Context(plan, prices, usage, settings, region or plan_region(plan, prices.region))
    lines = [_price_resource(ctx, r) for r in plan.resources]
    lines.extend(_usage_lines(ctx))
    ctx.assumptions.add(f"a month is {settings.hours_per_month} hours ({settings.hours_source}); "
                        f"token usage runs {money(settings.hours_per_month / 24)} days a month")
    ctx.assumptions.add("on-demand list prices, no Savings Plans, Reserved Instances, free tier or taxes")
    if default_file is not None:
        ctx.assumptions.add(f"usage quantities (tokens, text units, GB) from {default_file.name}, the default usage "
                            "file of the plan's environment in policies/usage/ (--usage FILE overrides it)")
    if any(ln.type == "aws_eks_cluster" for ln in lines):
        ctx.assumptions.add("EKS clusters are priced at standard support; extended support costs more")
    root = Path(plan.source).name.split(".")[0] if plan.source and not plan.source.startswith("<") else "plan"
    return Estimate(plan.source, root, ctx.region, settings, prices, usage, lines,
                    monthly_cost_budgets(plan), sorted(ctx.assumptions))


# -- once per plan, for the pipeline and the rules ------------------------------------------

ESTIMATE_KEY = "cost:estimate"


def estimate_for(plan: Plan, params: Mapping[str, Any], prices: PriceBook | None = None,
                 usage: Usage | None = None) -> Estimate:
    """The plan's estimate, computed once per plan (:meth:`checks.plan.Plan.memo`).

    The check pipeline asks first, with the prices and usage it was given; the cost rules
    then ask with their params only and get that same estimate (or, run on their own, one
    with the default prices)."""
    return plan.memo(ESTIMATE_KEY, lambda p: estimate(p, params, prices, usage))


def fmt(value: Decimal | float | None) -> str:
    return "-" if value is None else _fmt(dec(value))


# --------------------------------------------------------------------------------------
# refreshing prices.yaml from the AWS Price List API (GetProducts)

PRICE_LIST_SOURCE = "AWS Price List API GetProducts ({service}, {region})"


def _refresh_spec(key: str, region: str) -> tuple[str, list[dict[str, str]], Callable[[Mapping[str, str]], bool]] | None:
    """(ServiceCode, Filters, attribute matcher) for a price key, or None if not refreshable."""
    def term(field: str, value: str) -> dict[str, str]:
        return {"Type": "TERM_MATCH", "Field": field, "Value": value}

    family, _, rest = key.partition(":")
    base = [term("regionCode", region)]
    if family == "ec2":
        filters = base + [term("instanceType", rest), term("operatingSystem", "Linux"), term("tenancy", "Shared"),
                          term("preInstalledSw", "NA"), term("capacitystatus", "Used")]
        return "AmazonEC2", filters, lambda a: a.get("instanceType") == rest and a.get("licenseModel", "No License required") == "No License required"
    if family == "sagemaker":
        return "AmazonSageMaker", base + [term("instanceName", rest)], \
            lambda a: str(a.get("usagetype", "")).endswith(f"Host:{rest}")
    suffixes = {
        "eks:cluster": ("AmazonEKS", "AmazonEKS-Hours:perCluster"),
        "nat:hour": ("AmazonEC2", "NatGateway-Hours"),
        "nat:gb": ("AmazonEC2", "NatGateway-Bytes"),
        "vpce:interface-az-hour": ("AmazonVPC", "VpcEndpoint-Hours"),
        "vpce:gb": ("AmazonVPC", "VpcEndpoint-Bytes"),
        "kms:key": ("awskms", "KMS-Keys"),
        "logs:ingest-gb": ("AmazonCloudWatch", "DataProcessing-Bytes"),
        "s3:standard-gb-month": ("AmazonS3", "TimedStorage-ByteHrs"),
    }
    if key in suffixes:
        service, suffix = suffixes[key]
        return service, base, lambda a: str(a.get("usagetype", "")).endswith(suffix)
    return None


def parse_price_list(price_list: Iterable[str | Mapping[str, Any]],
                     match: Callable[[Mapping[str, str]], bool]) -> tuple[Decimal, str, str] | None:
    """The first-tier USD on-demand price of the first matching product in a GetProducts PriceList.

    Each PriceList item is a JSON string (as the API returns it) with ``product.attributes`` and
    ``terms.OnDemand.<offer>.priceDimensions.<dim>.pricePerUnit.USD``. Returns
    (price, effective date YYYY-MM-DD, unit) or None when nothing matches or the price is 0.
    """
    import json

    for raw in price_list:
        item = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        attributes = (item.get("product") or {}).get("attributes") or {}
        if not match(attributes):
            continue
        for offer in ((item.get("terms") or {}).get("OnDemand") or {}).values():
            dimensions = sorted((offer.get("priceDimensions") or {}).values(),
                                key=lambda d: Decimal(str(d.get("beginRange", "0")).replace("Inf", "Infinity")))
            for dim in dimensions:
                usd = (dim.get("pricePerUnit") or {}).get("USD")
                if usd is None or Decimal(usd) <= 0:
                    continue
                effective = str(offer.get("effectiveDate", ""))[:10]
                return Decimal(usd).normalize(), effective, str(dim.get("unit", ""))
    return None


def refresh_prices(book: PriceBook, region: str, client: Any, today: str) -> tuple[dict[str, Any], list[str]]:
    """A new prices document for ``region``: every refreshable key of ``book`` fetched again.

    Keys the API cannot give (or gives no price for) keep their entry when the book has one for
    the region and are reported; nothing is ever set to 0. Returns (document, messages).
    """
    keys = sorted({k for k, _ in book.entries})
    out: list[dict[str, Any]] = []
    messages: list[str] = []
    for key in keys:
        old = book.get(key, region)
        spec = _refresh_spec(key, region)
        found = None
        if spec is not None:
            service, filters, match = spec
            pages = client.get_paginator("get_products").paginate(ServiceCode=service, Filters=filters, FormatVersion="aws_v1")
            found = parse_price_list((item for page in pages for item in page.get("PriceList", [])), match)
        if found is not None:
            price, effective, _unit = found
            unit = old.unit if old else next(p.unit for (k, _), p in book.entries.items() if k == key)
            out.append({"key": key, "unit": unit, "price": float(price), "region": region, "currency": "USD",
                        "effective_date": effective or today,
                        "source": PRICE_LIST_SOURCE.format(service=spec[0], region=region)})  # type: ignore[index]
        elif old is not None:
            messages.append(f"{key}: kept the existing entry ({'not refreshable' if spec is None else 'no price returned'})")
            out.append({"key": key, "unit": old.unit, "price": float(old.price), "region": region, "currency": "USD",
                        "effective_date": old.effective_date, "source": old.source})
        else:
            messages.append(f"{key}: no price in {region}; left out (reports as not priced)")
    return {"version": today, "currency": "USD", "region": region,
            "generated_by": "genai-lz prices refresh", "prices": out}, messages


def refreshed_price_file(prices_file: str | Path | None, region: str, today: str, where: str) -> tuple[str, list[str]]:
    """The text of a new prices.yaml for ``region`` (every key of ``prices_file`` fetched again
    from the AWS Price List API, validated by schemas/prices.schema.json) and the messages
    about keys kept or left out. Needs boto3 (the ``aws`` extra) and AWS credentials."""
    import yaml

    from checks.errors import LzError, ToolError
    from checks.optional import boto3_module
    from checks.schema import validate_data

    book = load_prices(prices_file)
    boto3 = boto3_module("to refresh prices from the AWS Price List API")
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.Session()
    if session.get_credentials() is None:
        raise LzError("prices refresh needs AWS credentials (any identity allowed pricing:GetProducts); none found")
    client = session.client("pricing", region_name="us-east-1")
    try:
        document, messages = refresh_prices(book, region, client, today)
    except (BotoCoreError, ClientError) as exc:
        raise ToolError(f"AWS Price List API: {exc}") from None
    validate_data("prices.schema.json", document, where)
    text = ("# Generated by `genai-lz prices refresh`; validated by schemas/prices.schema.json.\n"
            + yaml.safe_dump(document, sort_keys=False, width=200))
    return text, messages
