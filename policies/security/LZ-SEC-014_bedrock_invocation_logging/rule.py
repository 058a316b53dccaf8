"""A plan that uses Bedrock turns on model invocation logging with text delivery."""
from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

TYPE = "aws_bedrock_model_invocation_logging_configuration"
DESTINATIONS = (
    ("logging_config.s3_config.bucket_name", ("aws_s3_bucket",), "S3"),
    ("logging_config.cloudwatch_config.log_group_name", ("aws_cloudwatch_log_group",), "CloudWatch Logs"),
)
TEXT = "logging_config.text_data_delivery_enabled"


def _judge(config):
    destinations, undecided = [], []
    for path, types, label in DESTINATIONS:
        target = rulekit.referenced(config, path, types)
        value = config.get(path)
        if target is not None:
            destinations.append(f"{label} ({target.address})")
        elif value is UNKNOWN:
            undecided.append(label)
        elif value:
            destinations.append(label)
    text = config.get(TEXT)
    if text is UNKNOWN and not rulekit.configured(config, TEXT):
        text = None  # left to the provider: not explicitly on
    if text is UNKNOWN:
        return Result.unknown("text_data_delivery_enabled is known only after apply", path=TEXT, address=config.address)
    if text is not True:
        return Result.failed("text data delivery is not enabled: prompts and completions are not logged",
                             path=TEXT, address=config.address)
    if destinations:
        return Result.passed(f"invocation logs with text are delivered to {', '.join(destinations)}", path=TEXT,
                             address=config.address)
    if undecided:
        return Result.unknown(f"the {' and '.join(undecided)} destination is known only after apply and refers to "
                              "nothing in this plan", address=config.address)
    return Result.failed("no S3 or CloudWatch Logs destination is configured", path="logging_config",
                         address=config.address)


@plan_rule(
    id="LZ-SEC-014",
    title="A plan that uses Amazon Bedrock enables model invocation logging with text data delivery",
    pillar="security",
    lens=["GENSEC03-BP01", "GENSEC01-BP04"],
    severity="high",
    applies_to="account",
    resource_types=(TYPE,),
    remediation=(
        "Add aws_bedrock_model_invocation_logging_configuration with logging_config { "
        "text_data_delivery_enabled = true } and an s3_config and/or cloudwatch_config (modules/bedrock "
        "create_invocation_logging = true does this with CMK-encrypted destinations)."
    ),
    rationale=(
        "Model invocation logs are the only record of who sent which prompt to which model and what came "
        "back: the evidence for abuse investigations, prompt-injection forensics and data-leak audits. The "
        "configuration must deliver text data to S3 and/or CloudWatch Logs; destinations known only after "
        "apply pass when they refer to a bucket or log group in the plan. Applies only to plans that use "
        "Bedrock (see LZ-SEC-013); others are not_applicable."
        " Lens GENSEC01-BP04: “In Amazon Bedrock, customers can additionally turn on model invocation logging to "
        "collect metadata, requests and responses for model invocations”; GENSEC03-BP01 asks for data access "
        "monitoring."
    ),
)
def check(plan, params):
    usage = rulekit.bedrock_usage(plan)
    if usage is None:
        return Result.not_applicable("the plan does not use Amazon Bedrock")
    configs = plan.of_type(TYPE)
    if not configs:
        return Result.failed(f"the plan uses Bedrock ({usage.address}) but does not configure model invocation logging",
                             value=usage.address)
    return [_judge(c) for c in configs]
