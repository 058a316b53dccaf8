"""Non-production training node groups run on Spot capacity."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-COST-005",
    title="Non-production training node groups use Spot capacity",
    pillar="cost_optimization",
    framework=["COST07-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set capacity_type = \"SPOT\" on training node groups outside production (modules/accelerated-compute "
        "does this when environment != prod) and checkpoint training jobs so an interruption only costs the "
        "last interval."
    ),
    rationale=(
        "Training is interruptible when checkpointed; Spot Trainium/GPU capacity costs a fraction of on-demand. "
        "Production training may need guaranteed capacity and is not applicable. A node group with no environment "
        "tag is treated as non-production (the control applies unless the resource says it is production). "
        "Inference node groups are exempt: they serve users."
        " Framework COST07-BP01 (perform pricing model analysis): Spot is the pricing model for interruptible work. "
        "The lens' GENCOST02 practices are about inference, not training capacity."
    ),
)
def check(node_group, plan, params):
    if rulekit.node_group_workload(node_group) != "training":
        return None
    env = rulekit.environment_class(node_group, params)
    if env is UNKNOWN:
        return Result.unknown("the tags (environment) are known only after apply", path="tags")
    if env == "production":
        return Result.not_applicable("production training node group: on-demand or reserved capacity allowed")
    capacity = node_group.get("capacity_type", "ON_DEMAND")
    label = "untagged (treated as non-production)" if env == "untagged" else "non-production"
    if capacity is UNKNOWN:
        return Result.unknown("capacity_type is known only after apply", path="capacity_type")
    if capacity == "SPOT":
        return Result.passed(f"{label} training node group on Spot", path="capacity_type")
    return Result.failed(f"{label} training node group on {capacity}", path="capacity_type", value=capacity)
