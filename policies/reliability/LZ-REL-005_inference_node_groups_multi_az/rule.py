"""Inference node groups are spread over subnets in at least reliability.min_azs AZs."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-REL-005",
    title="EKS inference node groups span subnets in at least the minimum number of Availability Zones",
    pillar="reliability",
    framework=["REL10-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Give inference node groups (label workload=inference) one private subnet per AZ in at least params "
        "reliability.min_azs AZs (modules/accelerated-compute passes all private subnets to non-EFA groups)."
    ),
    rationale=(
        "Model servers on a single-AZ node group go down with that AZ. Training groups are exempt: EFA and cluster "
        "placement groups need one AZ, and checkpoints make training restartable. The workload is read from the "
        "'workload' label, else from the node group name. Subnets are followed through module outputs; an AZ known "
        "only after apply gives unknown."
        " Framework REL10-BP01 (deploy the workload to multiple locations). The lens' GENREL02-BP01 is about network "
        "connections, not where model servers run."
    ),
)
def check(node_group, plan, params):
    if rulekit.node_group_workload(node_group) != "inference":
        return None
    min_azs = int(params.get("reliability", {}).get("min_azs", 2))
    spread = rulekit.subnet_spread(node_group, "subnet_ids")
    if spread is UNKNOWN:
        return Result.unknown("subnet_ids is known only after apply and refers to no planned subnet", path="subnet_ids")
    count, az_count, unresolved = spread
    via = rulekit.referenced(node_group, "subnet_ids", "aws_subnet") if node_group.is_unknown("subnet_ids") else None
    found = f"{count} subnet(s) in {az_count} known AZ(s)"
    if az_count >= min_azs:
        return Result.passed(f"inference node group: {found}", path="subnet_ids",
                             via=via.address if via is not None else None)
    if unresolved and count >= min_azs:
        return Result.unknown(f"inference node group: {found}; the AZ of {unresolved} subnet(s) is known only after apply",
                              path="subnet_ids")
    return Result.failed(f"inference node group: {found}; at least {min_azs} required", path="subnet_ids",
                         via=via.address if via is not None else None)
