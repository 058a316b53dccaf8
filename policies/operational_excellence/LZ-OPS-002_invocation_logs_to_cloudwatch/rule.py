"""Bedrock model invocation logs are delivered to CloudWatch Logs, where metrics and alarms can use them."""
from checks import UNKNOWN, Result, plan_rule
from checks import rulekit

LOGGING = "aws_bedrock_model_invocation_logging_configuration"


def _destination(cfg, key, type_name, what):
    path = f"logging_config.cloudwatch_config.{key}"
    target = rulekit.referenced(cfg, "logging_config", type_name)
    value = cfg.get(path)
    if target is not None and value is not None:
        return Result.passed(f"{what} is {target.address}", path=path, via=target.address)
    if value is UNKNOWN:
        return Result.unknown(f"{what} ({path}) is known only after apply", path=path)
    if value in (None, ""):
        return Result.failed(f"{what} is not set ({path})", path=path)
    return Result.passed(f"{what} is set", path=path)


@plan_rule(
    id="LZ-OPS-002",
    title="Bedrock invocation logging delivers to CloudWatch Logs for operational metrics",
    pillar="operational_excellence",
    lens=["GENOPS02-BP02"],
    severity="high",
    resource_types=(LOGGING,),
    remediation=(
        "Add logging_config.cloudwatch_config { log_group_name = aws_cloudwatch_log_group.x.name, role_arn = "
        "aws_iam_role.x.arn } to the aws_bedrock_model_invocation_logging_configuration (modules/bedrock does), "
        "so that metric filters, Logs Insights and alarms can read token counts, latency and errors per request."
    ),
    rationale=(
        "The operational side of invocation logging: an S3-only destination archives requests for audit, but "
        "foundation model metrics per application, prompt and model (input/output tokens, latency, errors) are "
        "derived from the CloudWatch Logs delivery. Whether invocation logging is enabled at all is the security "
        "pack's check (GENSEC03 / GENSEC01-BP04); this rule is not applicable when the plan has no logging "
        "configuration, so that the gap is reported once."
        " Lens GENOPS02-BP02 (monitor foundation model metrics): “For applications using Amazon Bedrock, use Amazon "
        "CloudWatch to monitor crucial metrics such as invocation counts, latency, token usage, error rates, and "
        "throttling events.”"
    ),
)
def check(plan, params):
    configs = plan.of_type(LOGGING)
    if not configs:
        return Result.not_applicable("no model invocation logging configuration in the plan (see the security rules)")
    results = []
    for cfg in configs:
        # Nested-block references are read from the whole logging_config block: the only log group and role it
        # can refer to are those of cloudwatch_config.
        group = _destination(cfg, "log_group_name", "aws_cloudwatch_log_group", "the CloudWatch log group")
        role = _destination(cfg, "role_arn", "aws_iam_role", "the role Bedrock writes the log group with")
        worst = next((r for r in (group, role) if r.status.value == "fail"), None) \
            or next((r for r in (group, role) if r.status.value == "unknown"), None)
        if worst is not None:
            results.append(Result(worst.status, f"invocation logs are not delivered to CloudWatch Logs: {worst.message}",
                                  worst.path, address=cfg.address))
        else:
            results.append(Result.passed(f"invocation logs go to CloudWatch Logs ({group.message}; {role.message})",
                                         path=group.path, via=group.via, address=cfg.address))
    return results
