"""Small helpers rules share: instance families, environments, IAM documents, references.

Rules import what they need from here so that the same question (is this an Inferentia
type? is this resource in production? does this policy allow bedrock:* on *?) is answered
in one place.
"""
from __future__ import annotations

import fnmatch
import json
import weakref
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from checks.model import Result
from checks.plan import Resource
from checks.values import UNKNOWN

# -- instance types -------------------------------------------------------------------


def instance_family(instance_type: str) -> str:
    """``inf2.xlarge`` -> ``inf2``; ``ml.trn1.32xlarge`` -> ``trn1``; ``p4d.24xlarge`` -> ``p4d``."""
    parts = instance_type.split(".")
    if parts and parts[0] == "ml":
        parts = parts[1:]
    return parts[0] if parts else ""


def families(params: Mapping[str, Any], *kinds: str) -> set[str]:
    """The families params.yaml lists under accelerators.<kind>_families."""
    acc = params.get("accelerators", {})
    found: set[str] = set()
    for kind in kinds:
        found.update(acc.get(f"{kind}_families", ()))
    return found


def accelerator_kind(instance_type: str, params: Mapping[str, Any]) -> str | None:
    """'inference', 'training', 'gpu' or None for a general-purpose type."""
    family = instance_family(instance_type)
    for kind in ("inference", "training", "gpu"):
        if family in families(params, kind):
            return kind
    return None


# -- environments and tags -----------------------------------------------------------


def environment(resource: Resource, params: Mapping[str, Any]) -> str | None:
    """The value of the environment tag (params tags.environment), lower case, if known."""
    tags = resource.tags
    if tags is UNKNOWN or not isinstance(tags, Mapping):
        return None
    value = tags.get(params.get("tags", {}).get("environment", "environment"))
    return value.lower() if isinstance(value, str) else None


def is_production(resource: Resource, params: Mapping[str, Any]) -> bool | None:
    """True/False by the environment tag; None when the resource names no environment."""
    env = environment(resource, params)
    if env is None:
        return None
    return env in {e.lower() for e in params.get("production_environments", ("prod", "production"))}


# -- IAM policy documents ------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def policy_statements(document: Any) -> list[dict[str, Any]] | None:
    """Statements of an IAM policy (JSON text or object), Action/Resource as lists.

    None when the document is unknown at plan time or is not a policy.
    """
    if document is UNKNOWN or document is None:
        return None
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, Mapping):
        return None
    statements = document.get("Statement", [])
    out: list[dict[str, Any]] = []
    for st in as_list(statements):
        if not isinstance(st, Mapping):
            continue
        item = dict(st)
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in item:
                item[key] = as_list(item[key])
        out.append(item)
    return out


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, ``*`` and ``?`` wildcards on either side."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower()) or fnmatch.fnmatchcase(pattern.lower(), action.lower())


def allows(statements: Iterable[Mapping[str, Any]], action: str) -> list[Mapping[str, Any]]:
    """Allow statements whose Action covers ``action``."""
    return [
        st for st in statements
        if st.get("Effect", "Allow") == "Allow" and any(action_matches(a, action) for a in st.get("Action", ()))
    ]


def is_wildcard_resource(resources: Iterable[Any]) -> bool:
    return any(r == "*" for r in resources)


