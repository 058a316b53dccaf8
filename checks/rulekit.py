"""Small helpers rules share: instance families, environments, IAM documents, references.

Rules import what they need from here so that the same question (is this an Inferentia
type? is this resource in production? does this policy allow bedrock:* on *?) is answered
in one place.
"""
from __future__ import annotations

import fnmatch
import json
import weakref
from typing import Any, Iterable, Mapping

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
    return (referenced(node_group, "launch_template.id", "aws_launch_template")
            or referenced(node_group, "launch_template.name", "aws_launch_template"))


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
        az = subnet.get("availability_zone")
        if not isinstance(az, str) or not az:
            az = subnet.get("availability_zone_id")
        if isinstance(az, str) and az:
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
