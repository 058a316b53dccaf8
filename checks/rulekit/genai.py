"""Where a plan spends on generative AI: Bedrock / SageMaker resources, endpoints to them,
accelerated compute, and the evidence that a plan builds a workload."""
from __future__ import annotations

from typing import Any, Mapping

from checks.plan import Resource
from checks.rulekit.accelerators import accelerator_kind, node_group_instance_types
from checks.rulekit.core import as_list, plan_index
from checks.rulekit.iam import covers, iam_policy_paths, is_allow, policy_document
from checks.rulekit.network import endpoint_service, is_genai_service
from checks.values import UNKNOWN

GENAI_TYPE_PREFIXES = ("aws_bedrock", "aws_sagemaker_")
COMPUTE_INSTANCE_PATHS = {"aws_eks_node_group": None, "aws_instance": "instance_type",
                          "aws_launch_template": "instance_type", "aws_launch_configuration": "instance_type"}
BEDROCK_INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


def genai_resources(plan: Any) -> list[Resource]:
    """Bedrock / SageMaker resources and PrivateLink endpoints to them (computed once per plan)."""
    return plan_index(plan, "genai-resources", _genai_resources)


def _genai_resources(plan: Any) -> list[Resource]:
    found = [r for t in plan.types if t.startswith(GENAI_TYPE_PREFIXES) for r in plan.of_type(t)]
    found.extend(e for e in plan.of_type("aws_vpc_endpoint") if is_genai_service(endpoint_service(e)))
    return found


def bedrock_usage(plan: Any) -> Resource | None:
    """The first resource showing that the plan uses Bedrock: a Bedrock resource, an
    endpoint to a Bedrock service, or an identity policy (known at plan time) that allows
    invoking models. None when the plan shows no use of Bedrock. Computed once per plan."""
    return plan_index(plan, "bedrock-usage", _bedrock_usage)


def _bedrock_usage(plan: Any) -> Resource | None:
    for t in plan.types:
        if t.startswith(("aws_bedrock", "aws_bedrockagent")) and t != "aws_bedrock_model_invocation_logging_configuration":
            resources = plan.of_type(t)
            if resources:
                return resources[0]
    for endpoint in plan.of_type("aws_vpc_endpoint"):
        service = endpoint_service(endpoint)
        if service and service.startswith("bedrock"):
            return endpoint
    for resource in plan.of_type("aws_iam_policy", "aws_iam_role_policy", "aws_iam_role",
                                 "aws_iam_user_policy", "aws_iam_group_policy"):
        for path in iam_policy_paths(resource):
            doc = policy_document(resource, path)
            for st in doc.statements or ():
                if is_allow(st) and any(covers(a, act) for a in st.get("Action", ()) for act in BEDROCK_INVOKE_ACTIONS):
                    return resource
    return None


def genai_footprint(plan: Any, params: Mapping[str, Any]) -> list[Resource]:
    """Planned resources that spend on generative AI: Bedrock / SageMaker resources and
    compute on accelerator (Inferentia, Trainium, GPU) instance types. Computed once per plan."""
    def build(p: Any) -> list[Resource]:
        found: list[Resource] = []
        for type_name in p.types:
            if type_name.startswith(GENAI_TYPE_PREFIXES):
                found.extend(p.of_type(type_name))
            elif type_name in COMPUTE_INSTANCE_PATHS:
                path = COMPUTE_INSTANCE_PATHS[type_name]
                for res in p.of_type(type_name):
                    types = node_group_instance_types(res) if path is None else res.get(path)
                    types = [] if types is UNKNOWN or types is None else as_list(types)
                    if any(isinstance(t, str) and accelerator_kind(t, params) for t in types):
                        found.append(res)
        return found
    return plan_index(plan, "genai-footprint", build)


def workload_evidence(plan: Any) -> Resource | None:
    """A resource showing that the plan builds a workload network or GenAI resources (a VPC,
    a Bedrock / SageMaker resource or endpoint): account-level controls such as CloudTrail
    and GuardDuty are then expected in the same plan. None for other plans."""
    vpcs = plan.of_type("aws_vpc")
    if vpcs:
        return vpcs[0]
    genai = genai_resources(plan)
    return genai[0] if genai else None


# Root variable by which a workload plan declares that its account's detective controls run
# at organization level (terraform/workload organization_security_services).
ORGANIZATION_MANAGED_VARIABLE = "organization_security_services"


def organization_managed(plan: Any) -> bool:
    """True when the plan's root module declares (``organization_security_services = true``)
    that the organization trail, GuardDuty / Security Hub auto-enable and the Config
    recorders of the organization cover the account: those live in the organization,
    log-archive and audit plans, which are checked on their own."""
    variables = plan.document.get("variables") if isinstance(plan.document, Mapping) else None
    if not isinstance(variables, Mapping):
        return False
    entry = variables.get(ORGANIZATION_MANAGED_VARIABLE)
    return isinstance(entry, Mapping) and entry.get("value") is True
