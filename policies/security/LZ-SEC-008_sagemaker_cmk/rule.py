"""SageMaker domains, endpoint configurations and notebooks use customer managed KMS keys."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

KEY_PATHS = {
    "aws_sagemaker_domain": ("kms_key_id", "EFS home volumes of the domain"),
    "aws_sagemaker_endpoint_configuration": ("kms_key_arn", "ML storage volumes of the endpoint"),
    "aws_sagemaker_notebook_instance": ("kms_key_id", "storage volume of the notebook"),
}
# Families whose ML instances have local NVMe instance storage: SageMaker refuses a KMS key for
# their volumes (the instance store is encrypted by the hardware).
INSTANCE_STORE_FAMILIES = {
    "c5d", "m5d", "r5d", "g4dn", "g5", "g6", "g6e", "gr6", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1",
    "trn1n", "trn2",
}


def _volume_less(config):
    """True when every production variant is serverless or on an instance-store family."""
    variants = config.blocks("production_variants")
    if not variants:
        return False
    for variant in variants:
        if variant.is_set("serverless_config"):
            continue
        instance_type = variant.get("instance_type")
        if instance_type is UNKNOWN or not isinstance(instance_type, str):
            return False
        if rulekit.instance_family(instance_type) not in INSTANCE_STORE_FAMILIES:
            return False
    return True


@rule(
    id="LZ-SEC-008",
    title="SageMaker domains, endpoint configurations and notebook instances encrypt storage with a customer managed KMS key",
    pillar="security",
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=tuple(KEY_PATHS),
    remediation=(
        "Set kms_key_id (domain, notebook instance) or kms_key_arn (endpoint configuration) to a customer "
        "managed key; modules/sagemaker takes it as kms_key_arn."
    ),
    rationale=(
        "Studio home directories, notebook volumes and the volumes endpoints load model weights onto hold "
        "training data, notebooks with credentials and proprietary models. Endpoint configurations whose "
        "variants are all serverless or on instance-store families (SageMaker rejects a key for those; the "
        "NVMe store is hardware encrypted) are not_applicable."
        " Framework SEC08-BP02 (enforce encryption at rest)."
    ),
)
def check(resource, plan, params):
    path, what = KEY_PATHS[resource.type]
    if resource.type == "aws_sagemaker_endpoint_configuration" and not resource.is_set(path) \
            and not resource.is_unknown(path) and _volume_less(resource):
        return Result.not_applicable("every variant is serverless or on instance storage: no KMS key can be set")
    return rulekit.customer_managed_key(resource, path, what)
