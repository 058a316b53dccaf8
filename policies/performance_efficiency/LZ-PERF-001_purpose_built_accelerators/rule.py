"""Inference node groups run on Inferentia, training node groups on Trainium."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-PERF-001",
    title="Accelerator node groups use the purpose-built chip for their workload (Inferentia for inference, Trainium for training)",
    pillar="performance_efficiency",
    framework=["PERF02-BP06"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Use params accelerators.inference_families (inf2) for node groups labelled workload=inference and "
        "accelerators.training_families (trn1/trn2) for workload=training. A GPU family needs the "
        "params accelerators.gpu_justification_tag tag with the reason on the node group."
    ),
    rationale=(
        "Inferentia2 and Trainium are built for transformer inference and distributed training and give the best "
        "price-performance for those jobs; a training chip serving inference (or the reverse) or a general-purpose "
        "instance wastes the capacity paid for. The workload comes from the 'workload' label, else the node group "
        "name; instance types from the node group or its launch template. GPU families pass only with a "
        "justification tag (the same exception LZ-SUS-001 honours)."
        " Framework PERF02-BP06 (use optimized hardware-based compute accelerators). The lens' GENPERF03-BP01 is about "
        "managed solutions for hosting and customization, not the choice of chip."
    ),
)
def check(node_group, plan, params):
    workload = rulekit.node_group_workload(node_group)
    if workload is None:
        return None
    types = rulekit.node_group_instance_types(node_group)
    if types is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    if not types:
        return Result.failed(f"{workload} node group names no instance type (EKS defaults to a general-purpose type)",
                             path="instance_types")
    wanted = rulekit.families(params, workload)
    others = [t for t in types if rulekit.instance_family(t) not in wanted]
    if not others:
        return Result.passed(f"{workload} node group on {', '.join(types)}", path="instance_types")
    gpu = rulekit.families(params, "gpu")
    if all(rulekit.instance_family(t) in gpu for t in others):
        tags = node_group.tags
        if tags is UNKNOWN:
            return Result.unknown("the tags (GPU justification) are known only after apply", path="tags")
        tag = params.get("accelerators", {}).get("gpu_justification_tag", "gpu-justification")
        if isinstance(tags.get(tag), str) and tags[tag].strip():
            return Result.passed(f"{workload} node group on GPU {', '.join(others)}, justified by tag {tag}",
                                 path="instance_types")
    return Result.failed(
        f"{workload} node group on {', '.join(others)}, not on {'/'.join(sorted(wanted))}", path="instance_types",
        value=types)
