"""A GenAI plan has Cost Anomaly Detection: a monitor and a subscription that notifies someone."""
from checks import UNKNOWN, Result, plan_rule
from checks import rulekit

MONITOR = "aws_ce_anomaly_monitor"
SUBSCRIPTION = "aws_ce_anomaly_subscription"


@plan_rule(
    id="LZ-COST-003",
    title="GenAI plans enable Cost Anomaly Detection with a subscribed monitor",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="medium",
    applies_to="account",
    resource_types=(MONITOR, SUBSCRIPTION),
    remediation=(
        "Add an aws_ce_anomaly_monitor (e.g. DIMENSIONAL on SERVICE) and an aws_ce_anomaly_subscription whose "
        "monitor_arn_list refers to it, with a threshold_expression and at least one subscriber "
        "(modules/budgets: create_anomaly_detection = true)."
    ),
    rationale=(
        "A budget catches spend that crosses a line; anomaly detection catches a sudden change in spend pattern (a "
        "retry loop invoking a model, a scaled-out endpoint) days earlier. A monitor nobody subscribes to alerts "
        "nobody. Not applicable when the plan creates no GenAI or accelerator resource."
        " Framework COST02-BP05 (implement cost controls): “Once you set up your budget limits with AWS Budgets, use "
        "AWS Cost Anomaly Detection to reduce your unexpected cost.”"
    ),
)
def check(plan, params):
    footprint = rulekit.genai_footprint(plan, params)
    if not footprint:
        return Result.not_applicable("the plan creates no Bedrock, SageMaker or accelerator resource")
    monitors, subs = plan.of_type(MONITOR), plan.of_type(SUBSCRIPTION)
    passed, problems = [], []
    watched = set()
    for sub in subs:
        targets = sub.references("monitor_arn_list", MONITOR)
        arns = sub.get("monitor_arn_list")
        subscribers = sub.blocks("subscriber")
        if not subscribers and sub.is_unknown("subscriber"):
            problems.append(Result.unknown("the subscribers are known only after apply", path="subscriber", address=sub.address))
        elif not subscribers:
            problems.append(Result.failed("no subscriber", path="subscriber", address=sub.address))
        elif targets:
            watched.update(t.address for t in targets)
            passed.append(Result.passed(f"notifies {len(subscribers)} subscriber(s) about {targets[0].address}",
                                        path="monitor_arn_list", via=targets[0].address, address=sub.address))
        elif arns is UNKNOWN:
            problems.append(Result.unknown("monitor_arn_list is known only after apply and refers to no planned monitor",
                                           path="monitor_arn_list", address=sub.address))
        elif arns:
            passed.append(Result.passed("notifies about a monitor outside this plan", path="monitor_arn_list", address=sub.address))
        else:
            problems.append(Result.failed("monitor_arn_list is empty", path="monitor_arn_list", address=sub.address))
    for monitor in monitors:
        if monitor.address in watched:
            passed.append(Result.passed("a subscription notifies about this monitor", address=monitor.address))
        elif not passed:
            problems.append(Result.failed("no aws_ce_anomaly_subscription refers to this monitor", address=monitor.address))
    if passed:
        return passed
    if problems:
        return problems
    return Result.failed(f"GenAI resources ({footprint[0].address}, ...) but no Cost Anomaly Detection monitor and subscription")
