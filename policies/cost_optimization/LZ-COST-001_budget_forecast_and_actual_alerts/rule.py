"""A plan that spends on GenAI has a cost budget alerting on forecast and on actual spend."""
from checks import UNKNOWN, Result, plan_rule
from checks import rulekit

KINDS = ("ACTUAL", "FORECASTED")


def _notification_kinds(budget, max_first):
    """({kind: reason-or-None}, undecided) for the budget's notifications."""
    good, undecided = set(), []
    blocks = budget.blocks("notification")
    if not blocks and budget.is_unknown("notification"):
        return good, ["the notifications are known only after apply"]
    for i, n in enumerate(blocks):
        kind, threshold, ttype = n.get("notification_type"), n.get("threshold"), n.get("threshold_type", "PERCENTAGE")
        if UNKNOWN in (kind, threshold, ttype):
            undecided.append(f"notification {i} is known only after apply")
            continue
        emails, topics = n.get("subscriber_email_addresses"), n.get("subscriber_sns_topic_arns")
        has_subscriber = any(v not in (None, [], UNKNOWN) for v in (emails, topics)) or \
            bool(budget.references(f"notification.{i}.subscriber_sns_topic_arns", "aws_sns_topic")) or \
            bool(budget.references("notification", "aws_sns_topic"))
        if not has_subscriber:
            if UNKNOWN in (emails, topics):
                undecided.append(f"the subscribers of notification {i} are known only after apply")
            continue
        if ttype == "PERCENTAGE" and float(threshold) > max_first:
            continue
        good.add(kind)
    return good, undecided


@plan_rule(
    id="LZ-COST-001",
    title="A plan that creates GenAI or accelerator resources has a cost budget with forecast and actual alerts",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="high",
    applies_to="account",
    resource_types=("aws_budgets_budget",),
    remediation=(
        "Add an aws_budgets_budget with budget_type = \"COST\" and notification blocks of both notification_type = "
        "\"FORECASTED\" and \"ACTUAL\" (threshold at or below params budgets.max_first_alert_threshold percent) with "
        "an e-mail or SNS subscriber (modules/budgets)."
    ),
    rationale=(
        "Model invocations and accelerator hours can run up a month's spend in days. A forecast alert warns before "
        "the money is spent, an actual alert when it is; a budget without subscribers alerts nobody. Judged once per "
        "plan (each account's plan): not applicable when the plan creates no Bedrock, SageMaker or accelerator "
        "resource. Raised from the practice's medium risk to high: without it the account has no spending guard-rail at "
        "all, and the landing zone's gate must stop a change that removes the budget."
        " Framework COST02-BP05 (implement cost controls): “AWS Budgets allows you to set notifications and define "
        "monthly budgets for your AWS costs”. No Generative AI Lens best practice asks for budgets."
    ),
)
def check(plan, params):
    footprint = rulekit.genai_footprint(plan, params)
    if not footprint:
        return Result.not_applicable("the plan creates no Bedrock, SageMaker or accelerator resource")
    max_first = float(params.get("budgets", {}).get("max_first_alert_threshold", 100))
    results, passed = [], []
    for budget in plan.of_type("aws_budgets_budget"):
        btype = budget.get("budget_type")
        if btype is UNKNOWN:
            results.append(Result.unknown("budget_type is known only after apply", path="budget_type", address=budget.address))
            continue
        if btype != "COST":
            continue
        good, undecided = _notification_kinds(budget, max_first)
        missing = [k for k in KINDS if k not in good]
        if not missing:
            # no evidence path: an SNS topic ARN known only after apply does not change the verdict
            passed.append(Result.passed(f"COST budget alerts subscribers on {' and '.join(KINDS)} spend",
                                        value=sorted(good), address=budget.address))
        elif undecided:
            results.append(Result.unknown("; ".join(undecided), path="notification", address=budget.address))
        else:
            results.append(Result.failed(
                f"no {' or '.join(missing)} notification with a subscriber at or below {max_first:g}%",
                value=sorted(good), address=budget.address))
    if passed:
        return passed
    if results:
        return results
    return Result.failed(f"the plan creates GenAI/accelerator resources ({footprint[0].address}, ...) but no COST "
                         "aws_budgets_budget")
