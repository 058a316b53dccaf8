"""OpenSearch Serverless data access policies name their principals (no wildcard)."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


def _wild(principal):
    return isinstance(principal, str) and (principal == "*" or ":*:" in principal or principal.endswith(":*")
                                           or principal.endswith("/*"))


@rule(
    id="LZ-SEC-029",
    title="OpenSearch Serverless data access policies grant access to named principals, never to *",
    pillar="security",
    lens=["GENSEC01-BP03"],
    severity="high",
    resource_types=("aws_opensearchserverless_access_policy",),
    remediation=(
        "List the knowledge base's service role and the roles that manage the index in \"Principal\" "
        "(aws_iam_role.x.arn), never \"*\", an account wildcard or a role path wildcard; grant the aoss "
        "permissions the role needs (aoss:ReadDocument, aoss:WriteDocument, aoss:DescribeIndex...) instead of aoss:*."
    ),
    rationale=(
        "Lens GENSEC01-BP03 (implement least privilege access permissions for foundation models accessing data "
        "stores): the data access policy is what decides who may read and write a vector collection's indexes. "
        "A wildcard principal lets every IAM principal that reaches the collection (and every account, for :*:) "
        "read the embedded documents or poison the index the model retrieves from. A policy text known only after "
        "apply is unknown (write the principals' ARNs as known values, or accept the unknown at plan time)."
        " Lens GENSEC01-BP03: “a single vector database may store data intended for several use cases, some of which "
        "require additional authorizations to access.”"
    ),
)
def check(policy, plan, params):
    kind = policy.get("type")
    if kind is UNKNOWN:
        return Result.unknown("the policy type is known only after apply", path="type")
    if kind != "data":
        return None
    document = rulekit.json_document(policy, "policy")
    if document is UNKNOWN:
        return Result.unknown("the data access policy is known only after apply", path="policy")
    entries = document if isinstance(document, list) else [document] if isinstance(document, dict) else []
    if not entries:
        return Result.failed("the data access policy is empty or not valid JSON", path="policy")
    wild = sorted({p for e in entries if isinstance(e, dict) for p in rulekit.as_list(e.get("Principal")) if _wild(p)})
    if wild:
        return Result.failed(f"the data access policy grants access to wildcard principals ({', '.join(wild)})",
                             path="policy")
    return Result.passed("every rule names its principals", path="policy")
