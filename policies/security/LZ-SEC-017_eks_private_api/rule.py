"""The EKS API endpoint is private, or public only to named CIDRs."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

PUBLIC = "vpc_config.endpoint_public_access"
CIDRS = "vpc_config.public_access_cidrs"


@rule(
    id="LZ-SEC-017",
    title="EKS cluster API endpoints are private or restricted to named CIDRs",
    pillar="security",
    framework=["SEC05-BP02"],
    severity="high",
    resource_types=("aws_eks_cluster",),
    remediation=(
        "Set vpc_config { endpoint_private_access = true, endpoint_public_access = false } (modules/"
        "accelerated-compute's default) and reach the API through the VPC (VPN, bastion, CI runners in the "
        "VPC); if a public endpoint is unavoidable, set public_access_cidrs to your egress ranges."
    ),
    rationale=(
        "The Kubernetes API of inference and training clusters controls model servers, their secrets and "
        "their node roles (which can invoke Bedrock). EKS defaults to a public endpoint open to 0.0.0.0/0; "
        "a public endpoint restricted to named CIDRs passes, an open one fails."
        " Framework SEC05-BP02 (control traffic flow within your network layers)."
    ),
)
def check(cluster, plan, params):
    public = cluster.get(PUBLIC, True)
    if public is UNKNOWN:
        return Result.unknown("endpoint_public_access is known only after apply", path=PUBLIC)
    if public is False:
        return Result.passed("the API endpoint is private", path=PUBLIC)
    if not rulekit.configured(cluster, CIDRS):
        return Result.failed("the API endpoint is public and public_access_cidrs defaults to 0.0.0.0/0", path=PUBLIC)
    cidrs = cluster.get(CIDRS)
    if cidrs is UNKNOWN or (isinstance(cidrs, list) and cluster.is_unknown(CIDRS)):
        return Result.unknown("public_access_cidrs are known only after apply", path=CIDRS)
    if not cidrs or any(rulekit.is_open_cidr(c) for c in cidrs):
        return Result.failed("the API endpoint is public to 0.0.0.0/0", path=CIDRS if cidrs else PUBLIC)
    return Result.passed(f"the public API endpoint is restricted to {len(cidrs)} CIDR(s)", path=CIDRS)
