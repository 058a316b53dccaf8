"""EKS clusters envelope-encrypt Kubernetes secrets with a customer managed KMS key."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


@rule(
    id="LZ-SEC-009",
    title="EKS clusters encrypt Kubernetes secrets with a customer managed KMS key",
    pillar="security",
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=("aws_eks_cluster",),
    remediation=(
        "Add encryption_config { resources = [\"secrets\"] provider { key_arn = <aws_kms_key>.arn } } to the "
        "cluster (modules/accelerated-compute does this with kms_key_arn or its own key)."
    ),
    rationale=(
        "Inference and training clusters keep model registry tokens, Hugging Face tokens and API keys as "
        "Kubernetes secrets; without envelope encryption they are only protected by etcd's volume "
        "encryption. Both the resource list (must include secrets) and the key are checked; a key ARN "
        "known only after apply passes when it refers to a key in the plan."
        " Framework SEC08-BP02 (enforce encryption at rest)."
    ),
)
def check(cluster, plan, params):
    blocks = cluster.blocks("encryption_config")
    if not blocks:
        return Result.failed("no encryption_config: Kubernetes secrets are not envelope-encrypted",
                             path="encryption_config")
    for i, block in enumerate(blocks):
        resources = block.get("resources")
        if resources is UNKNOWN:
            return Result.unknown("encryption_config.resources is known only after apply",
                                  path=f"encryption_config.{i}.resources")
        if "secrets" in (resources or ()):
            return rulekit.customer_managed_key(cluster, f"encryption_config.{i}.provider.key_arn",
                                                "Kubernetes secrets encryption")
    return Result.failed("encryption_config does not include \"secrets\"", path="encryption_config")
