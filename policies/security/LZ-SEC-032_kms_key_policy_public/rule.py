"""KMS key policies do not allow Principal "*" unless a condition pins the caller."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

TYPES = ("aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key")

# condition keys that name who may call (account, organization, principal, or the
# network path inside the account); kms:ViaService or aws:SecureTransport alone do not:
# any AWS account can call through a service or over TLS
CALLER_KEYS = frozenset(k.lower() for k in (
    "kms:CallerAccount", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpce", "aws:SourceVpc",
    "aws:userid", "aws:ResourceAccount", "aws:VpceAccount", "aws:VpceOrgID",
))
POSITIVE_BASES = ("StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike")


def _pins_caller(condition) -> bool | None:
    """True when a positive condition on a caller key has values that are not all "*";
    None when such values are known only after apply."""
    undecided = False
    for operator, block in (condition.items() if isinstance(condition, dict) else ()):
        base = str(operator).split(":")[-1].removesuffix("IfExists")
        if base not in POSITIVE_BASES or str(operator).startswith("ForAllValues:") or not isinstance(block, dict):
            continue
        for key, values in block.items():
            if str(key).lower() not in CALLER_KEYS:
                continue
            values = rulekit.as_list(values)
            if any(v is UNKNOWN for v in values):
                undecided = True
            elif values and not any(isinstance(v, str) and v.strip("*?") == "" for v in values):
                return True
    return None if undecided else False


@rule(
    id="LZ-SEC-032",
    title="KMS key policies do not allow Principal \"*\" without a condition that pins the caller",
    pillar="security",
    framework=["SEC08-BP01", "SEC03-BP07"],
    severity="high",
    resource_types=TYPES,
    remediation=(
        "Name the principals (the account root, roles, service principals), or keep Principal \"*\" only with a "
        "condition that pins the caller: kms:CallerAccount or aws:PrincipalAccount / aws:PrincipalOrgID equal to "
        "your account or organization (with kms:ViaService for the AWS-managed-key pattern), aws:SourceAccount / "
        "aws:SourceArn for service principals, or aws:SourceVpce."
    ),
    rationale=(
        "A key policy is the only policy KMS always consults: an Allow to Principal \"*\" with no condition lets "
        "every AWS account in the world use the key (decrypt what it protects, or encrypt with it), whatever the "
        "IAM policies in your account say. Conditions on transport (aws:SecureTransport) or on the calling service "
        "(kms:ViaService) alone do not restrict who calls, so only a positive condition on the caller's account, "
        "organization, principal, source or VPC endpoint counts. Deny statements with Principal \"*\" are fine. "
        "A policy known only after apply that no aws_iam_policy_document explains is unknown."
        " Framework SEC08-BP01 (implement secure key management) and SEC03-BP07 (analyze public and cross-account "
        "access)."
    ),
)
def check(key, plan, params):
    if not rulekit.configured(key, "policy"):
        return None  # AWS's default key policy: the account root only
    doc = rulekit.policy_document(key, "policy")
    if not doc.known:
        return Result.unknown("the key policy is known only after apply and comes from no aws_iam_policy_document "
                              "in the plan", path="policy")
    undecided = None
    for i, st in enumerate(doc.statements):
        if not rulekit.is_allow(st):
            continue
        public = rulekit.public_principal(st, doc, i)
        if public is False:
            continue
        name = st.get("Sid") or i
        pinned = _pins_caller(st.get("Condition"))
        if public and pinned is False:
            what = "no condition" if not st.get("Condition") else "no condition on the caller's account or organization"
            return Result.failed(f"statement {name} allows Principal \"*\" with {what}: any AWS account can use the key",
                                 path="policy", via=doc.via)
        if public is None or pinned is None:
            undecided = f"statement {name}: its principal or condition values are known only after apply"
    if undecided:
        return Result.unknown(undecided, path="policy")
    return Result.passed("no statement allows Principal \"*\" without a condition that pins the caller",
                         path="policy", via=doc.via)
