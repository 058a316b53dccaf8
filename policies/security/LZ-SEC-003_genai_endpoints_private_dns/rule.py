"""Every Bedrock / SageMaker VPC endpoint is an Interface endpoint with private DNS."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


@rule(
    id="LZ-SEC-003",
    title="Bedrock and SageMaker VPC endpoints are Interface endpoints with private DNS enabled",
    pillar="security",
    lens=["GENSEC01-BP02"],
    severity="high",
    resource_types=("aws_vpc_endpoint",),
    remediation=(
        "Set vpc_endpoint_type = \"Interface\" and private_dns_enabled = true on the endpoint, so the SDK's "
        "default hostnames (bedrock-runtime.<region>.amazonaws.com, runtime.sagemaker...) resolve to it."
    ),
    rationale=(
        "An endpoint to bedrock*, sagemaker.* or SageMaker Studio without private DNS is bypassed by every "
        "client that uses the default endpoint name: prompts, completions and agent traffic go to the public "
        "endpoint while the endpoint looks like it protects them. Other services' endpoints are out of scope."
        " Lens GENSEC01-BP02: without private network communication, “access to these endpoints would be available "
        "through the public internet, increasing exposure.”"
    ),
)
def check(endpoint, plan, params):
    service = rulekit.endpoint_service(endpoint)
    if endpoint.get("service_name") is UNKNOWN:
        return Result.unknown("service_name is known only after apply", path="service_name")
    if not rulekit.is_genai_service(service):
        return None
    kind = endpoint.get("vpc_endpoint_type")
    if kind is UNKNOWN:
        return Result.unknown("vpc_endpoint_type is known only after apply", path="vpc_endpoint_type")
    if kind != "Interface":
        return Result.failed(f"{service} endpoint is of type {kind or 'Gateway'}, not Interface", path="vpc_endpoint_type")
    dns = endpoint.get("private_dns_enabled")
    if dns is UNKNOWN:
        return Result.unknown("private_dns_enabled is known only after apply", path="private_dns_enabled")
    if dns is not True:
        return Result.failed(f"{service} endpoint has private DNS disabled", path="private_dns_enabled")
    return Result.passed(f"{service} Interface endpoint with private DNS", path="private_dns_enabled")
