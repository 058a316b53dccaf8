"""A plan that uses Bedrock enforces a guardrail on the invoke path."""
import fnmatch

from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

GUARDRAIL_KEY = "bedrock:GuardrailIdentifier"
POLICY_TYPES = ("aws_iam_policy", "aws_iam_role_policy", "aws_iam_role", "aws_iam_user_policy", "aws_iam_group_policy")
AGENT = "aws_bedrockagent_agent"


def _grants_invoke(statement):
    return any(rulekit.covers(a, act) for a in statement.get("Action", ()) for act in rulekit.BEDROCK_INVOKE_ACTIONS)


def _denies_unguarded(statement):
    """A Deny on the invoke actions when no guardrail is named: {"Null": {"bedrock:GuardrailIdentifier": "true"}}."""
    if rulekit.is_allow(statement) or not _grants_invoke(statement):
        return False
    conditions = statement.get("Condition")
    for operator, block in (conditions.items() if isinstance(conditions, dict) else ()):
        if str(operator).lower() == "null" and isinstance(block, dict):
            for key, value in block.items():
                if str(key).lower() == GUARDRAIL_KEY.lower() and any(str(v).lower() == "true" for v in rulekit.as_list(value)):
                    return True
    return False


def _model_id(arn):
    """The model id of a foundation-model ARN (or of a system inference profile: <geo>.<model id>), else None."""
    if not isinstance(arn, str):
        return None
    resource = arn.split(":", 5)[-1] if arn.startswith("arn:") else ""
    kind, _, name = resource.partition("/")
    if kind == "foundation-model":
        return name
    if kind == "inference-profile" and "." in name:
        return name.split(".", 1)[1]
    return None


def _only_unsupported_models(statement, unsupported):
    """True when every resource the statement grants is a model Bedrock Guardrails does not support
    (embeddings, rerank, speech: params guardrail.unsupported_models): a guardrail cannot apply there."""
    resources = rulekit.as_list(statement.get("Resource"))
    if not resources or "NotResource" in statement or not unsupported:
        return False
    ids = [_model_id(r) for r in resources]
    return all(i is not None and "*" not in i and any(fnmatch.fnmatchcase(i, p) for p in unsupported) for i in ids)


def _judge_policy(resource, path, unsupported=()):
    """Result for one identity policy that lets principals invoke models, or None when it does not."""
    doc = rulekit.policy_document(resource, path)
    if not doc.known:
        return Result.unknown("the policy is known only after apply; whether it lets principals invoke models "
                              "without a guardrail cannot be read", path=path, address=resource.address)
    allows = [(i, st) for i, st in enumerate(doc.statements) if rulekit.is_allow(st) and _grants_invoke(st)]
    if not allows:
        return None
    if any(_denies_unguarded(st) for st in doc.statements):
        return Result.passed("invoking models without a guardrail is denied (Null bedrock:GuardrailIdentifier)",
                             path=path, via=doc.via, address=resource.address)
    open_, undecided, exempt = [], [], []
    for i, st in allows:
        if _only_unsupported_models(st, unsupported):
            exempt.append(st.get("Sid") or str(i))
            continue
        scoped = rulekit.condition_scopes(st, (GUARDRAIL_KEY,))
        if scoped is None and doc.resolved(i, "Condition"):
            scoped = True  # the identifier is the ARN of a guardrail planned here, never "*"
        if scoped is None:
            undecided.append(st.get("Sid") or str(i))
        elif not scoped:
            open_.append(st.get("Sid") or str(i))
    if open_:
        return Result.failed(f"statement {', '.join(open_)} allows bedrock:InvokeModel* without a {GUARDRAIL_KEY} "
                             "condition: callers may skip the guardrail", path=path, via=doc.via, address=resource.address)
    if undecided:
        return Result.unknown(f"the {GUARDRAIL_KEY} condition of statement {', '.join(undecided)} is known only after "
                              "apply", path=path, address=resource.address)
    note = (f" (statement {', '.join(exempt)} grants only models Bedrock Guardrails does not support, "
            "params guardrail.unsupported_models)") if exempt else ""
    return Result.passed(f"every bedrock:InvokeModel* grant requires {GUARDRAIL_KEY}{note}", path=path, via=doc.via,
                         address=resource.address)


