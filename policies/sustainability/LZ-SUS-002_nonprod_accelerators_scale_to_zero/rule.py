"""Non-production accelerator node groups can scale to zero nodes."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-SUS-002",
    title="Non-production accelerator node groups scale to zero (min_size 0)",
    pillar="sustainability",
    lens=["GENSUS01-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set scaling_config.min_size = 0 on non-production node groups of Inferentia, Trainium or GPU instance types "
        "and let the cluster autoscaler / Karpenter add nodes when a pod asks for a Neuron device or GPU."
    ),
    rationale=(
        "An idle accelerator still draws power and bills by the hour; outside production nothing needs a warm node "
        "around the clock. Training and inference groups both: a development inference group serves developers, "
        "not users, so a cold start of a few minutes is acceptable (production inference keeps its minimum for "
        "latency and is not applicable). Untagged groups are treated as non-production (the control applies unless "
        "the resource says it is production)."
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
        return Result.passed(f"{label} {', '.join(accelerated)} group scales to zero", path="scaling_config.min_size")
    return Result.failed(f"{label} {', '.join(accelerated)} group keeps at least {size} node(s) running",
                         path="scaling_config.min_size")
