"""A non-production GenAI plan has a budget action that stops spend when the budget is exceeded."""
from checks import UNKNOWN, Result, plan_rule
from checks import rulekit

ACTION_TYPES = ("APPLY_IAM_POLICY", "APPLY_SCP_POLICY", "RUN_SSM_DOCUMENTS")


@plan_rule(
    id="LZ-COST-002",
    title="Non-production GenAI plans have a budget action that stops spend",
    pillar="cost_optimization",
    lens=["GENCOST02-BP02"],
    severity="medium",
    applies_to="account",
    resource_types=("aws_budgets_budget_action",),
    remediation=(
        "Add an aws_budgets_budget_action on the account's budget (budget_name = aws_budgets_budget.x.name) that "
        "applies a deny IAM policy / SCP or stops instances (SSM) at the threshold (modules/budgets: "
        "create_budget_action = true outside prod)."
    ),
    rationale=(
        "In development and test accounts an idle endpoint or a forgotten training job should not keep spending "
        "until someone reads an e-mail: a budget action stops it automatically. Production is only alerted "
        "(stopping inference there is an outage). The environment is read from the environment tag of the plan's "
        "GenAI / accelerator resources; a plan whose resources are all tagged production is not applicable, "
        "untagged resources count as non-production (a budget action is the safe default)."
    ),
)
def check(plan, params):
    footprint = rulekit.genai_footprint(plan, params)
    if not footprint:
        return Result.not_applicable("the plan creates no Bedrock, SageMaker or accelerator resource")
    # resources that cannot carry tags (guardrail versions, logging configurations) say nothing about the environment
    tagged = [r for r in footprint if r.taggable or r.is_unknown("tags")]
    if tagged and all(rulekit.environment_class(r, params) == "production" for r in tagged):
        return Result.not_applicable("every taggable GenAI resource of the plan is tagged production: alerts only")
    budget_names = {b.get("name") for b in plan.of_type("aws_budgets_budget")} - {None, UNKNOWN}
    passed, failed, undecided = [], [], []
    for action in plan.of_type("aws_budgets_budget_action"):
        kind = action.get("action_type")
        budget = rulekit.referenced(action, "budget_name", "aws_budgets_budget")
        name = action.get("budget_name")
        if kind is UNKNOWN:
            undecided.append(Result.unknown("action_type is known only after apply", path="action_type", address=action.address))
        elif kind not in ACTION_TYPES:
            failed.append(Result.failed(f"action_type {kind!r} does not stop spend", path="action_type", address=action.address))
        elif budget is not None:
            passed.append(Result.passed(f"{kind} when {budget.address} is exceeded", path="budget_name",
                                        via=budget.address, address=action.address))
        elif name is UNKNOWN:
            undecided.append(Result.unknown("budget_name is known only after apply and refers to no planned budget",
                                            path="budget_name", address=action.address))
        elif isinstance(name, str) and name:
            where = "of this plan" if name in budget_names else "outside this plan"
            passed.append(Result.passed(f"{kind} on budget {name!r} ({where})", path="budget_name", address=action.address))
        else:
            failed.append(Result.failed("budget_name is not set", path="budget_name", address=action.address))
    if passed:
        return passed
    if undecided or failed:
        return undecided + failed
    return Result.failed(f"non-production GenAI resources ({footprint[0].address}, ...) but no aws_budgets_budget_action")
