"""CloudWatch log groups keep their events for a set, sufficient retention period."""
from checks import UNKNOWN, Result, rule

@rule(
    id="LZ-OPS-001",
    title="CloudWatch log groups set a retention of at least the minimum number of days",
    pillar="operational_excellence",
    framework=["SEC04-BP01", "COST04-BP05"],
    severity="high",
    resource_types=("aws_cloudwatch_log_group",),
    remediation=(
        "Set retention_in_days on every aws_cloudwatch_log_group to a value of at least params "
        "logs.min_retention_days (e.g. 90, 180, 365); 0 or unset means the events never expire."
    ),
    rationale=(
        "Monitoring every layer (model invocations, endpoints, EKS control plane, VPC flows) needs the logs to "
        "exist long enough to investigate an incident or a quality regression, and no longer than needed: an "
        "unset retention keeps (and bills) every event forever, a short one loses the evidence."
        " Framework SEC04-BP01 (configure service and application logging) asks that logs exist for investigations, "
        "COST04-BP05 (enforce data retention policies) that they do not live forever. The lens' GENOPS02-BP01 "
        "(monitor all application layers) is about what is monitored, not how long logs are kept."
    ),
)
def check(group, plan, params):
    minimum = int(params.get("logs", {}).get("min_retention_days", 90))
    days = group.get("retention_in_days")
    if days is UNKNOWN:
        return Result.unknown("retention_in_days is known only after apply", path="retention_in_days")
    if not days:
        return Result.failed("retention_in_days is not set: events never expire", path="retention_in_days")
    if int(days) < minimum:
        return Result.failed(f"retention of {days} days is below the minimum of {minimum}", path="retention_in_days")
    return Result.passed(f"events are kept {days} days (minimum {minimum})", path="retention_in_days")
