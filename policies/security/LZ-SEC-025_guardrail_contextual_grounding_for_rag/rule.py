"""In a plan with retrieval-augmented generation, guardrails check contextual grounding and relevance."""
from checks import Result, UNKNOWN, rule

POLICY = "contextual_grounding_policy_config"
FILTERS = f"{POLICY}.filters_config"
REQUIRED = ("GROUNDING", "RELEVANCE")
MIN_THRESHOLD = 0.5
# resources that make a plan a RAG application (a knowledge base or a retriever index)
RAG_TYPES = ("aws_bedrockagent_knowledge_base", "aws_bedrockagent_agent_knowledge_base_association", "aws_kendra_index")


def _rag_evidence(plan):
    for type_name in RAG_TYPES:
        found = plan.of_type(type_name)
        if found:
            return found[0]
    for collection in plan.of_type("aws_opensearchserverless_collection"):
        if collection.get("type") == "VECTORSEARCH":
            return collection
    return None


@rule(
    id="LZ-SEC-025",
    title="Guardrails of a RAG application check contextual grounding and relevance",
    pillar="security",
    lens=["GENSEC02-BP01"],
    severity="high",
    resource_types=("aws_bedrock_guardrail",),
    remediation=(
        "Add contextual_grounding_policy_config with filters_config { type = \"GROUNDING\", threshold = 0.7 } and "
        "{ type = \"RELEVANCE\", threshold = 0.7 } (at least 0.5) to the guardrail the RAG application applies."
    ),
    rationale=(
        "Lens GENSEC02-BP01 (implement guardrails to mitigate harmful or incorrect model responses): in "
        "retrieval-augmented generation the incorrect response is the one not supported by the retrieved "
        "passages (hallucination) or not answering the query. Bedrock's contextual grounding check scores "
        "both and blocks responses below the threshold; without it a knowledge base answers with fluent "
        "fabrications. The rule applies to guardrails of plans that build RAG (a Bedrock knowledge base, an "
        "agent-knowledge base association, a Kendra index or an OpenSearch Serverless VECTORSEARCH "
        f"collection); a threshold below {MIN_THRESHOLD} blocks almost nothing and fails."
    ),
)
def check(guardrail, plan, params):
    rag = _rag_evidence(plan)
    if rag is None:
        return None
    if guardrail.get(POLICY) is UNKNOWN or guardrail.get(FILTERS) is UNKNOWN:
        return Result.unknown("the contextual grounding policy is known only after apply", path=POLICY)
    thresholds = {}
    for node in guardrail.blocks(FILTERS):
        kind = node.get("type")
        if kind is UNKNOWN:
            return Result.unknown("a contextual grounding filter type is known only after apply", path=FILTERS)
        thresholds[kind] = node.get("threshold")
    missing = [k for k in REQUIRED if k not in thresholds]
    low = [f"{k} {thresholds[k]}" for k in REQUIRED if isinstance(thresholds.get(k), (int, float))
           and thresholds[k] < MIN_THRESHOLD]
    if missing or low:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + ([f"below {MIN_THRESHOLD}: {', '.join(low)}"] if low else [])
        return Result.failed(f"the plan builds RAG ({rag.address}) but contextual grounding: " + "; ".join(parts),
                             path=FILTERS)
    if any(thresholds[k] is UNKNOWN for k in REQUIRED):
        return Result.unknown("a contextual grounding threshold is known only after apply", path=FILTERS)
    return Result.passed(f"grounding {thresholds['GROUNDING']} and relevance {thresholds['RELEVANCE']} thresholds "
                         f"for RAG ({rag.address})", path=FILTERS)
