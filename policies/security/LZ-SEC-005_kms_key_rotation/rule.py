"""Customer managed symmetric KMS keys rotate at least yearly."""
from checks import Result, UNKNOWN, rule

MAX_ROTATION_DAYS = 365
# AWS provider aws_kms_key: rotation_period_in_days is optional; KMS rotates yearly when it is unset
DEFAULT_ROTATION_DAYS = 365


@rule(
    id="LZ-SEC-005",
    title="Customer managed KMS keys rotate automatically at least every 365 days",
    pillar="security",
    framework=["SEC08-BP01"],
    severity="high",
    resource_types=("aws_kms_key",),
    remediation=(
        "Set enable_key_rotation = true on the key (and rotation_period_in_days <= 365 if you set it). "
        "modules/security-baseline and modules/bedrock create their keys this way."
    ),
    rationale=(
        "The landing zone encrypts prompts and completions (invocation logs), training data, model "
        "artifacts and Kubernetes secrets with customer managed keys, so their key policies decide who can "
        "read that data. Automatic rotation limits how much data one key version protects. Only symmetric "
        "encryption keys can rotate automatically: asymmetric and HMAC keys are not_applicable. Beyond the "
        "generic on/off check, a rotation period longer than a year fails too. Every key is judged (the plan "
        "cannot tell which keys will protect GenAI data); a rotation_period_in_days left to the provider "
        "(unset, or a module variable that is null) is the 365-day default."
        " Framework SEC08-BP01 (implement secure key management). The former mapping to the lens' GENSEC01-BP03 (least "
        "privilege for foundation models accessing data stores) was a stretch: key rotation grants or denies nobody "
        "anything."
    ),
)
def check(key, plan, params):
    spec = key.get("customer_master_key_spec", "SYMMETRIC_DEFAULT")
    usage = key.get("key_usage", "ENCRYPT_DECRYPT")
    if spec is UNKNOWN or usage is UNKNOWN:
        return Result.unknown("the key spec or usage is known only after apply", path="customer_master_key_spec")
    if spec != "SYMMETRIC_DEFAULT" or usage != "ENCRYPT_DECRYPT":
        return Result.not_applicable(f"{spec} {usage} keys cannot rotate automatically")
    enabled = key.get("enable_key_rotation")
    if enabled is UNKNOWN:
        return Result.unknown("enable_key_rotation is known only after apply", path="enable_key_rotation")
    if enabled is not True:
        return Result.failed("automatic key rotation is off", path="enable_key_rotation")
    period = key.get("rotation_period_in_days")
    if period is UNKNOWN:
        return Result.unknown("rotation_period_in_days is known only after apply", path="rotation_period_in_days")
    if isinstance(period, (int, float)) and period > MAX_ROTATION_DAYS:
        return Result.failed(f"the key rotates only every {int(period)} days (more than {MAX_ROTATION_DAYS})",
                             path="rotation_period_in_days")
    if period is None:
        return Result.passed(f"automatic key rotation is on; rotation_period_in_days is left to the provider, whose "
                             f"default is {DEFAULT_ROTATION_DAYS} days", path="enable_key_rotation")
    return Result.passed(f"automatic key rotation is on, every {int(period)} days", path="enable_key_rotation")
