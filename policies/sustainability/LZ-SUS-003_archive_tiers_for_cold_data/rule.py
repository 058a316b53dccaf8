"""Buckets move cold objects to archive storage (Glacier classes or Intelligent-Tiering)."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

ARCHIVE_CLASSES = ("GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "INTELLIGENT_TIERING")


def _archives(cfg):
    """'yes', 'unknown' or None for a lifecycle configuration."""
    enabled, undecided = rulekit.enabled_lifecycle_rules(cfg)
    for rule_block in enabled:
        for key in ("transition", "noncurrent_version_transition"):
            for t in rule_block.blocks(key):
                storage = t.get("storage_class")
                if storage is UNKNOWN:
                    undecided = True
                elif storage in ARCHIVE_CLASSES:
                    return "yes"
    if undecided or (cfg.is_unknown("rule") and not cfg.blocks("rule")):
        return "unknown"
    return None


@rule(
    id="LZ-SUS-003",
    title="S3 buckets move cold data to archive tiers",
    pillar="sustainability",
    lens=["GENSUS02-BP01"],
    framework=["SUS04-BP03"],
    severity="medium",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Add an Enabled lifecycle rule (aws_s3_bucket_lifecycle_configuration) that transitions objects or "
        "noncurrent versions to GLACIER_IR, GLACIER, DEEP_ARCHIVE or INTELLIGENT_TIERING, or an Enabled "
        "aws_s3_bucket_intelligent_tiering_configuration with archive tiers."
    ),
    rationale=(
        "Training data snapshots, old model artifacts and invocation logs are written once and rarely read; archive "
        "storage classes keep them on denser, lower-energy media. Every bucket is in scope (in a GenAI landing zone "
        "buckets hold data, artifacts or logs); an expiration-only lifecycle does not count (it deletes, it does not "
        "tier). Matched by configuration reference or bucket name."
        " Lens GENSUS02-BP01 (“Optimize data processing and storage to minimize energy consumption”); framework "
        "SUS04-BP03 (use policies to manage the lifecycle of your datasets)."
    ),
)
def check(bucket, plan, params):
    undecided = []
    for cfg in rulekit.bucket_companions(bucket, "aws_s3_bucket_lifecycle_configuration"):
        verdict = _archives(cfg)
        if verdict == "yes":
            return Result.passed(f"{cfg.address} moves objects to an archive class", via=cfg.address)
        if verdict == "unknown":
            undecided.append(cfg.address)
    for cfg in rulekit.bucket_companions(bucket, "aws_s3_bucket_intelligent_tiering_configuration"):
        status = cfg.get("status", "Enabled")
        if status is UNKNOWN:
            undecided.append(cfg.address)
        elif status == "Enabled" and cfg.blocks("tiering"):
            return Result.passed(f"{cfg.address} archives objects through Intelligent-Tiering", via=cfg.address)
    if undecided:
        return Result.unknown(f"the lifecycle of {', '.join(undecided)} is known only after apply")
    return Result.failed("no lifecycle transition to an archive class and no Intelligent-Tiering archive configuration")
