"""S3 buckets are covered by a full public access block."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

SETTINGS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def _judge(block):
    off = [s for s in SETTINGS if block.get(s) is not True and block.get(s) is not UNKNOWN]
    unknown = [s for s in SETTINGS if block.get(s) is UNKNOWN]
    if off:
        return "fail", f"{block.address} leaves {', '.join(off)} off"
    if unknown:
        return "unknown", f"{block.address}: {', '.join(unknown)} known only after apply"
    return "pass", f"{block.address} blocks all public access"


_RANK = {"pass": 0, "unknown": 1, "fail": 2}


def _account_verdict(plan):
    """The verdict of the account-level blocks (the first passing one, else the first unknown,
    else the first failing one), judged once per plan, not once per bucket."""
    best = None
    for block in plan.of_type("aws_s3_account_public_access_block"):
        verdict = (_judge(block), block)
        if best is None or _RANK[verdict[0][0]] < _RANK[best[0][0]]:
            best = verdict
    return best


@rule(
    id="LZ-SEC-020",
    title="S3 buckets are covered by a public access block with all four settings on",
    pillar="security",
    framework=["SEC03-BP07", "SEC08-BP04"],
    severity="high",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Add an aws_s3_bucket_public_access_block for the bucket (or an aws_s3_account_public_access_block "
        "for the account) with block_public_acls, block_public_policy, ignore_public_acls and "
        "restrict_public_buckets = true."
    ),
    rationale=(
        "A single public ACL or policy on a bucket of training data, embeddings or prompt logs publishes "
        "it. The bucket's own block (found through its bucket reference or known name) or an account-level "
        "block in the same plan passes when all four settings are on. A bucket the plan creates with no "
        "block resource passes on the S3 default: since April 2023 every new bucket has all four "
        "bucket-level settings on (a block resource that turns one off fails). An existing bucket without a "
        "block in the plan fails: it may predate that default."
        " Framework SEC03-BP07 (analyze public and cross-account access) and SEC08-BP04 (enforce access control). Not "
        "specific to model data access (the lens' GENSEC01-BP03, the former mapping)."
    ),
)
def check(bucket, plan, params):
    verdicts = [(_judge(c), c) for c in rulekit.bucket_companions(bucket, "aws_s3_bucket_public_access_block")]
    account = rulekit.plan_index(plan, "LZ-SEC-020:account", _account_verdict)
    if account is not None:
        verdicts.append(account)
    if not verdicts:
        if "create" in bucket.actions:
            return Result.passed("a new bucket: S3 turns Block Public Access on (all four settings) for every new "
                                 "bucket by default since April 2023, and no bucket- or account-level block in the "
                                 "plan changes it (bucket default applies)")
        return Result.failed("no public access block covers this existing bucket (bucket or account level); buckets "
                             "created before April 2023 have none by default")
    for wanted in ("pass", "unknown", "fail"):
        for (status, message), block in verdicts:
            if status == wanted:
                if status == "pass":
                    return Result.passed(message, via=block.address)
                if status == "unknown":
                    return Result.unknown(message)
                return Result.failed(message, via=block.address)