def _judge_agent(agent):
    config = agent.get("guardrail_configuration")
    if config is UNKNOWN:
        guardrail = rulekit.referenced(agent, "guardrail_configuration", "aws_bedrock_guardrail")
        if guardrail is None:
            return Result.unknown("guardrail_configuration is known only after apply", address=agent.address)
        return Result.passed(f"the agent applies {guardrail.address}", via=guardrail.address, address=agent.address)
    identifiers = [c.get("guardrail_identifier") for c in rulekit.as_list(config) if isinstance(c, dict)]
    if any(isinstance(i, str) and i for i in identifiers):
        return Result.passed("the agent applies a guardrail", path="guardrail_configuration", address=agent.address)
    if UNKNOWN in identifiers or agent.is_unknown("guardrail_configuration.0.guardrail_identifier"):
        guardrail = rulekit.referenced(agent, "guardrail_configuration", "aws_bedrock_guardrail")
        if guardrail is not None:
            return Result.passed(f"the agent applies {guardrail.address}", via=guardrail.address, address=agent.address)
        return Result.unknown("the agent's guardrail identifier is known only after apply", address=agent.address)
    return Result.failed("the agent has no guardrail_configuration: its conversations are not filtered",
                         path="guardrail_configuration", address=agent.address)


@plan_rule(
    id="LZ-SEC-013",
    title="A plan that uses Amazon Bedrock enforces a guardrail on the invoke path",
    pillar="security",
    lens=["GENSEC02-BP01"],
    severity="high",
    resource_types=POLICY_TYPES + (AGENT,),
    remediation=(
        "Create an aws_bedrock_guardrail (modules/bedrock create_guardrail = true) and enforce it where models are "
        "invoked: add a condition {StringEquals = {\"bedrock:GuardrailIdentifier\" = \"<guardrail arn>:<version>\"}} "
        "to every Allow of bedrock:InvokeModel / InvokeModelWithResponseStream (or a Deny of those actions with "
        "{Null = {\"bedrock:GuardrailIdentifier\" = \"true\"}}), and set guardrail_configuration on every "
        "aws_bedrockagent_agent."
    ),
    rationale=(
        "Lens GENSEC02-BP01 (implement guardrails to mitigate harmful or incorrect model responses): a guardrail "
        "only protects requests that carry it. A guardrail that merely exists is optional for every caller; IAM "
        "enforces it on InvokeModel / Converse with the bedrock:GuardrailIdentifier condition key, and an agent "
        "applies it through its guardrail_configuration. The rule judges every identity policy of the plan that "
        "allows bedrock:InvokeModel* (known at plan time or through its aws_iam_policy_document) and every agent; "
        "a plan that uses Bedrock without any guardrail fails as a whole. A plan that uses Bedrock (an endpoint, a resource) but "
        "shows no invoke permission and no agent is unknown: enforcement is outside what the plan shows. A statement "
        "that grants only models Bedrock Guardrails does not support (embeddings, rerank, speech: the Bedrock user "
        "guide's list, kept in params guardrail.unsupported_models) needs no condition: a request naming a guardrail "
        "for them fails."
    ),
)
def check(plan, params):
    usage = rulekit.bedrock_usage(plan)
    if usage is None:
        return Result.not_applicable("the plan does not use Amazon Bedrock")
    guardrails = plan.of_type("aws_bedrock_guardrail")
    unsupported = tuple((params.get("guardrail") or {}).get("unsupported_models") or ())
    results = []
    for resource in plan.of_type(*POLICY_TYPES):
        for path in rulekit.iam_policy_paths(resource):
            result = _judge_policy(resource, path, unsupported)
            if result is not None:
                results.append(result)
    results.extend(_judge_agent(a) for a in plan.of_type(AGENT))
    if not guardrails:
        return Result.failed(f"the plan uses Bedrock ({usage.address}) but defines no aws_bedrock_guardrail: nothing "
                             "filters what its invoke paths send and receive", value=usage.address)
    if not results:
        return Result.unknown(f"the plan uses Bedrock ({usage.address}) and defines {guardrails[0].address}, but no "
                              "invoke permission or agent in this plan shows that the guardrail is enforced")
    return results
