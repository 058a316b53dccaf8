"""Tags: the effective tags of a resource, environments read from them, and the resource
types that cannot carry cost (so carry no cost-allocation tags)."""
from __future__ import annotations

from typing import Any, Mapping

from checks.plan import Resource
from checks.rulekit.core import plan_index
from checks.values import UNKNOWN

# Resource types AWS does not bill (identity, network plumbing, templates): cost-allocation
# tags on them attribute no spend. ``aws_default_*`` resources adopt what the account already
# has and are covered by the same list through their prefix.
COSTLESS_TYPE_PREFIXES: tuple[str, ...] = (
    "aws_default_", "aws_iam_", "aws_ssoadmin_", "aws_organizations_policy", "aws_identitystore_",
    "aws_security_group", "aws_vpc_security_group_", "aws_route", "aws_main_route_table_association",
    "aws_network_acl", "aws_vpc_dhcp_options", "aws_resourcegroups_group",
)
COSTLESS_TYPES: frozenset[str] = frozenset({
    "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_egress_only_internet_gateway",
    "aws_launch_template", "aws_launch_configuration", "aws_placement_group", "aws_key_pair",
    "aws_db_subnet_group", "aws_elasticache_subnet_group", "aws_redshift_subnet_group",
    "aws_db_parameter_group", "aws_rds_cluster_parameter_group", "aws_elasticache_parameter_group",
    "aws_eks_access_entry", "aws_eks_access_policy_association",
    # accounts carry all their spend (their tags drive chargeback): not listed
    "aws_organizations_organization", "aws_organizations_organizational_unit",
    "aws_organizations_delegated_administrator",
})


def carries_cost(resource: Resource) -> bool:
    """False for types AWS does not bill (see COSTLESS_TYPES) and ``aws_default_*`` adoptions."""
    return resource.type not in COSTLESS_TYPES and not resource.type.startswith(COSTLESS_TYPE_PREFIXES)


def provider_sets_default_tags(plan: Any) -> bool:
    """True when some aws provider configuration of the plan sets ``default_tags`` (or the
    plan does not say: a provider block whose expressions are absent sets nothing)."""
    def build(p: Any) -> bool:
        configs = (p.document.get("configuration") or {}).get("provider_config") or {}
        return any(isinstance(c, Mapping) and c.get("name") == "aws"
                   and "default_tags" in (c.get("expressions") or {}) for c in configs.values())
    return plan_index(plan, "provider-default-tags", build)


def effective_tags(resource: Resource) -> Mapping[str, Any] | Any:
    """The tags the resource will carry: ``tags_all`` (the provider's default_tags merged),
    else ``tags``; UNKNOWN when they are known only after apply.

    ``tags_all`` is computed by the provider and is unknown in the plan of an untagged
    resource; when the tags argument is known and no aws provider sets default_tags, the
    tags are known all the same: ``tags`` (possibly none).
    """
    node = resource.node
    own = node.get("tags")
    if own is UNKNOWN or (isinstance(own, Mapping) and any(v is UNKNOWN or node.is_unknown(["tags", k])
                                                            for k, v in own.items())):
        return UNKNOWN
    every = node.get("tags_all")
    if every is UNKNOWN:
        if resource.plan is not None and not provider_sets_default_tags(resource.plan):
            return dict(own) if isinstance(own, Mapping) else {}
        return UNKNOWN
    if isinstance(every, Mapping) and every:
        return every
    return dict(own) if isinstance(own, Mapping) else {}


def tag_value(tags: Mapping[str, Any], key: str) -> Any:
    """The value of tag ``key``; a key that differs only in case (``Environment`` for
    ``environment``) counts when no exact key exists."""
    if key in tags:
        return tags[key]
    folded = key.lower()
    for name, value in tags.items():
        if isinstance(name, str) and name.lower() == folded:
            return value
    return None


def environment(resource: Resource, params: Mapping[str, Any]) -> str | None:
    """The value of the environment tag (params tags.environment, any case of the key), lower case, if known."""
    tags = resource.tags
    if tags is UNKNOWN or not isinstance(tags, Mapping):
        return None
    value = tag_value(tags, params.get("tags", {}).get("environment", "environment"))
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
