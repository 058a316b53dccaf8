"""Environments read from tags: which resources are production."""
from __future__ import annotations

from typing import Any, Mapping

from checks.plan import Resource
from checks.values import UNKNOWN


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


def environment_class(resource: Resource, params: Mapping[str, Any]) -> Any:
    """'production', 'non-production', 'untagged' (no environment tag) or UNKNOWN (tags unknown)."""
    if resource.tags is UNKNOWN:
        return UNKNOWN
    prod = is_production(resource, params)
    if prod is None:
        return "untagged"
    return "production" if prod else "non-production"
