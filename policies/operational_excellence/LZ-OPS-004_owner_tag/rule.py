"""GenAI and accelerator resources name a real owner in the owner tag."""
import re

from checks import UNKNOWN, Result, rule, rulekit

PLACEHOLDER = re.compile(r"^(tbd|todo|unknown|none|null|n/?a|owner|changeme|change-me|default|test|xxx+|-+|\?+)$", re.I)
TYPES = (
    "aws_bedrock_guardrail", "aws_bedrock_custom_model", "aws_bedrock_provisioned_model_throughput",
    "aws_bedrock_inference_profile", "aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base",
    "aws_sagemaker_domain", "aws_sagemaker_model", "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration",
    "aws_sagemaker_notebook_instance", "aws_eks_cluster", "aws_eks_node_group",
)


def _accelerated(resource, plan, params):
    """EKS clusters and node groups count only when they run accelerators (rulekit.genai_usage)."""
    accelerated = rulekit.genai_usage(plan, params).accelerators
    if resource.type == "aws_eks_node_group":
        return resource in accelerated
    return any(g in accelerated for g in resource.referenced_by("aws_eks_node_group", "cluster_name"))


@rule(
    id="LZ-OPS-004",
    title="GenAI and accelerator resources carry an owner tag that names a real owner",
    pillar="operational_excellence",
    framework=["OPS02-BP01"],
    severity="high",
    resource_types=TYPES,
    remediation=(
        "Set the params tags.owner tag (owner) to the team or on-call alias that runs the resource, e.g. "
        "owner = \"ml-platform@example.com\", best through the provider's default_tags; placeholders such as TBD, "
        "unknown or n/a do not count."
    ),
    rationale=(
        "Lifecycle automation through IaC (change approval, alert routing, clean-up of idle endpoints and node "
        "groups) needs to know whom a model endpoint, guardrail or accelerator group belongs to. The cost-allocation "
        "rule LZ-COST-004 checks that the tag key exists on every resource; this rule checks, on the GenAI "
        "resources, that the value names someone. EKS clusters and node groups count only when they run "
        "accelerator instance types (rulekit.genai_usage); CPU-only clusters are not_applicable."
        " Framework OPS02-BP01 (resources have identified owners). The former mapping to the lens' GENOPS04-BP01 "
        "(automate the lifecycle with IaC) was a stretch: a tag value is not lifecycle automation."
    ),
)
def check(resource, plan, params):
    if resource.type in ("aws_eks_cluster", "aws_eks_node_group") and not _accelerated(resource, plan, params):
        return Result.not_applicable("no accelerator instance types: not a GenAI or accelerator resource")
    if not resource.taggable and not resource.is_unknown("tags"):
        return None
    key = params.get("tags", {}).get("owner", "owner")
    tags = resource.tags
    if tags is UNKNOWN:
        return Result.unknown("the tags are known only after apply", path="tags")
    value = rulekit.tag_value(tags, key)  # Owner counts for owner
    if not isinstance(value, str) or not value.strip():
        return Result.failed(f"no {key} tag")
    if PLACEHOLDER.match(value.strip()):
        return Result.failed(f"the {key} tag holds a placeholder ({value.strip()!r}), not an owner", value=value)
    return Result.passed(f"owned by {value}", value=value)
