"""Bedrock knowledge bases keep their vectors in an AWS service of the account, not a third-party SaaS."""
from checks import Result, UNKNOWN, rule

PATH = "storage_configuration.0.type"
IN_ACCOUNT = ("OPENSEARCH_SERVERLESS", "OPENSEARCH_MANAGED_CLUSTER", "RDS", "NEPTUNE_ANALYTICS", "S3_VECTORS")
THIRD_PARTY = {"PINECONE": "Pinecone", "REDIS_ENTERPRISE_CLOUD": "Redis Enterprise Cloud", "MONGO_DB_ATLAS": "MongoDB Atlas"}


@rule(
    id="LZ-SEC-036",
    title="Bedrock knowledge bases store their vectors in an AWS service of the account, not a third-party SaaS",
    pillar="security",
    lens=["GENSEC01-BP03"],
    severity="high",
    resource_types=("aws_bedrockagent_knowledge_base",),
    remediation=(
        "Use storage_configuration type = \"OPENSEARCH_SERVERLESS\" (with a private network policy, a CMK encryption "
        "policy and a named-principal data access policy: LZ-SEC-027/028/029) or \"RDS\" (Aurora PostgreSQL with "
        "pgvector). Where a third-party vector database is an approved supplier, record a waiver with the data "
        "processing agreement as justification."
    ),
    rationale=(
        "Lens GENSEC01-BP03 (implement least privilege access permissions for foundation models accessing data "
        "stores): the vector store holds the organisation's documents as text chunks next to their embeddings. "
        "In Pinecone, Redis Enterprise Cloud or MongoDB Atlas they leave the AWS account: IAM, KMS key policies, "
        "VPC endpoints and CloudTrail no longer govern who reads them, and access rests on one API key in Secrets "
        "Manager. In-account stores (OpenSearch Serverless, Aurora via RDS, Neptune Analytics) keep the data "
        "under the account's controls. A type known only after apply is unknown."
    ),
)
def check(kb, plan, params):
    kind = kb.get(PATH)
    if kind is UNKNOWN:
        return Result.unknown("the vector store type is known only after apply", path=PATH)
    if kind in THIRD_PARTY:
        return Result.failed(f"vectors and document chunks are stored in {THIRD_PARTY[kind]}, outside the AWS "
                             "account's IAM, KMS and network controls", path=PATH)
    if kind in IN_ACCOUNT:
        return Result.passed(f"vectors stay in the account ({kind})", path=PATH)
    return Result.failed(f"vector store type {kind!r} is not a known in-account AWS store", path=PATH)
