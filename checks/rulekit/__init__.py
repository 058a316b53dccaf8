"""Helpers rules share, one module per topic, all re-exported here.

Rules write ``from checks import rulekit`` and call ``rulekit.X(...)`` so that the same
question (is this an Inferentia type? is this resource in production? does this policy
allow bedrock:* on *?) is answered in one place:

* :mod:`~checks.rulekit.core`: per-plan lookups, lists, references, companions' verdicts
* :mod:`~checks.rulekit.tags`: effective tags, environments read from them, types that carry no cost
* :mod:`~checks.rulekit.accelerators`: instance families, node groups, launch templates
* :mod:`~checks.rulekit.iam`: IAM policy documents, action patterns, public principals
* :mod:`~checks.rulekit.network`: open CIDRs, subnets and AZs, VPC endpoints
* :mod:`~checks.rulekit.storage`: S3 bucket companions and lifecycle, KMS customer managed keys
* :mod:`~checks.rulekit.genai`: THE definition of GenAI use (:func:`genai_usage`), workload evidence

A topic module imports only :mod:`core` and the topics listed before it.
"""
from __future__ import annotations

from checks.rulekit.accelerators import (
    WORKLOAD_LABELS,
    accelerated_types,
    accelerator_kind,
    families,
    instance_family,
    launch_template_of,
    node_group_instance_types,
    node_group_workload,
)
from checks.rulekit.core import (
    Referrers,
    about,
    as_list,
    configured,
    data_source,
    group_by,
    has_unknown,
    is_empty,
    json_document,
    plan_index,
    referenced,
    referrers,
    through_local,
)
from checks.rulekit.genai import (
    BEDROCK_DATA_EVENT_PREFIX,
    BEDROCK_INVOKE_ACTIONS,
    COMPUTE_INSTANCE_PATHS,
    GENAI_TYPE_PREFIXES,
    GenAIUsage,
    bedrock_usage,
    data_events_cover,
    genai_footprint,
    genai_resources,
    genai_usage,
    organization_managed,
    trail_data_event_types,
    workload_evidence,
)
from checks.rulekit.iam import (
    BLOCK_INDEX,
    IAM_POLICY_PATHS,
    IDENTITY_POLICY_TYPES,
    SCOPING_CONDITION_KEYS,
    PolicyDoc,
    condition_scopes,
    covers,
    grants_whole_service,
    iam_policy_paths,
    identity_policies,
    is_allow,
    is_wildcard_resource,
    policy_document,
    policy_statements,
    public_principal,
    role_policy_documents,
)
from checks.rulekit.network import (
    GENAI_ENDPOINT_PREFIXES,
    OPEN_CIDRS,
    endpoint_service,
    is_genai_service,
    is_open_cidr,
    subnet_az,
    subnet_spread,
    vpc_endpoints,
)
from checks.rulekit.storage import (
    KMS_KEY_TYPES,
    bucket_companions,
    customer_managed_key,
    enabled_lifecycle_rules,
    is_aws_managed_key,
)
from checks.rulekit.tags import (
    COSTLESS_TYPES,
    carries_cost,
    effective_tags,
    environment,
    environment_class,
    is_production,
    provider_sets_default_tags,
    tag_value,
)

# The old private name, still read by checks/integrations/checkov_bridge.py (being reworked on another
# branch); use has_unknown. Remove once the bridge calls rulekit.has_unknown.
_has_unknown = has_unknown

__all__ = [
    "BEDROCK_DATA_EVENT_PREFIX", "BEDROCK_INVOKE_ACTIONS", "BLOCK_INDEX", "COMPUTE_INSTANCE_PATHS", "COSTLESS_TYPES",
    "GENAI_ENDPOINT_PREFIXES", "GENAI_TYPE_PREFIXES", "GenAIUsage", "IAM_POLICY_PATHS",
    "IDENTITY_POLICY_TYPES", "KMS_KEY_TYPES", "OPEN_CIDRS", "PolicyDoc", "Referrers",
    "SCOPING_CONDITION_KEYS", "WORKLOAD_LABELS", "about", "accelerated_types", "accelerator_kind", "as_list",
    "bedrock_usage", "bucket_companions", "carries_cost", "condition_scopes", "configured", "covers",
    "customer_managed_key", "data_events_cover", "data_source", "effective_tags", "enabled_lifecycle_rules", "endpoint_service",
    "environment", "environment_class", "families", "genai_footprint", "genai_resources", "genai_usage",
    "grants_whole_service", "group_by", "has_unknown", "iam_policy_paths", "identity_policies",
    "instance_family", "is_allow", "is_aws_managed_key", "is_empty", "is_genai_service", "is_open_cidr",
    "is_production", "is_wildcard_resource", "json_document", "launch_template_of",
    "node_group_instance_types", "node_group_workload", "organization_managed", "plan_index",
    "policy_document", "policy_statements", "provider_sets_default_tags", "public_principal", "referenced",
    "referrers", "role_policy_documents", "subnet_az", "subnet_spread", "tag_value", "through_local", "trail_data_event_types",
    "vpc_endpoints", "workload_evidence",
]
