"""Large Trainium node groups have EFA interfaces and a cluster placement group."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-PERF-003",
    title="Large Trainium node groups use EFA and a cluster placement group",
    pillar="performance_efficiency",
    lens=["GENPERF03-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Give node groups of params accelerators.large_training_instance_types a launch template with "
        "network_interfaces { interface_type = \"efa\" } (one per network card) and placement { group_name = "
        "aws_placement_group.x.name } of an aws_placement_group with strategy = \"cluster\" "
        "(modules/accelerated-compute: training_node_group.enable_efa = true)."
    ),
    rationale=(
        "Distributed training on trn1.32xlarge / trn1n / trn2 is bound by collective communication: without EFA "
        "(OS-bypass, up to 1600 Gbps on trn1n) and a cluster placement group the accelerators wait on the network. "
        "The launch template is followed from the node group's launch_template reference."
    ),
)
def check(node_group, plan, params):
    large = set(params.get("accelerators", {}).get("large_training_instance_types", ()))
    types = rulekit.node_group_instance_types(node_group)
    if types is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    big = [t for t in types if t in large]
    if not big:
        return None
    template = rulekit.launch_template_of(node_group)
    if template is None:
        if node_group.is_unknown("launch_template"):
            return Result.unknown("the launch template is known only after apply and refers to none in this plan",
                                  path="launch_template")
        return Result.failed(f"{', '.join(big)} node group has no launch template: no EFA interfaces, no placement group")
    problems, undecided = [], []
    kinds = [ni.get("interface_type") for ni in template.blocks("network_interfaces")]
    if "efa" not in kinds:
        (undecided if UNKNOWN in kinds else problems).append(f"{template.address} has no EFA network interface")
    group = rulekit.referenced(template, "placement.group_name", "aws_placement_group")
    if group is None:
        name = template.get("placement.group_name")
        if name is UNKNOWN:
            undecided.append(f"the placement group of {template.address} is known only after apply")
        elif isinstance(name, str) and name:
            group = next((g for g in plan.of_type("aws_placement_group") if g.get("name") == name), None)
            if group is None:
                undecided.append(f"placement group {name!r} is not in this plan")
        else:
            problems.append(f"{template.address} has no placement group")
    if group is not None:
        strategy = group.get("strategy")
        if strategy is UNKNOWN:
            undecided.append(f"the strategy of {group.address} is known only after apply")
        elif strategy != "cluster":
            problems.append(f"{group.address} uses strategy {strategy!r}, not 'cluster'")
    if problems:
        return Result.failed(f"{', '.join(big)}: " + "; ".join(problems), via=template.address)
    if undecided:
        return Result.unknown(f"{', '.join(big)}: " + "; ".join(undecided))
    return Result.passed(f"{', '.join(big)}: EFA interfaces and cluster placement group {group.address}",
                         via=template.address)
