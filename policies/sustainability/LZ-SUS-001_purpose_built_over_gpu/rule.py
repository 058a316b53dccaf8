"""Accelerated compute runs on Inferentia / Trainium, not GPUs, unless a GPU is justified by tag."""
from checks import UNKNOWN, Result, rule
from checks import rulekit


def _instance_types(resource):
    if resource.type == "aws_eks_node_group":
        return rulekit.node_group_instance_types(resource)
    if resource.type == "aws_sagemaker_endpoint_configuration":
        types = []
        for variant in resource.blocks("production_variants"):
            value = variant.get("instance_type")
            if value is UNKNOWN:
                return UNKNOWN
            if value:
                types.append(value)
        return types
    value = resource.get("instance_type")
    return value if value is UNKNOWN else ([value] if value else [])


@rule(
    id="LZ-SUS-001",
    title="Accelerated compute uses Inferentia or Trainium instead of GPUs unless a GPU is justified",
    pillar="sustainability",
    framework=["SUS05-BP02", "PERF02-BP06"],
    severity="medium",
    resource_types=("aws_eks_node_group", "aws_sagemaker_endpoint_configuration", "aws_instance"),
    remediation=(
        "Move the workload to inf2 (inference) or trn1/trn2 (training) instance types (AWS Neuron SDK), or record why "
        "a GPU is needed in the params accelerators.gpu_justification_tag tag (e.g. gpu-justification = "
        "\"CUDA-only kernel, Neuron port planned Q3\")."
    ),
    rationale=(
        "Inferentia2 delivers up to 50% better performance per watt than comparable GPU instances and Trainium up "
        "to 25% better energy efficiency for training: the same model served or trained with less energy. GPU "
        "families (params accelerators.gpu_families) fail unless the resource carries a non-empty justification "
        "tag; CPU-only resources are not in scope."
        " Framework SUS05-BP02 (use instance types with the least impact) and PERF02-BP06 (use optimized "
        "hardware-based compute accelerators). The lens' GENSUS03-BP01, the former mapping, is about smaller models "
        "(quantization, pruning, distillation), not silicon."
    ),
)
def check(resource, plan, params):
    types = _instance_types(resource)
    if types is UNKNOWN:
        return Result.unknown("the instance type is known only after apply")
    gpu = [t for t in types if rulekit.accelerator_kind(t, params) == "gpu"]
    neuron = [t for t in types if rulekit.accelerator_kind(t, params) in ("inference", "training")]
    if not gpu:
        if neuron:
            return Result.passed(f"purpose-built accelerators: {', '.join(neuron)}")
        return None
    tags = resource.tags
    if tags is UNKNOWN:
        return Result.unknown("the tags (GPU justification) are known only after apply", path="tags")
    tag = params.get("accelerators", {}).get("gpu_justification_tag", "gpu-justification")
    reason = tags.get(tag)
    if isinstance(reason, str) and reason.strip():
        return Result.passed(f"GPU {', '.join(gpu)} justified by tag {tag}", value=reason)
    return Result.failed(f"GPU {', '.join(gpu)} without a {tag} tag: use Inferentia/Trainium or justify the GPU",
                         value=gpu)
