"""OpenSearch Serverless encryption policies use a customer managed KMS key."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


@rule(
    id="LZ-SEC-028",
    title="OpenSearch Serverless encryption policies use a customer managed KMS key, not an AWS owned key",
    pillar="security",
    lens=["GENSEC01-BP03"],
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=("aws_opensearchserverless_security_policy",),
    remediation=(
        "Write the type = \"encryption\" policy as {\"Rules\": [...], \"AWSOwnedKey\": false, \"KmsARN\": "
        "aws_kms_key.x.arn} (jsonencode), with a key policy that lets only the collection's service and the "
        "knowledge base role use the key."
    ),
    rationale=(
        "Lens GENSEC01-BP03 (implement least privilege access permissions for foundation models accessing data "
        "stores): a knowledge base's vector store holds the organisation's documents as chunks and embeddings. "
        "With AWSOwnedKey the customer cannot restrict, audit or revoke decryption; with a customer managed key "
        "the key policy decides who may read the collection, and CloudTrail records each use. A KmsARN known only "
        "after apply that refers to a planned key passes."
        " Framework SEC08-BP02 (enforce encryption at rest), with a customer managed key as the access gate of "
        "GENSEC01-BP03."
    ),
)
def check(policy, plan, params):
    kind = policy.get("type")
    if kind is UNKNOWN:
        return Result.unknown("the policy type is known only after apply", path="type")
    if kind != "encryption":
        return None
    document = rulekit.json_document(policy, "policy")
    if document is UNKNOWN:
        key = rulekit.referenced(policy, "policy", rulekit.KMS_KEY_TYPES)
        if key is not None:
            return Result.passed(f"encrypted with the customer managed key {key.address}", via=key.address)
        return Result.unknown("the encryption policy is known only after apply and names no key of this plan",
                              path="policy")
    if not isinstance(document, dict):
        return Result.failed("the encryption policy is empty or not valid JSON", path="policy")
    if document.get("AWSOwnedKey") is True or not document.get("KmsARN"):
        return Result.failed("the collections are encrypted with an AWS owned key (AWSOwnedKey: true / no KmsARN)",
                             path="policy")
    arn = document["KmsARN"]
    if isinstance(arn, str) and rulekit.is_aws_managed_key(arn):
        return Result.failed("KmsARN is an AWS managed key alias, not a customer managed key", path="policy")
    return Result.passed("encrypted with a customer managed KMS key (KmsARN)", path="policy")
