"""Instance types and accelerators: families, node groups and their launch templates."""
from __future__ import annotations

from typing import Any, Mapping

from checks.plan import Resource
from checks.values import UNKNOWN


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


def accelerated_types(node_group: Resource, params: Mapping[str, Any]) -> list[str] | Any:
    """The accelerator instance types of a node group ([] when none), or UNKNOWN."""
    types = node_group_instance_types(node_group)
    if types is UNKNOWN:
        return UNKNOWN
    return [t for t in types if accelerator_kind(t, params)]
