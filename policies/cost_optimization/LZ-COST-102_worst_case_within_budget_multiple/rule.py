"""What the plan allows at maximum capacity stays within a multiple of its monthly cost budget."""
from checks import Result, plan_rule
from checks import cost


@plan_rule(
    id="LZ-COST-102",
    title="Monthly cost at maximum capacity stays within N x the plan's monthly cost budget",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="high",
    resource_types=("aws_budgets_budget",),
    remediation=(
        "Cap the capacity the plan allows: lower the accelerator node group max_size or the endpoint "
        "autoscaling max_capacity, use a smaller instance type, or raise the budget if the spend is "
        "intended. The failing message names the group and its monthly figure at max capacity."
    ),
    rationale=(
        "Raised from the practice's medium risk to high: a node group or endpoint that may scale to max "
        "capacity can spend many times the budget within one month (one trn1.32xlarge is about "
        "$15,500 a month), and budget alerts arrive after the money is spent. N is params "
        "cost.worst_case_budget_multiple; the maximum column prices SPOT at on-demand."
        " Framework COST02-BP05 (implement cost controls): the maximum capacity a plan allows is compared with the "
        "budget before apply."
    ),
)
def check(plan, params):
    estimate = cost.estimate_for(plan, params)
    multiple = estimate.settings.worst_case_budget_multiple
    worst = estimate.maximum
    capacity_missing = [l for l in estimate.not_priced if l.capacity]
    top = None  # the largest scalable lines, sorted once when a budget is exceeded
    for budget in estimate.budgets:
        if budget.limit is None:
            yield Result.unknown(f"budget limit unknown at plan time ({budget.reason})", address=budget.address,
                                 path="limit_amount")
            continue
        allowed = budget.limit * multiple
        text = (f"monthly cost at maximum capacity {cost.fmt(worst)} vs {multiple:g} x budget "
                f"{cost.fmt(budget.limit)} = {cost.fmt(allowed)}")
        if worst > allowed:
            top = estimate.top_capacity() if top is None else top
            if top:
                group = top[0]
                text += (f"; {group.address} alone is {cost.fmt(group.maximum)}/month at max capacity "
                         f"({group.description.split('; max ')[-1]}) against the budget {cost.fmt(budget.limit)}")
            yield Result.failed(text, address=budget.address, path="limit_amount")
        elif capacity_missing:
            names = ", ".join(f"{l.address} ({l.reason})" for l in capacity_missing[:3])
            yield Result.unknown(f"{text}, but the maximum of {len(capacity_missing)} scalable resource(s) is not "
                                 f"priced: {names}", address=budget.address, path="limit_amount")
        else:
            yield Result.passed(text, address=budget.address, path="limit_amount", value=str(budget.limit))
