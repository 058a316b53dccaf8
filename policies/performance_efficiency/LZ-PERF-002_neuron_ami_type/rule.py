"""Inferentia / Trainium node groups boot the EKS-optimized Neuron AMI."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-PERF-002",
    title="Inferentia and Trainium node groups use the Neuron EKS-optimized AMI type",
    pillar="performance_efficiency",
    lens=["GENPERF03-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set ami_type = \"AL2023_x86_64_NEURON\" (one of params accelerators.neuron_ami_types) on node groups of "
        "inf/trn instance types, and do not override the image in the launch template."
    ),
    rationale=(
        "Without the Neuron driver and runtime of the accelerated AMI, the Neuron devices are invisible to pods: the "
        "node group bills for Inferentia/Trainium and serves nothing, or falls back to CPU. A custom image_id in the "
        "launch template cannot be verified from the plan and fails (waive it when the image is a Neuron build)."
    ),
)
def check(node_group, plan, params):
    types = rulekit.node_group_instance_types(node_group)
    if types is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    neuron = [t for t in types if rulekit.accelerator_kind(t, params) in ("inference", "training")]
    if not neuron:
        return None
    allowed = params.get("accelerators", {}).get("neuron_ami_types", ["AL2023_x86_64_NEURON"])
    ami_type = node_group.get("ami_type")
    if ami_type is UNKNOWN:
        return Result.unknown("ami_type is known only after apply", path="ami_type")
    if ami_type in allowed:
        return Result.passed(f"{', '.join(neuron)} nodes boot {ami_type}", path="ami_type")
    template = rulekit.launch_template_of(node_group)
    if ami_type in (None, "CUSTOM") and template is not None and template.get("image_id") not in (None, ""):
        return Result.failed(f"{', '.join(neuron)} nodes boot a custom image from {template.address}; the Neuron "
                             "runtime cannot be verified", path="ami_type")
    return Result.failed(f"{', '.join(neuron)} nodes boot {ami_type or 'the default AMI type'}, not one of "
                         f"{', '.join(allowed)}", path="ami_type")
