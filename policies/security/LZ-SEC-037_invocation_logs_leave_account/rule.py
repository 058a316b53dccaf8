"""Bedrock model invocation logs leave the workload account (S3 replication or a CloudWatch Logs destination)."""
from __future__ import annotations

from checks import Result, UNKNOWN, rule
from checks import rulekit

TYPE = "aws_bedrock_model_invocation_logging_configuration"
BUCKET = "logging_config.s3_config.bucket_name"
KEY_PREFIX = "logging_config.s3_config.key_prefix"
LOG_GROUP = "logging_config.cloudwatch_config.log_group_name"
REPLICATION = "aws_s3_bucket_replication_configuration"
SUBSCRIPTION = "aws_cloudwatch_log_subscription_filter"


def _planned(config, path, type, attribute):
    """The planned resource of ``type`` the destination at ``path`` names (by reference or by its
    known name), None when it names none, UNKNOWN when the name is known only after apply."""
    target = rulekit.referenced(config, path, type)
    if target is not None:
        return target
    value = config.get(path)
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, str) and value:
        found = rulekit.plan_index(config.plan, f"by-{attribute}:{type}", lambda p: rulekit.group_by(p, type, attribute))
        return (found.get(value) or [UNKNOWN])[0]
    return None


def _in_scope(config, destinations, params):
    """Why the logs must leave the account (organization member, production), False when they need
    not, UNKNOWN when the destinations' tags are known only after apply."""
    if rulekit.organization_managed(config.plan):
        return "the account is an organization member (organization_security_services = true)"
    undecided = False
    for target in destinations:
        cls = rulekit.environment_class(target, params)
        if cls == "production":
            return f"production ({target.address})"
        undecided = undecided or cls is UNKNOWN
    return UNKNOWN if undecided else False


def _prefix_covers(prefix, key_prefix):
    """Does a replication rule prefix reach the objects Bedrock writes under key_prefix?"""
    written = f"{key_prefix}/AWSLogs/" if isinstance(key_prefix, str) and key_prefix else "AWSLogs/"
    return isinstance(prefix, str) and written.startswith(prefix)


def _rule_prefix(block):
    """The object key prefix a replication rule selects ("" = every object); UNKNOWN, or None when
    it filters on tags (Bedrock writes untagged objects)."""
    for filt in block.blocks("filter"):
        if filt.blocks("tag") or any(a.get("tags") for a in filt.blocks("and")):
            return None
        prefixes = [filt.get("prefix")] + [a.get("prefix") for a in filt.blocks("and")]
        if UNKNOWN in prefixes:
            return UNKNOWN
        return next((p for p in prefixes if p), "")
    prefix = block.get("prefix")
    return prefix if prefix is UNKNOWN else (prefix or "")


def _replicated(bucket, key_prefix):
    """(result kind, message): 'pass' with the destination account, 'unknown', or None."""
    undecided = None
    for cfg in rulekit.bucket_companions(bucket, REPLICATION):
        for i, block in enumerate(cfg.blocks("rule")):
            status, prefix = block.get("status"), _rule_prefix(block)
            destination = (block.blocks("destination") or [None])[0]
            if destination is None:
                continue
            account = destination.get("account")
            if UNKNOWN in (status, prefix, account) or key_prefix is UNKNOWN:
                undecided = f"{cfg.address}: the rule's status, prefix or destination account is known only after apply"
                continue
            if status != "Enabled" or prefix is None or not account:
                continue
            if not _prefix_covers(prefix, key_prefix):
                continue
            if cfg.references(f"rule.{i}.destination.0.bucket", "aws_s3_bucket"):
                continue  # a bucket of this plan: the same account
            return "pass", f"replicated by {cfg.address} to account {account}"
    return ("unknown", undecided) if undecided else (None, None)


def _cross_account_subscription(group):
    undecided = None
    for sub in group.referenced_by(SUBSCRIPTION, "log_group_name"):
        arn = sub.get("destination_arn")
        if arn is UNKNOWN:
            undecided = f"{sub.address}: destination_arn is known only after apply"
        elif isinstance(arn, str) and ":logs:" in arn and ":destination:" in arn:
            return "pass", f"streamed by {sub.address} to the CloudWatch Logs destination {arn}"
    return ("unknown", undecided) if undecided else (None, None)


@rule(
    id="LZ-SEC-037",
    title="Bedrock model invocation logs of production and organization-member accounts leave the account",
    pillar="security",
    lens=["GENSEC01-BP04", "GENSEC03-BP01"],
    framework=["SEC04-BP02"],
    severity="high",
    resource_types=(TYPE,),
    remediation=(
        "Replicate the invocation log bucket to the organization's log-archive bucket: "
        "aws_s3_bucket_replication_configuration with an Enabled rule over the logging key prefix, destination "
        "{ account = <log-archive account>, access_control_translation { owner = \"Destination\" }, "
        "encryption_configuration { replica_kms_key_id = <log-archive key> } } and sse_kms_encrypted_objects "
        "selected (modules/bedrock invocation_log_replication does this), or subscribe the invocation log group to "
        "a CloudWatch Logs destination in the log-archive account."
    ),
    rationale=(
        "Bedrock delivers invocation logs only to a bucket or log group of the same account and Region, where the "
        "account's own administrators (or whoever takes over their credentials) can delete the prompts and "
        "completions an investigation needs. In an organization member account, and in production, the logs must "
        "also reach the log-archive account: an Enabled S3 replication rule that selects the logging prefix (no "
        "tag filter: Bedrock writes untagged objects) and names a destination account, to a bucket that is not in "
        "this plan (a bucket of the plan is in the same account), or a subscription filter of the invocation log "
        "group to a CloudWatch Logs destination (the cross-account delivery of CloudWatch Logs). Accounts that are "
        "neither (no organization_security_services = true, no production environment tag on the destinations) "
        "are not_applicable; values known only after apply are unknown."
        " Lens GENSEC01-BP04 (“Implement access monitoring to generative AI services and foundation models”) and "
        "GENSEC03-BP01 (“Implement control plane and data access monitoring to generative AI services and foundation "
        "models”): the invocation logs are that monitoring's data access record; framework SEC04-BP02 (“Capture "
        "logs, findings, and metrics in standardized locations”): a central, access-controlled log archive."
    ),
)
def check(config, plan, params):
    bucket = _planned(config, BUCKET, "aws_s3_bucket", "bucket")
    group = _planned(config, LOG_GROUP, "aws_cloudwatch_log_group", "name")
    destinations = [t for t in (bucket, group) if t not in (None, UNKNOWN)]
    scope = _in_scope(config, destinations, params)
    if scope is False:
        return Result.not_applicable("neither an organization member nor a production account: the logs may stay here")
    found = []
    if bucket not in (None, UNKNOWN):
        found.append(_replicated(bucket, config.get(KEY_PREFIX)))
    if group not in (None, UNKNOWN):
        found.append(_cross_account_subscription(group))
    passing = [m for kind, m in found if kind == "pass"]
    if passing:
        return Result.passed(f"the invocation logs leave the account: {'; '.join(passing)}")
    undecided = [m for kind, m in found if kind == "unknown"]
    if scope is UNKNOWN:
        undecided.append("the destinations' environment tags are known only after apply")
    if bucket is UNKNOWN or group is UNKNOWN:
        undecided.append("a destination is known only after apply or is not planned here, so its replication or "
                         "subscription cannot be seen")
    if undecided:
        return Result.unknown("; ".join(undecided))
    return Result.failed(f"{scope}: the invocation logs stay in the account (no S3 replication to another account, no "
                         "CloudWatch Logs destination), where its administrators can delete them")
