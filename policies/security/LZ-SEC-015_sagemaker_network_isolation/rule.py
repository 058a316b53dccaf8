"""SageMaker Studio domains are VpcOnly; notebook instances have no direct internet and no root."""
from checks import Result, UNKNOWN, rule

CHECKS = {
    "aws_sagemaker_domain": (
        ("app_network_access_type", ("VpcOnly",), "Studio apps reach the internet directly (PublicInternetOnly)"),
        ("domain_settings.docker_settings.enable_docker_access", (None, "DISABLED"),
         "Docker access (root-equivalent in Studio spaces) is enabled"),
    ),
    "aws_sagemaker_notebook_instance": (
        ("direct_internet_access", ("Disabled",), "the notebook has direct internet access"),
        ("root_access", ("Disabled",), "users have root access on the notebook instance"),
    ),
}


@rule(
    id="LZ-SEC-015",
    title="SageMaker domains are VpcOnly without Docker access; notebook instances have no direct internet or root access",
    pillar="security",
    lens=["GENSEC01-BP02"],
    severity="high",
    resource_types=tuple(CHECKS),
    remediation=(
        "aws_sagemaker_domain: app_network_access_type = \"VpcOnly\" (with the sagemaker.api / runtime / studio "
        "endpoints in the VPC) and leave docker_settings.enable_docker_access DISABLED. "
        "aws_sagemaker_notebook_instance: direct_internet_access = \"Disabled\", root_access = \"Disabled\", "
        "subnet_id in a private subnet."
    ),
    rationale=(
        "In PublicInternetOnly mode Studio apps send notebooks, data and model traffic through a "
        "SageMaker-managed internet path your VPC controls (endpoints, security groups, flow logs) never see. "
        "Root access lets notebook users install anything and read other users' credentials. The AWS API "
        "has no root-access setting on Studio domains' default user settings; the closest control, Docker "
        "access in spaces, is checked instead."
        " Lens GENSEC01-BP02: “AWS PrivateLink works for self-managed services as well, like Amazon SageMaker AI”; a "
        "domain in PublicInternetOnly mode bypasses it."
    ),
)
def check(resource, plan, params):
    problems, undecided = [], []
    for path, allowed, problem in CHECKS[resource.type]:
        value = resource.get(path)
        if value is UNKNOWN:
            undecided.append(path)
        elif value not in allowed:
            problems.append((path, problem))
    if problems:
        return Result.failed("; ".join(p for _, p in problems), path=problems[0][0])
    if undecided:
        return Result.unknown(f"{', '.join(undecided)} known only after apply", path=undecided[0])
    return Result.passed("network access is VPC-only and root/Docker access is off", path=CHECKS[resource.type][0][0])
