"""Bedrock model customization jobs run in a VPC; SageMaker models run network-isolated or in a VPC."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

VPC_PATHS = {
    "aws_bedrock_custom_model": ("vpc_config", "subnet_ids"),
    "aws_sagemaker_model": ("vpc_config", "subnets"),
}


def _vpc(resource):
    """True / False / UNKNOWN: a vpc_config with subnets and security groups."""
    block, subnets_key = VPC_PATHS[resource.type]
    if resource.get(block) is UNKNOWN:
        return UNKNOWN
    configs = resource.blocks(block)
    if not configs:
        return False
    subnets, groups = configs[0].get(subnets_key), configs[0].get("security_group_ids")
    if UNKNOWN in (subnets, groups):
        return UNKNOWN
    return bool(subnets) and bool(groups)


@rule(
    id="LZ-SEC-033",
    title="Bedrock model customization jobs run in a VPC; SageMaker models are network-isolated or in a VPC",
    pillar="security",
    lens=["GENSEC01-BP02"],
    severity="high",
    resource_types=tuple(VPC_PATHS),
    remediation=(
        "aws_bedrock_custom_model: add vpc_config { subnet_ids = private subnets, security_group_ids = [...] } "
        "(with an S3 gateway endpoint) so the job reads training data through your VPC. aws_sagemaker_model: set "
        "enable_network_isolation = true (the container gets no network at all) or vpc_config { subnets, "
        "security_group_ids } in private subnets."
    ),
    rationale=(
        "Lens GENSEC01-BP02 (implement private network communication between foundation models and applications): "
        "a customization job reads the training data and writes model artifacts, and a model container serves "
        "requests with the execution role's credentials. Outside a VPC the job's data path is not under your "
        "network controls (endpoint policies, flow logs); a SageMaker container without network isolation or a "
        "VPC can call out to the internet with the data it processes (third-party containers, supply chain). "
        "Values known only after apply are unknown."
        " Lens GENSEC01-BP02: “AWS PrivateLink works for self-managed services as well, like Amazon SageMaker AI.”"
    ),
)
def check(resource, plan, params):
    if resource.type == "aws_sagemaker_model":
        isolated = resource.get("enable_network_isolation")
        if isolated is True:
            return Result.passed("the model container runs with network isolation", path="enable_network_isolation")
        vpc = _vpc(resource)
        if vpc is True:
            return Result.passed("the model container runs in the VPC's subnets", path="vpc_config")
        if UNKNOWN in (isolated, vpc):
            return Result.unknown("network isolation / vpc_config known only after apply", path="vpc_config")
        return Result.failed("the model container has network access outside any VPC: no network isolation, no "
                             "vpc_config", path="enable_network_isolation")
    vpc = _vpc(resource)
    if vpc is UNKNOWN:
        return Result.unknown("vpc_config is known only after apply", path="vpc_config")
    if vpc:
        return Result.passed("the customization job runs in the VPC's subnets", path="vpc_config")
    return Result.failed("the customization job runs outside your VPC (no vpc_config)", path="vpc_config")
