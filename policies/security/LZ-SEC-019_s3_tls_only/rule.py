"""S3 buckets have a bucket policy that denies requests without TLS."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

POLICY_TYPE = "aws_s3_bucket_policy"


def _false(values):
    return any(str(v).lower() == "false" for v in rulekit.as_list(values) if v is not UNKNOWN)


def _enforces_tls(st, doc, i):
    """True / False / None (undecided) for one statement."""
    if rulekit.is_allow(st):
        return False
    if "NotAction" in st:
        return False
    if not any(rulekit.covers(a, "s3:GetObject") and rulekit.covers(a, "s3:PutObject") for a in st.get("Action", ())):
        return False
    conditions = st.get("Condition") or {}
    tls = any(_false((conditions.get(op) or {}).get("aws:SecureTransport")) for op in ("Bool", "BoolIfExists"))
    tls = tls or any(k.lower() == "s3:tlsversion" for op in ("NumericLessThan",) for k in (conditions.get(op) or {}))
    if not tls:
        return False
    public = rulekit.public_principal(st, doc, i)
    return public


@rule(
    id="LZ-SEC-019",
    title="S3 buckets deny requests that do not use TLS (aws:SecureTransport = false)",
    pillar="security",
    framework=["SEC09-BP02"],
    severity="high",
    resource_types=("aws_s3_bucket",),
    remediation=(
        "Attach an aws_s3_bucket_policy to the bucket with a statement Effect = Deny, Principal = \"*\", "
        "Action = \"s3:*\", Resource = [bucket ARN, \"<bucket ARN>/*\"], Condition Bool aws:SecureTransport = "
        "\"false\" (modules/bedrock and modules/security-baseline do)."
    ),
    rationale=(
        "Training data, RAG corpora, model artifacts and prompt logs must not cross a network in clear "
        "text; S3 still accepts plain HTTP unless the bucket policy denies it for every principal. The "
        "policy is found through its bucket reference or the bucket's known name; a policy known only "
        "after apply is read from its aws_iam_policy_document, else unknown."
        " Framework SEC09-BP02 (enforce encryption in transit). TLS is not the lens' GENSEC01-BP03 (least privilege "
        "for foundation models accessing data stores), the former mapping."
    ),
)
def check(bucket, plan, params):
    policies = rulekit.bucket_companions(bucket, POLICY_TYPE)
    if not policies:
        return Result.failed("no bucket policy refers to this bucket, so plain-HTTP requests are accepted")
    undecided = None
    for policy in policies:
        doc = rulekit.policy_document(policy, "policy")
        if not doc.known:
            undecided = f"the bucket policy {policy.address} is known only after apply"
            continue
        for i, st in enumerate(doc.statements):
            verdict = _enforces_tls(st, doc, i)
            if verdict:
                return Result.passed(f"{policy.address} denies requests without TLS", via=doc.via or policy.address)
            if verdict is None:
                undecided = f"the principal of a TLS statement in {policy.address} is known only after apply"
    if undecided:
        return Result.unknown(undecided)
    return Result.failed(f"the bucket policy {policies[0].address} has no Deny on aws:SecureTransport = false",
                         via=policies[0].address)
