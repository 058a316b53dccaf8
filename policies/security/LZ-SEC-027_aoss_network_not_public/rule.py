"""OpenSearch Serverless network policies (vector stores of knowledge bases) are not public."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


@rule(
    id="LZ-SEC-027",
    title="OpenSearch Serverless network security policies do not allow access from the public internet",
    pillar="security",
    lens=["GENSEC01-BP03"],
    severity="high",
    resource_types=("aws_opensearchserverless_security_policy",),
    remediation=(
        "Set \"AllowFromPublic\": false in every rule set of the type = \"network\" policy and name the access paths: "
        "\"SourceVPCEs\" (an aws_opensearchserverless_vpc_endpoint) and, for Bedrock knowledge bases, "
        "\"SourceServices\": [\"bedrock.amazonaws.com\"]."
    ),
    rationale=(
        "The vector collection behind a knowledge base holds the embedded chunks of the organisation's documents. "
        "With AllowFromPublic the collection and its dashboards are reachable from the internet, and only the data "
        "access policy stands between them and anyone with credentials. Only network policies are judged here "
        "(encryption policies: LZ-SEC-028)."
        " Lens GENSEC01-BP03: “customers should deploy data stores in a VPC with strong access controls.” (the former "
        "mapping, GENSEC01-BP02, is about the model endpoints, not the data store)"
    ),
)
def check(policy, plan, params):
    kind = policy.get("type")
    if kind is UNKNOWN:
        return Result.unknown("the policy type is known only after apply", path="type")
    if kind != "network":
        return None
    document = rulekit.json_document(policy, "policy")
    if document is UNKNOWN:
        return Result.unknown("the network policy is known only after apply", path="policy")
    rule_sets = document if isinstance(document, list) else [document] if isinstance(document, dict) else []
    if not rule_sets:
        return Result.failed("the network policy is empty or not valid JSON", path="policy")
    public = [i for i, r in enumerate(rule_sets) if isinstance(r, dict) and r.get("AllowFromPublic") is True]
    if public:
        return Result.failed(f"rule set {', '.join(map(str, public))} allows access from the public internet "
                             "(AllowFromPublic: true)", path="policy")
    return Result.passed("access only through the named VPC endpoints / services", path="policy")
