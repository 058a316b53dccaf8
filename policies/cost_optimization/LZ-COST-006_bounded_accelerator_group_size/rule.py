"""Accelerator node groups have a bounded maximum size."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-COST-006",
    title="Accelerator node groups cap their maximum size",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set scaling_config.max_size at or below params budgets.max_accelerator_group_size for node groups on "
        "Inferentia, Trainium or GPU instance types; raise it through a waiver with an owner and expiry."
    ),
    rationale=(
        "An autoscaler (or a runaway job) scales an accelerator group to its max_size; at thousands of dollars per "
        "node-day the max_size is the real spending limit of the group, so it must be a deliberate, reviewed number."
        " Framework COST02-BP05 (implement cost controls): a reviewed upper bound on accelerator capacity is a cost "
        "control. No Generative AI Lens best practice asks for it."
    ),
)
def check(node_group, plan, params):
    accelerated = rulekit.accelerated_types(node_group, params)
    if accelerated is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    if not accelerated:
        return None
    limit = int(params.get("budgets", {}).get("max_accelerator_group_size", 16))
    size = node_group.get("scaling_config.max_size")
    if size is UNKNOWN:
        return Result.unknown("scaling_config.max_size is known only after apply", path="scaling_config.max_size")
    if size is None:
        return Result.failed("scaling_config.max_size is not set", path="scaling_config.max_size")
    if int(size) <= limit:
        return Result.passed(f"{', '.join(accelerated)} group scales to at most {size} nodes (limit {limit})",
                             path="scaling_config.max_size")
    return Result.failed(f"{', '.join(accelerated)} group may scale to {size} nodes, above the limit of {limit}",
                         path="scaling_config.max_size")
