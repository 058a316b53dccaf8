"""Non-production accelerator node groups can scale to zero nodes."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

AUTOSCALER_TAG = "k8s.io/cluster-autoscaler/enabled"


def _scaled_down_by(node_group):
    """(what, where) scales the group down to zero, None when nothing does, UNKNOWN when not known yet:
    the cluster-autoscaler auto-discovery tag on the node group, or an aws_autoscaling_schedule on its
    Auto Scaling group that sets the desired capacity to 0."""
    schedules = node_group.referenced_by("aws_autoscaling_schedule", "autoscaling_group_name")
    undecided = False
    for schedule in schedules:
        desired = schedule.get("desired_capacity")
        if desired == 0:
            return f"scheduled to 0 by {schedule.address}", schedule.address
        undecided = undecided or desired is UNKNOWN
    tags = node_group.tags
    if tags is UNKNOWN:
        return UNKNOWN
    if isinstance(tags, dict):
        value = tags.get(AUTOSCALER_TAG)
        if value is UNKNOWN:
            undecided = True
        elif isinstance(value, str) and value.lower() == "true":
            return f"cluster autoscaler tag {AUTOSCALER_TAG}", node_group.address
    return UNKNOWN if undecided else None


@rule(
    id="LZ-SUS-002",
    title="Non-production accelerator node groups scale to zero (min_size 0 and something that scales them down)",
    pillar="sustainability",
    lens=["GENSUS01-BP01"],
    framework=["SUS02-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set scaling_config.min_size = 0 on non-production node groups of Inferentia, Trainium or GPU instance types "
        "and make something scale them down: tag the group for the cluster autoscaler's auto-discovery "
        "(k8s.io/cluster-autoscaler/enabled = \"true\", k8s.io/cluster-autoscaler/<cluster> = \"owned\") and run it, "
        "or add an aws_autoscaling_schedule on the group's Auto Scaling group (resources[0].autoscaling_groups[0].name) "
        "with desired_capacity = 0 outside working hours."
    ),
    rationale=(
        "An idle accelerator still draws power and bills by the hour; outside production nothing needs a warm node "
        "around the clock. Training and inference groups both: a development inference group serves developers, "
        "not users, so a cold start of a few minutes is acceptable (production inference keeps its minimum for "
        "latency and is not applicable). Untagged groups are treated as non-production (the control applies unless "
        "the resource says it is production). min_size 0 alone proves nothing: the group stays at its desired size "
        "until something lowers it, so the rule also asks for the cluster-autoscaler auto-discovery tag on the group "
        "or a schedule that sets the desired capacity to 0 (lens GENSUS01-BP01: implement auto scaling to optimize "
        "resource utilization)."
        " Lens GENSUS01-BP01 (“Implement auto scaling and serverless architectures to optimize resource utilization”); "
        "framework SUS02-BP01 (scale workload infrastructure dynamically)."
    ),
)
def check(node_group, plan, params):
    accelerated = rulekit.accelerated_types(node_group, params)
    if accelerated is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    if not accelerated:
        return None
    env = rulekit.environment_class(node_group, params)
    if env is UNKNOWN:
        return Result.unknown("the tags (environment) are known only after apply", path="tags")
    if env == "production":
        return Result.not_applicable("production accelerator group: keeps a minimum for latency")
    label = "untagged (treated as non-production)" if env == "untagged" else "non-production"
    size = node_group.get("scaling_config.min_size")
    if size is UNKNOWN:
        return Result.unknown("scaling_config.min_size is known only after apply", path="scaling_config.min_size")
    if size == 0:
        how = _scaled_down_by(node_group)
        if how is UNKNOWN:
            return Result.unknown("min_size is 0; whether anything scales the group down is known only after apply "
                                  "(tags or schedule)", path="scaling_config.min_size")
        if how is None:
            return Result.failed(f"{label} {', '.join(accelerated)} group allows zero nodes (min_size 0) but nothing "
                                 "scales it down: no cluster-autoscaler auto-discovery tag, no aws_autoscaling_schedule",
                                 path="scaling_config.min_size")
        return Result.passed(f"{label} {', '.join(accelerated)} group scales to zero ({how[0]})",
                             path="scaling_config.min_size", via=how[1])
    return Result.failed(f"{label} {', '.join(accelerated)} group keeps at least {size} node(s) running",
                         path="scaling_config.min_size")
