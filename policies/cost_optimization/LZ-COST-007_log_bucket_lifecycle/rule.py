"""Log buckets expire or tier down their objects through a lifecycle configuration."""
import re

from checks import UNKNOWN, Result, rule
from checks import rulekit

# resources that write logs into a bucket, and the argument naming it
LOG_WRITERS = (
    ("aws_s3_bucket_logging", "target_bucket"),
    ("aws_cloudtrail", "s3_bucket_name"),
    ("aws_flow_log", "log_destination"),
    ("aws_bedrock_model_invocation_logging_configuration", "logging_config.s3_config.bucket_name"),
    ("aws_config_delivery_channel", "s3_bucket_name"),
    ("aws_lb", "access_logs.bucket"),
)
LOG_NAME = re.compile(r"(^|[-_.])(logs?|logging|audit|cloudtrail|trail|access-logs?)([-_.]|$)")


def is_log_bucket(bucket):
    for type_name, path in LOG_WRITERS:
        if bucket.referenced_by(type_name, path):
            return f"written by {bucket.referenced_by(type_name, path)[0].address}"
    for key in ("bucket", "bucket_prefix"):
        name = bucket.get(key)
        if isinstance(name, str) and LOG_NAME.search(name.lower()):
            return f"named {name!r}"
    return None


def _configured(value):
    """Set in the configuration (a value known only after apply still expires / archives)."""
    return value is UNKNOWN or value not in (None, "", 0)


def _expires_or_archives(rule_block):
    expires = any(_configured(b.get("days")) or _configured(b.get("date")) for b in rule_block.blocks("expiration"))
    archives = any(_configured(b.get("storage_class")) for b in rule_block.blocks("transition"))
    return expires or archives


@rule(
    id="LZ-COST-007",
    title="Log buckets have a lifecycle configuration that expires or archives objects",
    pillar="cost_optimization",
    framework=["COST04-BP05"],
    severity="medium",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Add an aws_s3_bucket_lifecycle_configuration for the bucket (bucket = aws_s3_bucket.x.id) with an Enabled "
        "rule that transitions objects to an archive class and expires them after the retention period "
        "(and expires noncurrent versions)."
    ),
    rationale=(
        "Invocation logs, CloudTrail and flow logs grow with every request and are rarely read after a few weeks; "
        "without a lifecycle they are billed at S3 Standard forever. A bucket is a log bucket when a log writer "
        "(invocation logging, CloudTrail, flow logs, access logging, Config, load balancer) refers to it, or its "
        "name says so."
        " Framework COST04-BP05 (enforce data retention policies). No Generative AI Lens best practice covers log "
        "retention cost."
    ),
)
def check(bucket, plan, params):
    why = is_log_bucket(bucket)
    if why is None:
        return None
    configs = rulekit.bucket_companions(bucket, "aws_s3_bucket_lifecycle_configuration")
    undecided = False
    for cfg in configs:
        enabled, status_unknown = rulekit.enabled_lifecycle_rules(cfg)
        undecided = undecided or status_unknown
        for rule_block in enabled:
            if _expires_or_archives(rule_block):
                return Result.passed(f"log bucket ({why}): {cfg.address} expires/archives objects", via=cfg.address)
        if cfg.is_unknown("rule"):
            undecided = True
    if undecided:
        return Result.unknown(f"log bucket ({why}): the lifecycle rules are known only after apply")
    if configs:
        return Result.failed(f"log bucket ({why}): {configs[0].address} has no enabled rule that expires or archives "
                             "current objects")
    return Result.failed(f"log bucket ({why}) has no lifecycle configuration")
