"""Where a plan spends on generative AI: Bedrock / SageMaker resources, endpoints to them,
accelerated compute, and the evidence that a plan builds a workload."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from checks.plan import Resource
from checks.rulekit.accelerators import accelerator_kind, node_group_instance_types
from checks.rulekit.core import as_list, plan_index
from checks.rulekit.iam import IDENTITY_POLICY_TYPES, covers, identity_policies, is_allow
from checks.rulekit.network import endpoint_service, is_genai_service
from checks.values import UNKNOWN

GENAI_TYPE_PREFIXES = ("aws_bedrock", "aws_sagemaker_")
COMPUTE_INSTANCE_PATHS = {"aws_eks_node_group": None, "aws_instance": "instance_type",
                          "aws_launch_template": "instance_type", "aws_launch_configuration": "instance_type"}
BEDROCK_INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


# Bedrock types that configure the account, not a workload: they alone do not make a plan a
# Bedrock workload (an organization or security account configures logging for everyone).
BEDROCK_ACCOUNT_SETTINGS = ("aws_bedrock_model_invocation_logging_configuration",)

# Identity Center permission sets are provisioned into the member accounts they are assigned
# to: what they allow is no evidence that the account of the plan (the management account)
# runs Bedrock. The IAM rules still judge them (IDENTITY_POLICY_TYPES).
PROVISIONED_ELSEWHERE_PREFIX = "aws_ssoadmin_"


@dataclass(frozen=True)
class GenAIUsage:
    """Where a plan uses generative AI: THE definition every rule applies (see :func:`genai_usage`).

    * ``bedrock``: Bedrock / Bedrock agent resources (account-wide settings such as invocation
      logging excepted), VPC endpoints to a Bedrock service, and identity policies readable at
      plan time (inline, or AWS managed policies attached by ARN; not Identity Center
      permission sets, which grant in the accounts they are assigned to) whose Allow names a
      ``bedrock:`` action that invokes models (``bedrock:*``, ``bedrock:Invoke*``; ``*`` and
      NotAction grants of administrators are not evidence of Bedrock use);
    * ``sagemaker``: SageMaker resources and VPC endpoints to a SageMaker service;
    * ``accelerators``: compute on accelerator instance types (params accelerators.*_families):
      node groups, instances, launch templates, launch configurations.
    """

    bedrock: tuple[Resource, ...] = ()
    sagemaker: tuple[Resource, ...] = ()
    accelerators: tuple[Resource, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.bedrock or self.sagemaker or self.accelerators)

    def __bool__(self) -> bool:
        return self.any

    @property
    def resources(self) -> list[Resource]:
        """Every resource of the usage, in the order bedrock, sagemaker, accelerators, once each."""
        return list(dict.fromkeys((*self.bedrock, *self.sagemaker, *self.accelerators)))

    @property
    def first(self) -> Resource | None:
        found = self.resources
        return found[0] if found else None

    def describe(self) -> str:
        """``Bedrock (aws_bedrock_guardrail.x), accelerators (aws_eks_node_group.y)``; ``no GenAI use``."""
        parts = [f"{label} ({found[0].address}{', ...' if len(found) > 1 else ''})"
                 for label, found in (("Bedrock", self.bedrock), ("SageMaker", self.sagemaker),
                                      ("accelerators", self.accelerators)) if found]
        return ", ".join(parts) or "no GenAI use"


def genai_usage(plan: Any, params: Mapping[str, Any] | None = None) -> GenAIUsage:
    """The plan's :class:`GenAIUsage`, computed once per plan. ``params`` names the
    accelerator families (params accelerators); without them the built-in pack's
    params.yaml is read."""
    chosen = _default_params() if params is None else params
    return plan_index(plan, f"genai-usage:{id(chosen)}", lambda p: _genai_usage(p, chosen))


@lru_cache(maxsize=1)
def _default_params() -> Mapping[str, Any]:
    from checks.schema import POLICIES_DIR, load_yaml

    return load_yaml(POLICIES_DIR / "params.yaml", "params.schema.json")


def _invokes_bedrock(statement: Mapping[str, Any]) -> bool:
    if not is_allow(statement) or "NotAction" in statement:
        return False
    return any(isinstance(a, str) and a.lower().startswith("bedrock:") and covers(a, act)
               for a in statement.get("Action", ()) for act in BEDROCK_INVOKE_ACTIONS)


def _genai_usage(plan: Any, params: Mapping[str, Any]) -> GenAIUsage:
    bedrock: list[Resource] = []
    sagemaker: list[Resource] = []
    accelerators: list[Resource] = []
    for type_name in plan.types:
        if type_name.startswith("aws_bedrock") and type_name not in BEDROCK_ACCOUNT_SETTINGS:
            bedrock.extend(plan.of_type(type_name))
        elif type_name.startswith("aws_sagemaker_"):
            sagemaker.extend(plan.of_type(type_name))
        elif type_name in COMPUTE_INSTANCE_PATHS:
            path = COMPUTE_INSTANCE_PATHS[type_name]
            for res in plan.of_type(type_name):
                types = node_group_instance_types(res) if path is None else res.get(path)
                types = [] if types is UNKNOWN or types is None else as_list(types)
                if any(isinstance(t, str) and accelerator_kind(t, params) for t in types):
                    accelerators.append(res)
    for endpoint in plan.of_type("aws_vpc_endpoint"):
        service = endpoint_service(endpoint)
        if is_genai_service(service):
            (bedrock if str(service).startswith("bedrock") else sagemaker).append(endpoint)
    for resource in plan.of_type(*IDENTITY_POLICY_TYPES):
        if resource.type.startswith(PROVISIONED_ELSEWHERE_PREFIX):
            continue
        if any(_invokes_bedrock(st) for _, doc in identity_policies(resource) for st in doc.statements or ()):
            bedrock.append(resource)
    return GenAIUsage(tuple(dict.fromkeys(bedrock)), tuple(sagemaker), tuple(accelerators))


def genai_resources(plan: Any) -> list[Resource]:
    """Bedrock / SageMaker resources and PrivateLink endpoints to them (of :func:`genai_usage`)."""
    usage = genai_usage(plan)
    return [r for r in (*usage.bedrock, *usage.sagemaker) if r.mode == "managed" and not r.type.startswith("aws_iam_")]


def bedrock_usage(plan: Any) -> Resource | None:
    """The first resource showing that the plan uses Bedrock (``genai_usage(plan).bedrock``), or None."""
    found = genai_usage(plan).bedrock
    return found[0] if found else None


def genai_footprint(plan: Any, params: Mapping[str, Any]) -> list[Resource]:
    """Every resource of the plan's GenAI usage (:func:`genai_usage`): Bedrock, SageMaker, accelerators."""
    return genai_usage(plan, params).resources


