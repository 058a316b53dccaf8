"""S3 buckets (model artifacts, data, logs) keep object versions."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-REL-006",
    title="S3 buckets holding artifacts, data or logs have versioning enabled",
    pillar="reliability",
    framework=["REL09-BP01"],
    severity="medium",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Add an aws_s3_bucket_versioning resource for the bucket (bucket = aws_s3_bucket.x.id) with "
        "versioning_configuration { status = \"Enabled\" }, and a lifecycle rule that expires noncurrent versions."
    ),
    rationale=(
        "Versioned buckets keep every version of model artifacts, fine-tuning data and prompts/logs, so a model can be "
        "rolled back and an overwrite or deletion undone: the storage half of a model catalog (the catalog process "
        "itself cannot be seen in a plan). Held at medium severity because an unversioned artifact "
        "bucket loses the only copy of a model on overwrite. Matched by configuration reference or bucket name."
        " Framework REL09-BP01 (identify and back up all data that needs to be backed up, or reproduce the data from "
        "sources): versions are the bucket's own backup. The former mapping to the lens' GENREL04-BP02 (implement a "
        "model catalog) was a stretch: versioning is not a model catalog."
    ),
)
def check(bucket, plan, params):
    configs = rulekit.bucket_companions(bucket, "aws_s3_bucket_versioning")
    for cfg in configs:
        status = cfg.get("versioning_configuration.status")
        if status is UNKNOWN:
            return Result.unknown(f"the versioning status of {cfg.address} is known only after apply")
        if status == "Enabled":
            return Result.passed(f"versioning enabled by {cfg.address}", via=cfg.address)
    if bucket.get("versioning.enabled") is True:
        return Result.passed("versioning enabled (inline versioning block)", path="versioning.enabled")
    if configs:
        return Result.failed(f"{configs[0].address} does not enable versioning", value=configs[0].get("versioning_configuration.status"))
    return Result.failed("no aws_s3_bucket_versioning with status Enabled for this bucket")
