"""The plan's planned monthly run-rate fits its own monthly cost budget, with headroom."""

from checks import Result, plan_rule
from checks import cost


@plan_rule(
    id="LZ-COST-101",
    title="Planned monthly cost fits the plan's monthly cost budget",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="medium",
    resource_types=("aws_budgets_budget",),
    remediation=(
        "Lower the planned capacity (node group desired_size, endpoint initial_instance_count), move "
        "training to SPOT outside production, or raise the budget's limit_amount to what the plan costs "
        "(genai-lz cost PLAN.json shows the figures per resource and module)."
    ),
    rationale=(
        "A budget that the planned run-rate already consumes leaves no headroom for usage (tokens, "
        "storage, transfer): its alerts fire every month and stop being read. The share is "
        "params cost.budget_fit_threshold; prices come from policies/prices.yaml."
        " Framework COST02-BP05 (implement cost controls): a budget is a control only if the planned run-rate leaves "
        "it headroom."
    ),
)
def check(plan, params):
    estimate = cost.estimate_for(plan, params)
    threshold = estimate.settings.budget_fit_threshold
    planned = estimate.planned
    missing = estimate.not_priced
    biggest = None  # the two largest priced lines, found once when a budget is exceeded
    for budget in estimate.budgets:
        if budget.limit is None:
            yield Result.unknown(f"budget limit unknown at plan time ({budget.reason})", address=budget.address,
                                 path="limit_amount")
            continue
        allowed = budget.limit * threshold
        share = f"{(planned / budget.limit * 100):.0f} %" if budget.limit else "n/a"
        text = (f"planned monthly cost {cost.fmt(planned)} is {share} of the budget {cost.fmt(budget.limit)} "
                f"(threshold {threshold * 100:.0f} % = {cost.fmt(allowed)}, {estimate.settings.hours_per_month} h a month)")
        if planned > allowed:
            if biggest is None:
                top = sorted((l for l in estimate.lines if l.status == cost.PRICED), key=lambda l: l.planned or 0,
                             reverse=True)[:2]
                biggest = ", ".join(f"{l.address} {cost.fmt(l.planned)}" for l in top)
            yield Result.failed(f"{text}; largest: {biggest}", address=budget.address, path="limit_amount")
        elif missing:
            names = ", ".join(f"{l.address} ({l.reason})" for l in missing[:3])
            yield Result.unknown(f"{text}, but {len(missing)} resource(s) are not priced: {names}",
                                 address=budget.address, path="limit_amount")
        else:
            yield Result.passed(text, address=budget.address, path="limit_amount", value=str(budget.limit))
