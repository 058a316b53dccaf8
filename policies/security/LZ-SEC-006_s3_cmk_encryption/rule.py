"""S3 buckets are encrypted by default with a customer managed KMS key."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

SSE_TYPE = "aws_s3_bucket_server_side_encryption_configuration"
ALGORITHM = "rule.apply_server_side_encryption_by_default.sse_algorithm"
KEY = "rule.apply_server_side_encryption_by_default.kms_master_key_id"
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _judge(holder, prefix=""):
    algorithm = holder.get(prefix + ALGORITHM)
    if algorithm is UNKNOWN:
        return Result.unknown("the default encryption algorithm is known only after apply", path=prefix + ALGORITHM)
    if algorithm not in KMS_ALGORITHMS:
        return Result.failed(f"default encryption is {algorithm or 'not set'} (SSE-S3, an AWS owned key), not aws:kms",
                             path=prefix + ALGORITHM)
    return rulekit.customer_managed_key(holder, prefix + KEY, "default encryption")


@rule(
    id="LZ-SEC-006",
    title="S3 buckets are encrypted by default with a customer managed KMS key (SSE-KMS)",
    pillar="security",
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with "
        "sse_algorithm = \"aws:kms\" and kms_master_key_id = <your aws_kms_key>.arn (bucket_key_enabled = true "
        "keeps KMS request costs down)."
    ),
    rationale=(
        "Buckets of a GenAI workload hold training and fine-tuning data, RAG corpora, model artifacts and "
        "invocation logs with full prompts. SSE-S3 and the AWS managed aws/s3 key cannot be restricted by "
        "a key policy, so anyone with s3:GetObject reads the data; a customer managed key adds a second, "
        "auditable permission. The configuration is found through its bucket reference (or the bucket's "
        "known name); a key known only after apply passes only when it refers to a key in the plan."
        " Framework SEC08-BP02 (enforce encryption at rest): “For sensitive data that requires fine-grained access to "
        "the underlying encryption key, consider customer managed keys (CMKs).” Generic S3 encryption is not the "
        "lens' GENSEC01-BP03 (least privilege for foundation models accessing data stores)."
    ),
)
def check(bucket, plan, params):
    configs = rulekit.bucket_companions(bucket, SSE_TYPE)
    if configs:
        results = [rulekit.about(_judge(c), c.address) for c in configs]
        for status in ("pass", "unknown"):
            for result in results:
                if result.status.value == status:
                    return result
        return results[0]
    if bucket.is_set("server_side_encryption_configuration"):
        return _judge(bucket, "server_side_encryption_configuration.")
    return Result.failed("no default encryption configuration refers to this bucket: S3 uses SSE-S3 (AWS owned key)")
