"""Bedrock guardrails mask or block sensitive information (PII entities or custom regexes)."""
from checks import Result, UNKNOWN, rule

POLICY = "sensitive_information_policy_config"
ACTING = ("BLOCK", "ANONYMIZE")


@rule(
    id="LZ-SEC-023",
    title="Bedrock guardrails have a sensitive-information policy that blocks or masks PII",
    pillar="security",
    lens=["GENSEC02-BP01", "GENSEC01-BP04"],
    severity="high",
    resource_types=("aws_bedrock_guardrail",),
    remediation=(
        "Add sensitive_information_policy_config to the guardrail with pii_entities_config blocks for the PII types "
        "your data holds (EMAIL, PHONE, NAME, ADDRESS, US_SOCIAL_SECURITY_NUMBER, CREDIT_DEBIT_CARD_NUMBER, ...) "
        "and action = \"ANONYMIZE\" or \"BLOCK\", and regexes_config for organisation-specific identifiers."
    ),
    rationale=(
        "Lens GENSEC02-BP01 (implement guardrails to mitigate harmful or incorrect model responses): a guardrail "
        "with content filters only still lets a model echo personal data from prompts, retrieved documents or its "
        "training data into responses and logs. Bedrock guardrails detect PII entities and custom patterns and "
        "mask (ANONYMIZE) or BLOCK them in inputs and outputs; a policy whose entries all have action NONE only "
        "detects and does not count."
        " Lens GENSEC01-BP04: “consider implementing guardrails to mask or remove sensitive data elements (like "
        "personal data) in the prompts before foundation model invocations are made.”"
    ),
)
def check(guardrail, plan, params):
    if guardrail.get(POLICY) is UNKNOWN:
        return Result.unknown("the sensitive-information policy is known only after apply", path=POLICY)
    entries = [(kind, node, f"{POLICY}.0.{kind}.{i}.action") for kind in ("pii_entities_config", "regexes_config")
               for i, node in enumerate(guardrail.blocks(f"{POLICY}.{kind}"))]
    if not entries:
        return Result.failed("no sensitive-information policy: PII passes through prompts and responses", path=POLICY)
    actions = [node.get("action") for _, node, _ in entries]
    acting = [path for _, node, path in entries if node.get("action") in ACTING]
    if acting:
        pii = sorted({str(n.get("type")) for k, n, _ in entries if k == "pii_entities_config" and n.get("action") in ACTING})
        what = ", ".join(pii) if pii else "custom patterns"
        return Result.passed(f"{len(acting)} sensitive-information entries mask or block ({what})", path=acting[0])
    if UNKNOWN in actions:
        return Result.unknown("the sensitive-information actions are known only after apply", path=POLICY)
    return Result.failed("every sensitive-information entry has action NONE (detect only)", path=POLICY)
