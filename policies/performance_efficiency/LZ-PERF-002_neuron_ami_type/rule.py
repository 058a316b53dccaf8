"""Accelerated node groups boot a supported accelerated EKS AMI type (Neuron for Inferentia /
Trainium, NVIDIA for GPUs), never an end-of-life Amazon Linux 2 AMI type."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

DEFAULT_NEURON = ("AL2023_x86_64_NEURON",)
DEFAULT_END_OF_LIFE = ("AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64")


@rule(
    id="LZ-PERF-002",
    title="Accelerated node groups use a supported accelerated EKS AMI type (Neuron for Inferentia/Trainium, no end-of-life AL2)",
    pillar="performance_efficiency",
    framework=["PERF02-BP06", "SEC06-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set ami_type = \"AL2023_x86_64_NEURON\" (params accelerators.neuron_ami_types) on node groups of inf/trn "
        "instance types and an NVIDIA type (AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA; params "
        "accelerators.gpu_ami_types) on GPU node groups; replace AL2_x86_64_GPU / AL2_x86_64 / AL2_ARM_64, which "
        "reached end of support on 2025-11-26; do not override the image in the launch template."
    ),
    rationale=(
        "The EKS-optimized accelerated AMIs are the managed way to get the Neuron or NVIDIA driver and runtime onto a node. Without them the devices are "
        "invisible to pods: the node group bills for accelerators and serves nothing, or falls back to CPU. The "
        "Amazon Linux 2 EKS AMIs (AL2_x86_64, AL2_x86_64_GPU, AL2_ARM_64) reached end of support on 2025-11-26 "
        "(EKS AMI deprecation FAQ): no security patches, and no AMIs for new Kubernetes versions. A custom image_id "
        "in the launch template cannot be verified from the plan and fails (waive it when the image is a Neuron "
        "or NVIDIA build)."
        " Framework PERF02-BP06 (use optimized hardware-based compute accelerators): the accelerators only work with "
        "their drivers; SEC06-BP01 (perform vulnerability management) names the anti-pattern “Using software that has "
        "passed its vendor-provided end of life (EOL) date”."
    ),
)
def check(node_group, plan, params):
    types = rulekit.node_group_instance_types(node_group)
    if types is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    kinds = {t: rulekit.accelerator_kind(t, params) for t in types}
    neuron = [t for t, k in kinds.items() if k in ("inference", "training")]
    gpu = [t for t, k in kinds.items() if k == "gpu"]
    if not neuron and not gpu:
        return None
    acc = params.get("accelerators", {})
    allowed = list(acc.get("neuron_ami_types", DEFAULT_NEURON)) if neuron else list(acc.get("gpu_ami_types", ()))
    end_of_life = set(acc.get("end_of_life_ami_types", DEFAULT_END_OF_LIFE))
    accelerated = ", ".join(neuron or gpu)
    ami_type = node_group.get("ami_type")
    if ami_type is UNKNOWN:
        return Result.unknown("ami_type is known only after apply", path="ami_type")
    if ami_type in end_of_life:
        return Result.failed(f"{accelerated} nodes boot {ami_type}, an Amazon Linux 2 EKS AMI type past its end of "
                             "support (2025-11-26)", path="ami_type")
    if ami_type in allowed or (not neuron and not allowed and ami_type not in (None, "CUSTOM")):
        return Result.passed(f"{accelerated} nodes boot {ami_type}", path="ami_type")
    template = rulekit.launch_template_of(node_group)
    if ami_type in (None, "CUSTOM") and template is not None and template.get("image_id") not in (None, ""):
        return Result.failed(f"{accelerated} nodes boot a custom image from {template.address}; the accelerator "
                             "runtime cannot be verified", path="ami_type")
    return Result.failed(f"{accelerated} nodes boot {ami_type or 'the default AMI type'}, not one of "
                         f"{', '.join(allowed)}", path="ami_type")
