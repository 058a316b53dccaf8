"""Instances, launch templates and launch configurations require IMDSv2 session tokens."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

TOKENS = "metadata_options.http_tokens"
ENDPOINT = "metadata_options.http_endpoint"


@rule(
    id="LZ-SEC-018",
    title="EC2 instances, launch templates and launch configurations require IMDSv2",
    pillar="security",
    framework=["SEC06-BP02"],
    severity="high",
    resource_types=("aws_launch_template", "aws_instance", "aws_launch_configuration"),
    remediation=(
        "Set metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 (2 for "
        "containers that need the node role) } on the launch template, launch configuration or instance "
        "(modules/accelerated-compute's node launch template does)."
    ),
    rationale=(
        "Inference and training nodes carry instance roles that can pull models and invoke Bedrock or "
        "SageMaker. With IMDSv1 a server-side request forgery in a model server or notebook (common in "
        "prompt-driven tool use) reads those credentials. A metadata endpoint that is disabled also passes; "
        "an unset http_tokens is optional on most AMIs and fails. Auto Scaling launch configurations "
        "(older groups and modules still create them) are judged like launch templates."
        " Framework SEC06-BP02 (provision compute from hardened images): “Provide fewer opportunities for unintended "
        "access to your runtime environments”. The former mapping to the lens' GENSEC01-BP01 was a stretch: IMDSv2 "
        "does not scope access to model endpoints."
    ),
)
def check(resource, plan, params):
    endpoint = resource.get(ENDPOINT)
    if endpoint == "disabled":
        return Result.passed("the instance metadata service is disabled", path=ENDPOINT)
    tokens = resource.get(TOKENS)
    if tokens is UNKNOWN and not rulekit.configured(resource, TOKENS):
        tokens = None  # metadata_options is set but http_tokens is left to the provider / AMI default
    if tokens is UNKNOWN:
        return Result.unknown("http_tokens is known only after apply", path=TOKENS)
    if tokens != "required":
        return Result.failed(f"IMDSv2 is not required (http_tokens = {tokens or 'not set'})", path=TOKENS)
    return Result.passed("IMDSv2 session tokens are required", path=TOKENS)
