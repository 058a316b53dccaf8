"""SageMaker API and runtime traffic of every VPC stays on PrivateLink with private DNS."""
from checks import Result, rule
from checks import rulekit

REQUIRED = ("sagemaker.api", "sagemaker.runtime")


@rule(
    id="LZ-SEC-002",
    title="SageMaker API and runtime are reached through PrivateLink interface endpoints with private DNS",
    pillar="security",
    lens=["GENSEC01-BP02"],
    severity="high",
    applies_to="account",
    resource_types=("aws_vpc",),
    remediation=(
        "Add Interface VPC endpoints for com.amazonaws.<region>.sagemaker.api and "
        "com.amazonaws.<region>.sagemaker.runtime in this VPC with private_dns_enabled = true "
        "(modules/network creates them when SageMaker is in its endpoint list)."
    ),
    rationale=(
        "Inference requests to SageMaker endpoints (sagemaker.runtime) carry prompts and completions, and "
        "the control plane (sagemaker.api) is what Studio in VpcOnly mode and pipelines call. Without "
        "interface endpoints with private DNS that traffic leaves the VPC for the public endpoints. The rule "
        "applies only to plans that create SageMaker resources (aws_sagemaker_*); other plans get "
        "not_applicable, so a plain network account is not asked for endpoints it has no use for."
        " Lens GENSEC01-BP02: “AWS PrivateLink works for self-managed services as well, like Amazon SageMaker AI.”"
    ),
)
def check(vpc, plan, params):
    if not rulekit.genai_usage(plan, params).sagemaker:
        return Result.not_applicable("the plan does not use SageMaker (rulekit.genai_usage)")
    endpoints = rulekit.vpc_endpoints(vpc)
    missing, unknown, via = [], [], []
    for service in REQUIRED:
        candidates = [e for e in endpoints if rulekit.endpoint_service(e) == service]
        good = [e for e in candidates
                if e.get("vpc_endpoint_type") == "Interface" and e.get("private_dns_enabled") is True]
        if good:
            via.append(good[0].address)
        elif any(e.is_unknown("private_dns_enabled") or e.is_unknown("vpc_endpoint_type") for e in candidates):
            unknown.append(service)
        else:
            missing.append(service)
    if missing:
        return Result.failed(f"no Interface endpoint with private DNS for {', '.join(missing)} in this VPC",
                             value=missing)
    if unknown:
        return Result.unknown(f"private DNS of the {', '.join(unknown)} endpoint is known only after apply")
    return Result.passed(f"{' and '.join(REQUIRED)} are served by {', '.join(via)} with private DNS", via=via[-1])
