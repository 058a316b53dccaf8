"""Large Trainium node groups have EFA interfaces and a cluster placement group."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

EFA_TYPES = ("efa", "efa-only")

@rule(
    id="LZ-PERF-003",
    title="Large training node groups use every EFA interface of their instance type and a cluster placement group",
    pillar="performance_efficiency",
    framework=["PERF04-BP02"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Give node groups of params accelerators.large_training_instance_types a launch template with "
        "network_interfaces { interface_type = \"efa\" or \"efa-only\" } for every network card (params "
        "accelerators.efa_interfaces: trn1.32xlarge 8, trn1n.32xlarge 16, trn2.48xlarge 16, p4d 4, p5 32) and placement { group_name = "
        "aws_placement_group.x.name } of an aws_placement_group with strategy = \"cluster\" "
        "(modules/accelerated-compute: training_node_group.enable_efa = true)."
    ),
    rationale=(
        "Distributed training on trn1.32xlarge / trn1n / trn2 is bound by collective communication: without EFA "
        "(OS-bypass, up to 1600 Gbps on trn1n) and a cluster placement group the accelerators wait on the network. "
        "The launch template is followed from the node group's launch_template reference. One EFA interface on a "
        "trn1.32xlarge uses one of its 8 network cards: the collective traffic of 16 Trainium chips then shares an "
        "eighth of the bandwidth the instance is billed for, so the rule counts the EFA interfaces against the "
        "instance type's maximum (EC2 NetworkInfo.EfaInfo.MaximumEfaInterfaces, in params). GPU training sizes "
        "(p4d, p5) are checked on node groups labelled or named for training."
        " Framework PERF04-BP02 (evaluate available networking features): EFA and cluster placement groups are such "
        "features. No Generative AI Lens best practice names them."
    ),
)
def check(node_group, plan, params):
    acc = params.get("accelerators", {})
    large = set(acc.get("large_training_instance_types", ()))
    efa_counts = dict(acc.get("efa_interfaces", {}))
    types = rulekit.node_group_instance_types(node_group)
    if types is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    training = rulekit.node_group_workload(node_group) == "training"
    big = [t for t in types if t in large or (training and t in efa_counts)]
    if not big:
        return None
    needed = max(efa_counts.get(t, 1) for t in big)
    template = rulekit.launch_template_of(node_group)
    if template is None:
        if node_group.is_unknown("launch_template"):
            return Result.unknown("the launch template is known only after apply and refers to none in this plan",
                                  path="launch_template")
        return Result.failed(f"{', '.join(big)} node group has no launch template: no EFA interfaces, no placement group")
    problems, undecided = [], []
    kinds = [ni.get("interface_type") for ni in template.blocks("network_interfaces")]
    efa = sum(1 for k in kinds if k in EFA_TYPES)
    if efa < needed:
        short = f"{template.address} has {efa} EFA interface(s); {', '.join(big)} needs {needed} (one per network card)"
        (undecided if UNKNOWN in kinds else problems).append(short)
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
    return Result.passed(f"{', '.join(big)}: {efa} EFA interfaces (needs {needed}) and cluster placement group {group.address}",
                         via=template.address)
