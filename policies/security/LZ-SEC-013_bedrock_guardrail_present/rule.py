"""A plan that uses Bedrock defines a guardrail."""
from checks import Result, plan_rule
from checks import rulekit


@plan_rule(
    id="LZ-SEC-013",
    title="A plan that uses Amazon Bedrock defines a Bedrock guardrail",
    pillar="security",
    lens=["GENSEC02-BP01"],
    severity="high",
    applies_to="account",
    resource_types=("aws_bedrock_guardrail",),
    remediation=(
        "Create an aws_bedrock_guardrail (modules/bedrock create_guardrail = true) with the organisation's "
        "content filters, publish a version, and have applications and agents apply it."
    ),
    rationale=(
        "Guardrails are the control that stops harmful or off-policy prompts and completions; without one "
        "in the account nothing can be enforced or referenced by applications and agents. The rule applies "
        "only to plans that use Bedrock: a Bedrock resource, an endpoint to a Bedrock service, or an "
        "identity policy (readable at plan time) that allows bedrock:InvokeModel*. Other plans (an "
        "organization root, a network account) are not_applicable."
    ),
)
def check(plan, params):
    usage = rulekit.bedrock_usage(plan)
    if usage is None:
        return Result.not_applicable("the plan does not use Amazon Bedrock")
    guardrails = plan.of_type("aws_bedrock_guardrail")
    if not guardrails:
        return Result.failed(f"the plan uses Bedrock ({usage.address}) but defines no Bedrock guardrail",
                             value=usage.address)
    return [Result.passed(f"the plan uses Bedrock and defines the guardrail {g.address}", address=g.address)
            for g in guardrails]
