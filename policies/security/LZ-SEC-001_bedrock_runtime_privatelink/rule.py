"""Bedrock runtime traffic of every VPC stays on PrivateLink with private DNS."""
from checks import Result, rule, rulekit

SERVICES = ("bedrock-runtime",)


@rule(
    id="LZ-SEC-001",
    title="Bedrock runtime is reached through a PrivateLink interface endpoint with private DNS",
    pillar="security",
    lens=["GENSEC01-BP02"],
    severity="high",
    applies_to="account",
    resource_types=("aws_vpc",),
    remediation=(
        "Add an Interface VPC endpoint for com.amazonaws.<region>.bedrock-runtime in this VPC with "
        "private_dns_enabled = true (modules/network does this by default)."
    ),
    rationale=(
        "Without an interface endpoint, prompts and completions leave the VPC for the public Bedrock "
        "endpoint; with private DNS the SDK's default hostname resolves to the endpoint."
        " Lens GENSEC01-BP02: “Without private network communication between foundation model endpoints and generative "
        "AI applications, access to these endpoints would be available through the public internet, increasing "
        "exposure.”"
    ),
)
def check(vpc, plan, params):
    if not rulekit.genai_usage(plan, params).bedrock:
        return Result.not_applicable("the plan does not use Amazon Bedrock (rulekit.genai_usage)")
    endpoints = rulekit.vpc_endpoints(vpc)
    runtime = [e for e in endpoints if str(e.get("service_name", "")).endswith(SERVICES)]
    if not runtime:
        return Result.failed("no bedrock-runtime interface endpoint refers to this VPC")
    for endpoint in runtime:
        if endpoint.get("vpc_endpoint_type") != "Interface":
            continue
        if endpoint.get("private_dns_enabled") is True:
            return Result.passed(f"{endpoint.address} serves bedrock-runtime with private DNS", via=endpoint.address)
    return Result.failed(
        f"bedrock-runtime endpoint {runtime[0].address} is not an Interface endpoint with private DNS",
        value=runtime[0].address,
    )
