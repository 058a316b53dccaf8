"""Bedrock guardrails filter prompt attacks at HIGH input strength."""
from checks import Result, UNKNOWN, rule

FILTERS = "content_policy_config.filters_config"


@rule(
    id="LZ-SEC-024",
    title="Bedrock guardrails filter prompt attacks (jailbreak, prompt injection) at HIGH input strength",
    pillar="security",
    lens=["GENSEC02-BP01", "GENSEC04-BP02"],
    severity="high",
    resource_types=("aws_bedrock_guardrail",),
    remediation=(
        "Add content_policy_config { filters_config { type = \"PROMPT_ATTACK\", input_strength = \"HIGH\", "
        "output_strength = \"NONE\" } } to the guardrail (modules/bedrock sets it)."
    ),
    rationale=(
        "Lens GENSEC02-BP01 (implement guardrails to mitigate harmful or incorrect model responses) and its "
        "input side: jailbreaks and prompt injection are the attacks that turn the other guardrail policies off. "
        "The PROMPT_ATTACK filter applies to the input only (Bedrock requires output_strength NONE); below HIGH it "
        "lets through attacks it classifies with medium or low confidence, which is where crafted injections land. "
        "LZ-SEC-012 checks the organisation's minimum for every category; this rule holds prompt attacks to HIGH."
        " Lens GENSEC04-BP02 (“Sanitize and validate user inputs to foundation models”): the prompt-attack filter is "
        "the input validation Bedrock applies before the model sees the prompt."
    ),
)
def check(guardrail, plan, params):
    if guardrail.get("content_policy_config") is UNKNOWN or guardrail.get(FILTERS) is UNKNOWN:
        return Result.unknown("the content filters are known only after apply", path=FILTERS)
    undecided = False
    for node in guardrail.blocks(FILTERS):
        kind, strength = node.get("type"), node.get("input_strength")
        if kind is UNKNOWN:
            undecided = True
            continue
        if kind != "PROMPT_ATTACK":
            continue
        if strength is UNKNOWN:
            return Result.unknown("the PROMPT_ATTACK input strength is known only after apply", path=FILTERS)
        if strength == "HIGH":
            return Result.passed("PROMPT_ATTACK filtered at HIGH input strength", path=FILTERS)
        return Result.failed(f"PROMPT_ATTACK input strength is {strength}, not HIGH", path=FILTERS)
    if undecided:
        return Result.unknown("a content filter type is known only after apply", path=FILTERS)
    return Result.failed("no PROMPT_ATTACK filter: jailbreaks and prompt injection are not filtered", path=FILTERS)
