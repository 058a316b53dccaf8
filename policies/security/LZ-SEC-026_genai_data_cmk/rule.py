"""Bedrock agents, guardrails, prompts, custom models, knowledge-base data sources, Kendra indexes and SageMaker
feature groups encrypt what they store with a customer managed KMS key."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

# type -> [(key path, what it encrypts, condition path that must be set for the store to exist)]
KEY_PATHS = {
    "aws_bedrockagent_agent": [("customer_encryption_key_arn", "agent configuration and session data", None)],
    "aws_bedrock_guardrail": [("kms_key_arn", "guardrail policies (denied topics, word lists, regexes)", None)],
    "aws_bedrockagent_prompt": [("customer_encryption_key_arn", "prompt templates", None)],
    "aws_bedrock_custom_model": [("custom_model_kms_key_id", "custom model weights", None)],
    "aws_bedrockagent_data_source": [("server_side_encryption_configuration.0.kms_key_arn",
                                      "data source ingestion (transient chunks)", None)],
    "aws_kendra_index": [("server_side_encryption_configuration.0.kms_key_id", "indexed documents", None)],
    "aws_sagemaker_feature_group": [
        ("online_store_config.0.security_config.0.kms_key_id", "online store", "online_store_config.0.enable_online_store"),
        ("offline_store_config.0.s3_storage_config.0.kms_key_id", "offline store (S3)", "offline_store_config"),
    ],
}


@rule(
    id="LZ-SEC-026",
    title="Bedrock agents, guardrails, prompts, custom models, knowledge-base data sources, Kendra indexes and feature groups use a customer managed KMS key",
    pillar="security",
    lens=["GENSEC01-BP03"],
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=tuple(KEY_PATHS),
    remediation=(
        "Pass a customer managed key (aws_kms_key with rotation): aws_bedrockagent_agent.customer_encryption_key_arn, "
        "aws_bedrock_guardrail.kms_key_arn, aws_bedrockagent_prompt.customer_encryption_key_arn, "
        "aws_bedrock_custom_model.custom_model_kms_key_id, aws_bedrockagent_data_source "
        "server_side_encryption_configuration.kms_key_arn, aws_kendra_index server_side_encryption_configuration."
        "kms_key_id, aws_sagemaker_feature_group online_store_config.security_config.kms_key_id and "
        "offline_store_config.s3_storage_config.kms_key_id."
    ),
    rationale=(
        "Lens GENSEC01-BP03 (implement least privilege access permissions for foundation models accessing data "
        "stores): agent sessions, fine-tuned weights, ingested documents and features hold the organisation's data. "
        "With an AWS owned key anyone the service lets in can read them; with a customer managed key the key policy "
        "is a second, auditable gate (which roles, which agent or model may decrypt) and access can be revoked by "
        "disabling the key. Unset key arguments mean an AWS owned key and fail; a key known only after apply that "
        "refers to no key in the plan is unknown."
        " Lens GENSEC01-BP03: “It is important to treat generative AI systems and their foundation models just as you "
        "would treat privileged users when providing access to data”: the key policy decides which roles and agents "
        "may read what the model works on. Framework SEC08-BP02 (enforce encryption at rest)."
    ),
)
def check(resource, plan, params):
    results = []
    for path, what, needed in KEY_PATHS[resource.type]:
        if needed is not None:
            present = resource.get(needed)
            if present is UNKNOWN:
                return Result.unknown(f"whether the {what} exists is known only after apply", path=needed)
            if present in (None, False, []):
                continue
        results.append(rulekit.customer_managed_key(resource, path, what))
    if not results:
        return None
    for status in ("fail", "unknown"):
        found = [r for r in results if r.status.value == status]
        if found:
            return found[0]
    return results[0] if len(results) == 1 else Result.passed("; ".join(r.message for r in results),
                                                              via=results[0].via)
