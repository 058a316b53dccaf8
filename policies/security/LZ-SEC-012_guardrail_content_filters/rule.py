"""Bedrock guardrails filter the required content categories at the required strength."""
from checks import Result, UNKNOWN, rule

STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
INPUT_ONLY = {"PROMPT_ATTACK"}  # Bedrock requires output_strength NONE for prompt attacks
FILTERS = "content_policy_config.filters_config"


def _rank(value):
    return STRENGTHS.index(value) if value in STRENGTHS else -1


@rule(
    id="LZ-SEC-012",
    title="Bedrock guardrails enable the required content filters at the minimum strength",
    pillar="security",
    lens=["GENSEC02-BP01"],
    severity="high",
    resource_types=("aws_bedrock_guardrail",),
    remediation=(
        "Add a content_policy_config filters_config for each type in params guardrail.required_filters with "
        "input_strength and output_strength at least guardrail.min_strength (PROMPT_ATTACK: input only, "
        "output_strength = \"NONE\"). modules/bedrock sets them from guardrail_filter_strength."
    ),
    rationale=(
        "A guardrail without hate, insults, sexual, violence, misconduct and prompt-attack filters, or with "
        "them at NONE/LOW, lets harmful prompts in and harmful completions out while the application "
        "believes it is protected. The required categories and minimum strength are organisation policy "
        "(params guardrail). Prompt-attack filters apply to input only, so only their input strength is "
        "checked."
        " Lens GENSEC02-BP01 (“Implement guardrails to mitigate harmful or incorrect model responses”)."
    ),
)
def check(guardrail, plan, params):
    policy = params.get("guardrail", {})
    required = list(policy.get("required_filters", ()))
    minimum = _rank(policy.get("min_strength", "MEDIUM"))
    if guardrail.get("content_policy_config") is UNKNOWN or guardrail.get(FILTERS) is UNKNOWN:
        return Result.unknown("the content filters are known only after apply", path="content_policy_config")
    filters = {}
    for node in guardrail.blocks(FILTERS):
        kind = node.get("type")
        if kind is UNKNOWN:
            return Result.unknown("a content filter type is known only after apply", path=FILTERS)
        filters[kind] = node
    missing, weak, undecided = [], [], []
    for kind in required:
        node = filters.get(kind)
        if node is None:
            missing.append(kind)
            continue
        sides = ("input_strength",) if kind in INPUT_ONLY else ("input_strength", "output_strength")
        for side in sides:
            value = node.get(side)
            if value is UNKNOWN:
                undecided.append(f"{kind} {side}")
            elif _rank(value) < minimum:
                weak.append(f"{kind} {side}={value}")
    if missing or weak:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"below {STRENGTHS[minimum]}: {', '.join(weak)}"] if weak else [])
        return Result.failed("content filters: " + "; ".join(parts), path=FILTERS)
    if undecided:
        return Result.unknown(f"filter strengths known only after apply: {', '.join(undecided)}", path=FILTERS)
    return Result.passed(f"{', '.join(required)} filtered at >= {STRENGTHS[minimum]}", path=FILTERS)