def principals_are_public(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any(v == "*" or v == ["*"] for v in principal.values())
    return False


# -- references ------------------------------------------------------------------------


def referenced(resource: Resource, path: str, types: str | Iterable[str]) -> Resource | None:
    """The first resource of ``types`` the configuration at ``path`` refers to, if any."""
    found = resource.references(path, types)
    return found[0] if found else None


def set_or_referenced(resource: Resource, path: str, types: str | Iterable[str], what: str) -> Result | None:
    """Pass when ``path`` is set (known) or refers to a planned resource of ``types``.

    Returns a failing Result when it is empty, an unknown Result when it is unknown and
    refers to nothing we can see, and a passing Result otherwise.
    """
    value = resource.get(path)
    target = referenced(resource, path, types)
    if target is not None:
        return Result.passed(f"{what} is set from {target.address}", path=path, via=target.address)
    if value is UNKNOWN:
        return Result.unknown(f"{what} ({path}) is known only after apply", path=path)
    if value in (None, "", [], {}):
        return Result.failed(f"{what} is not set ({path})", path=path)
    return Result.passed(f"{what} is set", path=path)


# -- workloads, environments, subnets, bucket companions (non-security pillars) ---------

_PLAN_INDEXES: "weakref.WeakKeyDictionary[Any, dict[str, Any]]" = weakref.WeakKeyDictionary()


def plan_index(plan: Any, key: str, build: Any) -> Any:
    """``build(plan)`` computed once per plan and key (rules stay linear on large plans)."""
    cache = _PLAN_INDEXES.setdefault(plan, {})
    if key not in cache:
        cache[key] = build(plan)
    return cache[key]


def environment_class(resource: Resource, params: Mapping[str, Any]) -> Any:
    """'production', 'non-production', 'untagged' (no environment tag) or UNKNOWN (tags unknown)."""
    if resource.tags is UNKNOWN:
        return UNKNOWN
    prod = is_production(resource, params)
    if prod is None:
        return "untagged"
    return "production" if prod else "non-production"


def _workload_word(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = text.lower()
    if "train" in text:
        return "training"
    if "infer" in text or "serving" in text:
        return "inference"
    return None


WORKLOAD_LABELS = ("workload", "workload-type", "workload_type", "purpose", "role")


def node_group_workload(node_group: Resource) -> str | None:
    """'inference' or 'training' from a workload label, else from the node group's name/key."""
    labels = node_group.get("labels")
    if isinstance(labels, Mapping):
        for key in WORKLOAD_LABELS:
            word = _workload_word(labels.get(key))
            if word:
                return word
    for text in (node_group.get("node_group_name"), node_group.get("node_group_name_prefix"),
                 node_group.index, node_group.name):
        word = _workload_word(text)
        if word:
            return word
    return None


def launch_template_of(node_group: Resource) -> Resource | None:
    """The node group's launch template; with for_each/count templates, the instance of the same key."""
    for path in ("launch_template.id", "launch_template.name"):
        found = node_group.references(path, "aws_launch_template")
        if found:
            same_key = [t for t in found if t.index is not None and t.index == node_group.index]
            return (same_key or found)[0]
    return None


def node_group_instance_types(node_group: Resource) -> Any:
    """Instance types of a node group (its own list, else its launch template's); UNKNOWN if unknown."""
    types = node_group.get("instance_types")
    if types is UNKNOWN:
        return UNKNOWN
    if isinstance(types, list) and types:
        return UNKNOWN if any(t is None for t in types) else list(types)
    template = launch_template_of(node_group)
    if template is not None:
        value = template.get("instance_type")
        if value is UNKNOWN:
            return UNKNOWN
        if value:
            return [value]
    return []


def subnet_spread(resource: Resource, path: str) -> Any:
    """Where the subnets at ``path`` are: ``(count, az_count, unresolved)`` or UNKNOWN.

    ``count`` is the number of subnets, ``az_count`` the number of distinct known AZs
    (never more than ``count``), ``unresolved`` the subnets whose AZ is not known at plan
    time (unknown, not pinned, or a subnet outside the plan). Planned subnets are found
    through configuration references (through modules), else by their known id.
    """
    value = resource.get(path)
    subnets = resource.references(path, "aws_subnet")
    if isinstance(value, list):
        count = len(value)
        if not subnets:
            by_id = plan_index(resource.plan, "subnet-by-id", lambda p: {
                s.get("id"): s for s in p.of_type("aws_subnet") if isinstance(s.get("id"), str)})
            subnets = [by_id[v] for v in value if v in by_id]
    elif value is UNKNOWN and not subnets:
        return UNKNOWN
    else:
        count = len(subnets)
    azs: set[str] = set()
    unknown_az = 0
    for subnet in subnets:
        az = subnet_az(subnet)
        if az:
            azs.add(az)
        else:
            unknown_az += 1
    unresolved = max(count - len(subnets), 0) + unknown_az
    return count, min(len(azs), count), unresolved


def bucket_companions(bucket: Resource, type: str) -> list[Resource]:
    """Resources of ``type`` (aws_s3_bucket_versioning, ..._lifecycle_configuration) for a bucket.

    Found through the configuration reference at their ``bucket`` argument, or by the
    bucket's known name.
    """
    found = list(bucket.referenced_by(type, "bucket"))
    name = bucket.get("bucket")
    if isinstance(name, str) and name:
        by_name = plan_index(bucket.plan, f"by-bucket:{type}", lambda p: _group_by_bucket(p, type))
        found.extend(r for r in by_name.get(name, ()) if r not in found)
    return found


def _group_by_bucket(plan: Any, type: str) -> dict[str, list[Resource]]:
    groups: dict[str, list[Resource]] = {}
    for res in plan.of_type(type):
        name = res.get("bucket")
        if isinstance(name, str):
            groups.setdefault(name, []).append(res)
    return groups


def _is_empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


# -- KMS customer managed keys ----------------------------------------------------------

KMS_KEY_TYPES = ("aws_kms_key", "aws_kms_alias", "aws_kms_replica_key", "aws_kms_external_key")


def is_aws_managed_key(value: str) -> bool:
    """``alias/aws/s3`` or an ARN of such an alias: a key AWS owns, not the customer."""
    alias = value.split(":", 5)[-1] if value.startswith("arn:") else value
    return alias.startswith("alias/aws/")


def customer_managed_key(resource: Resource, path: str, what: str) -> Result:
    """Pass when ``path`` names a customer managed KMS key (a value or a planned key).

    * refers to a planned ``aws_kms_key`` / alias / replica: pass ``via`` that key;
    * a known ARN, id or alias that is not an ``alias/aws/...`` AWS managed alias: pass;
    * empty: fail (the service then uses an AWS owned or AWS managed key);
    * unknown and traceable to no key in the plan: unknown.
    """
    target = referenced(resource, path, KMS_KEY_TYPES)
    if target is not None:
        return Result.passed(f"{what}: customer managed key {target.address}", path=path, via=target.address)
    value = resource.get(path)
    if value is UNKNOWN:
        hint = (" (it comes from a local value, which plan JSON does not record: reference the key, a variable "
                "or a module output built directly from them)") if through_local(resource, path) else ""
        return Result.unknown(f"{what}: the KMS key ({path}) is known only after apply and refers to no key in "
                              f"this plan{hint}", path=path)
    if _is_empty(value):
        return Result.failed(f"{what}: no customer managed KMS key ({path} is not set, so an AWS owned or AWS managed "
                             "key is used)", path=path)
    if not isinstance(value, str) or is_aws_managed_key(value):
        return Result.failed(f"{what}: an AWS managed key, not a customer managed key", path=path)
    return Result.passed(f"{what}: customer managed KMS key", path=path)


# -- references in both directions -------------------------------------------------------


def data_source(resource: Resource, path: str | Sequence[str | int], type: str) -> Resource | None:
    """The data source of ``type`` read at apply time that the expression at ``path`` refers to.

    Data sources whose arguments are known are read during plan (their result is already
    in the consuming attribute); the others appear in ``resource_changes`` with the
    ``read`` action and partially known arguments, which is what this returns.
    """
    found = [d for d in resource.references(path, type) if d.mode == "data"]
    return found[0] if found else None




# -- IAM policy documents, also when they are known only after apply --------------------


@dataclass(frozen=True)
class PolicyDoc:
    """A policy as a rule sees it.

    ``statements`` is None when the document is unknown at plan time and no
    ``aws_iam_policy_document`` explains it. Elements of Action/Resource lists that are
    known only after apply are :data:`UNKNOWN`; ``resolved_unknowns`` holds (statement
    index, key) pairs whose unknown elements come from attributes of resources planned
    here (the ARN of a planned resource, never ``*``). ``via`` is the data source address.
    """

    statements: list[dict[str, Any]] | None
    via: str | None = None
    source: Resource | None = None
    resolved_unknowns: frozenset[tuple[int, str]] = frozenset()

    @property
    def known(self) -> bool:
        return self.statements is not None

    def references(self, statement: Mapping[str, Any], key: str, types: Any = None) -> list[Resource]:
        """Planned resources the data source's expression for ``key`` (resources, principals...)
        of this statement refers to; empty for documents known at plan time."""
        block = statement.get(BLOCK_INDEX)
        if self.source is None or block is None:
            return []
        return self.source.references(f"statement.{block}.{key}", types)

    def resolved(self, index: int, key: str) -> bool:
        """True when the unknown elements of statement ``index``'s ``key`` (Resource,
        Principal, ...) are attributes of resources planned here (ARNs, never ``*``)."""
        return (index, key) in self.resolved_unknowns


def _node_list(node: Any, key: str) -> list[Any] | None:
    value = node.get(key)
    if value is UNKNOWN:
        return [UNKNOWN]
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    return [UNKNOWN if node.is_unknown(f"{key}.{i}") else item for i, item in enumerate(items)]


BLOCK_INDEX = "_statement_block"  # statement dicts built from a data source: index of its statement block


def _has_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(v is UNKNOWN for v in value)
    return False


def _statements_from_data_source(doc: Resource) -> tuple[list[dict[str, Any]], frozenset[tuple[int, str]]] | None:
    for extra in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
        value = doc.get(extra)
        if value is UNKNOWN:
            return None
    statements: list[dict[str, Any]] = []
    for extra in ("source_policy_documents", "source_json", "override_policy_documents", "override_json"):
        value = doc.get(extra)
        for text in as_list(value):
            parsed = policy_statements(text)
            if parsed is None:
                return None
            statements.extend(parsed)
    resolved: set[tuple[int, str]] = set()
    for i, block in enumerate(doc.blocks("statement")):
        st: dict[str, Any] = {"Effect": block.get("effect") or "Allow", BLOCK_INDEX: i}
        for key, name in (("actions", "Action"), ("not_actions", "NotAction"),
                          ("resources", "Resource"), ("not_resources", "NotResource")):
            items = _node_list(block, key)
            if items is not None:
                st[name] = items
        for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals: dict[str, list[Any]] = {}
            for p in block.blocks(key):
                principals.setdefault(p.get("type") or "AWS", []).extend(_node_list(p, "identifiers") or [])
            if principals:
                st[name] = "*" if principals == {"*": ["*"]} else principals
        conditions: dict[str, dict[str, Any]] = {}
        for c in block.blocks("condition"):
            conditions.setdefault(c.get("test") or "", {})[c.get("variable") or ""] = _node_list(c, "values") or []
        if conditions:
            st["Condition"] = conditions
        for key, name in (("resources", "Resource"), ("not_resources", "NotResource"),
                          ("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if _has_unknown(st.get(name)) and doc.references(f"statement.{i}.{key}"):
                resolved.add((len(statements), name))
        statements.append(st)
    return statements, frozenset(resolved)


def policy_document(resource: Resource, path: str) -> PolicyDoc:
    """The policy at ``path``: parsed when known, else read from the data source it comes from."""
    value = resource.get(path)
    if value is not UNKNOWN:
        return PolicyDoc(policy_statements(value) if not _is_empty(value) else [])
    doc = data_source(resource, path, "aws_iam_policy_document")
    if doc is not None:
        built = _statements_from_data_source(doc)
        if built is not None:
            return PolicyDoc(built[0], via=doc.address, source=doc, resolved_unknowns=built[1])
    return PolicyDoc(None)


IAM_POLICY_PATHS: dict[str, tuple[str, ...]] = {
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
}


def iam_policy_paths(resource: Resource) -> list[str]:
    """Where the identity policies of an IAM resource are: ``policy`` or each inline_policy."""
    if resource.type == "aws_iam_role":
        return [f"inline_policy.{i}.policy" for i, _ in enumerate(resource.blocks("inline_policy"))]
    return list(IAM_POLICY_PATHS.get(resource.type, ()))


def covers(pattern: Any, action: str) -> bool:
    """True when the IAM action pattern grants ``action`` (case-insensitive wildcards)."""
    return isinstance(pattern, str) and fnmatch.fnmatchcase(action.lower(), pattern.lower())


def grants_whole_service(statement: Mapping[str, Any], service: str) -> bool | None:
    """Does an Allow statement grant every action of ``service`` (``svc:*``, ``*``, NotAction)?

    None when an unknown action element leaves it open.
    """
    probe = f"{service}:Zz0probeEveryAction"
    if "NotAction" in statement:
        excluded = statement["NotAction"]
        if any(a is UNKNOWN for a in excluded):
            return None
        return not any(covers(a, probe) for a in excluded)
    actions = statement.get("Action", ())
    if any(covers(a, probe) for a in actions):
        return True
    return None if any(a is UNKNOWN for a in actions) else False


def is_allow(statement: Mapping[str, Any]) -> bool:
    return str(statement.get("Effect", "Allow")).lower() == "allow"


# -- services and endpoints ------------------------------------------------------------

GENAI_ENDPOINT_PREFIXES = ("bedrock", "sagemaker")


def endpoint_service(endpoint: Resource) -> str | None:
    """``com.amazonaws.us-east-1.bedrock-runtime`` -> ``bedrock-runtime``;
    ``aws.sagemaker.us-east-1.studio`` -> ``sagemaker.studio``; None when unknown."""
    name = endpoint.get("service_name")
    if not isinstance(name, str):
        return None
    parts = name.split(".")
    if name.startswith("com.amazonaws.") and len(parts) >= 4:
        return ".".join(parts[3:])
    if name.startswith("aws.sagemaker.") and len(parts) >= 4:
        return "sagemaker." + ".".join(parts[3:])
    return name


def is_genai_service(service: str | None) -> bool:
    return bool(service) and service.split(".")[0].split("-")[0] in GENAI_ENDPOINT_PREFIXES



def genai_resources(plan: Any) -> list[Resource]:
    """Bedrock / SageMaker resources and PrivateLink endpoints to them (computed once per plan)."""
    return plan_index(plan, "genai-resources", _genai_resources)


def _genai_resources(plan: Any) -> list[Resource]:
    found = [r for t in plan.types if t.startswith(GENAI_TYPE_PREFIXES) for r in plan.of_type(t)]
    found.extend(e for e in plan.of_type("aws_vpc_endpoint") if is_genai_service(endpoint_service(e)))
    return found


BEDROCK_INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


def bedrock_usage(plan: Any) -> Resource | None:
    """The first resource showing that the plan uses Bedrock: a Bedrock resource, an
    endpoint to a Bedrock service, or an identity policy (known at plan time) that allows
    invoking models. None when the plan shows no use of Bedrock. Computed once per plan."""
    return plan_index(plan, "bedrock-usage", _bedrock_usage)


def _bedrock_usage(plan: Any) -> Resource | None:
    for t in plan.types:
        if t.startswith(("aws_bedrock", "aws_bedrockagent")) and t != "aws_bedrock_model_invocation_logging_configuration":
            resources = plan.of_type(t)
            if resources:
                return resources[0]
    for endpoint in plan.of_type("aws_vpc_endpoint"):
        service = endpoint_service(endpoint)
        if service and service.startswith("bedrock"):
            return endpoint
    for resource in plan.of_type("aws_iam_policy", "aws_iam_role_policy", "aws_iam_role",
                                 "aws_iam_user_policy", "aws_iam_group_policy"):
        for path in iam_policy_paths(resource):
            doc = policy_document(resource, path)
            for st in doc.statements or ():
                if is_allow(st) and any(covers(a, act) for a in st.get("Action", ()) for act in BEDROCK_INVOKE_ACTIONS):
                    return resource
    return None


def vpc_endpoints(vpc: Resource) -> list[Resource]:
    """VPC endpoints in ``vpc``: by configuration reference at vpc_id, else by its known id."""
    found = list(vpc.referenced_by("aws_vpc_endpoint", "vpc_id"))
    vpc_id = vpc.get("id")
    if isinstance(vpc_id, str) and vpc_id:
        by_vpc = plan_index(vpc.plan, "endpoints-by-vpc", lambda p: _group_by(p, "aws_vpc_endpoint", "vpc_id"))
        found.extend(e for e in by_vpc.get(vpc_id, ()) if e not in found)
    return found


def _group_by(plan: Any, type: str, attribute: str) -> dict[str, list[Resource]]:
    groups: dict[str, list[Resource]] = {}
    for res in plan.of_type(type):
        value = res.get(attribute)
        if isinstance(value, str):
            groups.setdefault(value, []).append(res)
    return groups


def public_principal(statement: Mapping[str, Any], doc: PolicyDoc | None = None, index: int = -1) -> bool | None:
    """Is the statement's Principal everyone (``*``, ``{"AWS": "*"}``)? None when unknown
    elements of it are not traced to resources of the plan. A missing Principal (identity
    policy) is not public."""
    principal = statement.get("Principal")
    if principal is None:
        return False
    if principal == "*":
        return True
    values = [v for vs in principal.values() for v in as_list(vs)] if isinstance(principal, Mapping) else as_list(principal)
    if any(v == "*" for v in values):
        return True
    if any(v is UNKNOWN for v in values) and not (doc is not None and doc.resolved(index, "Principal")):
        return None
    return False


# -- networks ----------------------------------------------------------------------------

OPEN_CIDRS = ("0.0.0.0/0", "::/0")


def is_open_cidr(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in OPEN_CIDRS


GENAI_TYPE_PREFIXES = ("aws_bedrock", "aws_sagemaker_")
COMPUTE_INSTANCE_PATHS = {"aws_eks_node_group": None, "aws_instance": "instance_type",
                          "aws_launch_template": "instance_type", "aws_launch_configuration": "instance_type"}


def genai_footprint(plan: Any, params: Mapping[str, Any]) -> list[Resource]:
    """Planned resources that spend on generative AI: Bedrock / SageMaker resources and
    compute on accelerator (Inferentia, Trainium, GPU) instance types. Computed once per plan."""
    def build(p: Any) -> list[Resource]:
        found: list[Resource] = []
        for type_name in p.types:
            if type_name.startswith(GENAI_TYPE_PREFIXES):
                found.extend(p.of_type(type_name))
            elif type_name in COMPUTE_INSTANCE_PATHS:
                path = COMPUTE_INSTANCE_PATHS[type_name]
                for res in p.of_type(type_name):
                    types = node_group_instance_types(res) if path is None else res.get(path)
                    types = [] if types is UNKNOWN or types is None else as_list(types)
                    if any(isinstance(t, str) and accelerator_kind(t, params) for t in types):
                        found.append(res)
        return found
    return plan_index(plan, "genai-footprint", build)


def about(result: Result, via: str) -> Result:
    """A verdict read on a companion resource (a bucket's encryption configuration, ...),
    restated for the resource the rule judges: the companion's attribute path does not
    apply to it, so the evidence names the companion (or the key it resolved to)."""
    if result.status.value in ("pass", "fail"):
        make = Result.passed if result.status.value == "pass" else Result.failed
        return make(result.message, via=result.via or via)
    if result.status.value == "unknown":
        return Result.unknown(f"{result.message} (on {via})")
    return result


def workload_evidence(plan: Any) -> Resource | None:
    """A resource showing that the plan builds a workload network or GenAI resources (a VPC,
    a Bedrock / SageMaker resource or endpoint): account-level controls such as CloudTrail
    and GuardDuty are then expected in the same plan. None for other plans."""
    vpcs = plan.of_type("aws_vpc")
    if vpcs:
        return vpcs[0]
    genai = genai_resources(plan)
    return genai[0] if genai else None


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


def configured(resource: Resource, path: str) -> bool:
    """True when the configuration sets ``path`` (see :meth:`Resource.is_configured`)."""
    return resource.is_configured(path)


def through_local(resource: Resource, path: str) -> bool:
    """True when the configuration expression at ``path`` refers to a ``local.`` value
    (whose definition plan JSON does not carry, so references end there)."""
    node: Any = resource.expressions
    for key in path.split("."):
        if node is None:
            return False
        if key.isdigit():
            continue
        items = node if isinstance(node, list) else [node]
        found = [item[key] for item in items if isinstance(item, Mapping) and key in item]
        node = found[0] if len(found) == 1 else (found or None)
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            refs = item.get("references")
            if isinstance(refs, list) and any(isinstance(r, str) and r.startswith("local.") for r in refs):
                return True
            stack.extend(v for v in item.values() if isinstance(v, (Mapping, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return False


def subnet_az(subnet: Resource) -> str | None:
    """The subnet's availability zone (name, else id) when known at plan time."""
    for key in ("availability_zone", "availability_zone_id"):
        az = subnet.get(key)
        if isinstance(az, str) and az:
            return az
    return None


def accelerated_types(node_group: Resource, params: Mapping[str, Any]) -> list[str] | Any:
    """The accelerator instance types of a node group ([] when none), or UNKNOWN."""
    types = node_group_instance_types(node_group)
    if types is UNKNOWN:
        return UNKNOWN
    return [t for t in types if accelerator_kind(t, params)]


def enabled_lifecycle_rules(config: Resource) -> tuple[list[Any], bool]:
    """The Enabled ``rule`` blocks of an aws_s3_bucket_lifecycle_configuration, and whether
    some rule's status is known only after apply."""
    enabled, undecided = [], False
    for block in config.blocks("rule"):
        status = block.get("status")
        if status is UNKNOWN:
            undecided = True
        elif status == "Enabled":
            enabled.append(block)
    return enabled, undecided
