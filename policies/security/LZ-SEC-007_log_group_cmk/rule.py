"""CloudWatch log groups are encrypted with a customer managed KMS key."""
from checks import rule
from checks import rulekit


@rule(
    id="LZ-SEC-007",
    title="CloudWatch log groups are encrypted with a customer managed KMS key",
    pillar="security",
    framework=["SEC08-BP02"],
    severity="high",
    resource_types=("aws_cloudwatch_log_group",),
    remediation=(
        "Set kms_key_id to the ARN of a customer managed key whose key policy lets "
        "logs.<region>.amazonaws.com use it for this log group (kms:EncryptionContext:aws:logs:arn)."
    ),
    rationale=(
        "Bedrock invocation logs, SageMaker endpoint and EKS logs and VPC flow logs of a GenAI workload "
        "carry prompts, completions and metadata about who asked what. Without kms_key_id CloudWatch uses "
        "a service key no key policy controls. A kms_key_id known only after apply passes when the "
        "configuration refers to a key created in the plan."
        " Framework SEC08-BP02 (enforce encryption at rest). Encrypting a log group is neither the lens' GENSEC01-BP03 "
        "(least privilege data access for models) nor GENSEC03-BP01 (monitoring), the former mappings."
    ),
)
def check(log_group, plan, params):
    return rulekit.customer_managed_key(log_group, "kms_key_id", "the log group")