def workload_evidence(plan: Any) -> Resource | None:
    """A resource showing that the plan builds a workload: a VPC or any GenAI use
    (:func:`genai_usage`). Account-level controls such as CloudTrail and GuardDuty are then
    expected in the account's plan. None for other plans."""
    vpcs = plan.of_type("aws_vpc")
    if vpcs:
        return vpcs[0]
    return genai_usage(plan).first


# Root variable by which a workload plan declares that its account's detective controls run
# at organization level (terraform/workload organization_security_services).
ORGANIZATION_MANAGED_VARIABLE = "organization_security_services"


def organization_managed(plan: Any) -> bool:
    """True when the plan's root module declares (``organization_security_services = true``)
    that the organization trail, GuardDuty / Security Hub auto-enable and the Config
    recorders of the organization cover the account: those live in the organization,
    log-archive and audit plans, which are checked on their own."""
    variables = plan.document.get("variables") if isinstance(plan.document, Mapping) else None
    if not isinstance(variables, Mapping):
        return False
    entry = variables.get(ORGANIZATION_MANAGED_VARIABLE)
    return isinstance(entry, Mapping) and entry.get("value") is True


# --------------------------------------------------------------------------------------
# CloudTrail data events of Bedrock (advanced event selectors)

BEDROCK_DATA_EVENT_PREFIX = "AWS::Bedrock::"


def trail_data_event_types(trail: Resource) -> set[str] | Any:
    """The resources.type values (a ``starts_with`` value as ``<prefix>*``) an aws_cloudtrail logs
    as data events through its advanced event selectors; UNKNOWN when the selectors are known
    only after apply."""
    if trail.get("advanced_event_selector") is UNKNOWN:
        return UNKNOWN
    logged: set[str] = set()
    for selector in trail.blocks("advanced_event_selector"):
        fields = {f.get("field"): f for f in selector.blocks("field_selector")}
        if UNKNOWN in fields:
            return UNKNOWN
        category, kind = fields.get("eventCategory"), fields.get("resources.type")
        if category is None or kind is None:
            continue
        if category.get("equals") is UNKNOWN or kind.get("equals") is UNKNOWN or kind.get("starts_with") is UNKNOWN:
            return UNKNOWN
        if "Data" not in (category.get("equals") or ()):
            continue
        logged.update(v for v in kind.get("equals") or () if isinstance(v, str))
        logged.update(v + "*" for v in kind.get("starts_with") or () if isinstance(v, str))
    return logged


def data_events_cover(logged: set[str], needed: str) -> bool:
    """Does the set of logged data event types include ``needed`` ("" = any Bedrock type)?"""
    if needed == "":
        return any(v.startswith(BEDROCK_DATA_EVENT_PREFIX) or BEDROCK_DATA_EVENT_PREFIX.startswith(v.rstrip("*"))
                   for v in logged)
    return any(v == needed or (v.endswith("*") and needed.startswith(v[:-1])) for v in logged)
