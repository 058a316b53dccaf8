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


def _data_capture(config):
    """The verdict on the key of the endpoint's data capture (prompts and completions written to S3),
    or None when the configuration captures nothing."""
    if config.get("data_capture_config") is UNKNOWN:
        return Result.unknown("data_capture_config is known only after apply", path="data_capture_config")
    captures = config.blocks("data_capture_config")
    if not captures:
        return None
    enabled = captures[0].get("enable_capture")
    if enabled is UNKNOWN:
        return Result.unknown("data_capture_config.enable_capture is known only after apply",
                              path="data_capture_config.0.enable_capture")
    if enabled is False:
        return None
    return rulekit.customer_managed_key(config, "data_capture_config.0.kms_key_id",
                                        "captured inference requests and responses (data capture)")


@rule(
    id="LZ-SEC-008",
    title="SageMaker domains, endpoint configurations (volumes and data capture) and notebook instances encrypt storage with a customer managed KMS key",
    pillar="security",
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=tuple(KEY_PATHS),
    remediation=(
        "Set kms_key_id (domain, notebook instance) or kms_key_arn (endpoint configuration) to a customer "
        "managed key, and data_capture_config.kms_key_id when the endpoint captures requests and responses; "
        "modules/sagemaker takes it as kms_key_arn."
    ),
    rationale=(
        "Studio home directories, notebook volumes and the volumes endpoints load model weights onto hold "
        "training data, notebooks with credentials and proprietary models. Endpoint configurations whose "
        "variants are all serverless or on instance-store families (SageMaker rejects a key for those; the "
        "NVMe store is hardware encrypted) are not_applicable for the volume key. Data capture writes the "
        "endpoint's prompts and completions to S3: when enabled, its kms_key_id must be a customer managed key "
        "whatever the instance family."
        " Framework SEC08-BP02 (enforce encryption at rest)."
    ),
)
def check(resource, plan, params):
    path, what = KEY_PATHS[resource.type]
    if resource.type != "aws_sagemaker_endpoint_configuration":
        return rulekit.customer_managed_key(resource, path, what)
    capture = _data_capture(resource)
    if not resource.is_set(path) and not resource.is_unknown(path) and _volume_less(resource):
        volume = Result.not_applicable("every variant is serverless or on instance storage: no KMS key can be set")
    else:
        volume = rulekit.customer_managed_key(resource, path, what)
    if capture is None or volume.status.value in ("fail", "unknown"):
        return volume
    if capture.status.value != "pass" or volume.status.value == "not_applicable":
        return capture
    return volume
