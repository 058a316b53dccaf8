"""What a real AWS account needs from the workload's EKS cluster and its network.

The mock provider and the emulator accept a private cluster whose nodes can never join,
never pull an image, never run CoreDNS; these tests read the workload's own dev and prod
plans (offline plans written by `make lz-plans`, planned here when missing) for the
cross-resource facts that decide whether the cluster works after a real apply.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from checks.ops import terraform as tfmod
from checks.ops.emulator import offline_env
from checks.errors import ToolError
from checks.ops.terraform import TerraformRunner
from checks.ops.workspace import Workspace
from conftest import REPO
from test_landing_zone_gate import _landing_zone_plan

ENVS = ("dev", "prod")
REGION = "us-east-1"

# What a node of a private cluster (no NAT) calls, per the EKS user guide "Deploy private
# clusters with limited internet access": the VPC CNI and the node's DNS name (ec2), image
# pulls (ecr.api, ecr.dkr + the S3 gateway endpoint), EKS Pod Identity (eks-auth), IRSA (sts),
# the EKS API (eks), logs; the Cluster Autoscaler changes the node groups' size through
# autoscaling (cluster-autoscaler AWS README: a private cluster needs the endpoints it calls).
NODE_ENDPOINTS = ("ec2", "ecr.api", "ecr.dkr", "sts", "eks", "eks-auth", "logs", "autoscaling")
ECR_LAYER_OBJECTS = f"arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*"


@pytest.fixture(scope="module", params=ENVS)
def plan(request) -> dict:
    return _landing_zone_plan("workload", request.param)


def _modules(module: dict) -> Iterator[dict]:
    yield module
    for child in module.get("child_modules", ()):
        yield from _modules(child)


def planned(plan: dict) -> dict[str, dict]:
    """Planned resources by address."""
    return {r["address"]: r for m in _modules(plan["planned_values"]["root_module"]) for r in m.get("resources", ())}


def of_type(plan: dict, type_: str, module: str | None = None) -> dict[str, dict]:
    return {
        a: r for a, r in planned(plan).items()
        if r["type"] == type_ and r["mode"] == "managed" and (module is None or a.startswith(f"module.{module}."))
    }


def module_call(plan: dict, name: str) -> dict:
    return plan["configuration"]["root_module"]["module_calls"][name]


def config_resource(plan: dict, module: str, address: str) -> dict:
    return next(r for r in module_call(plan, module)["module"]["resources"] if r["address"] == address)


def references(expressions: dict, name: str) -> list[str]:
    return expressions.get(name, {}).get("references", [])


def statements(policy: str) -> list[dict[str, Any]]:
    document = json.loads(policy)
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def network_module_of_cluster(plan: dict) -> str:
    """The module whose private subnets the cluster (and its node groups) are placed in."""
    refs = references(module_call(plan, "accelerated_compute")["expressions"], "subnet_ids")
    outputs = [r for r in refs if r.endswith(".private_subnet_ids")]
    assert outputs, f"the cluster's subnet_ids come from no network module output: {refs}"
    return outputs[0].split(".")[1]


# --- item 2: the nodes can join and pull images -------------------------------------------

def test_every_endpoint_the_nodes_need_is_in_the_cluster_vpc_with_private_dns(plan):
    network = network_module_of_cluster(plan)
    assert references(module_call(plan, "accelerated_compute")["expressions"], "vpc_id")[0] == f"module.{network}.vpc_id"
    endpoints = of_type(plan, "aws_vpc_endpoint", network)
    by_service = {r["values"]["service_name"]: r for r in endpoints.values()}
    missing = [s for s in NODE_ENDPOINTS if f"com.amazonaws.{REGION}.{s}" not in by_service]
    assert not missing, f"a private node cannot join or pull without the {missing} interface endpoints"
    for service in NODE_ENDPOINTS:
        values = by_service[f"com.amazonaws.{REGION}.{service}"]["values"]
        assert values["vpc_endpoint_type"] == "Interface"
        assert values["private_dns_enabled"] is True, f"{service}: the SDKs on the node resolve the public name"
    vpc_refs = references(config_resource(plan, network, "aws_vpc_endpoint.interface")["expressions"], "vpc_id")
    assert "aws_vpc.this" in vpc_refs, "the endpoints must be in the VPC whose subnets the cluster uses"


def test_s3_gateway_endpoint_lets_ecr_layer_downloads_through(plan):
    network = network_module_of_cluster(plan)
    gateways = [r for r in of_type(plan, "aws_vpc_endpoint", network).values()
                if r["values"]["vpc_endpoint_type"] == "Gateway" and r["values"]["service_name"].endswith(".s3")]
    assert len(gateways) == 1
    route_refs = references(config_resource(plan, network, "aws_vpc_endpoint.s3")["expressions"], "route_table_ids")
    assert "aws_route_table.private" in route_refs, "the gateway must serve the private subnets' route tables"
    carve_outs = [
        st for st in statements(gateways[0]["values"]["policy"])
        if st["Effect"] == "Allow" and "s3:GetObject" in as_list(st["Action"])
        and ECR_LAYER_OBJECTS in as_list(st["Resource"])
    ]
    assert carve_outs, "ECR serves layers through presigned URLs of the ECR layer bucket: the gateway policy must allow them"
    # Presigned by an ECR-owned principal: a principal-account condition would deny them again.
    assert all("aws:PrincipalAccount" not in json.dumps(st.get("Condition", {})) for st in carve_outs)


def test_s3_gateway_endpoint_keeps_the_account_perimeter_for_everything_else(plan):
    network = network_module_of_cluster(plan)
    gateway = next(r for r in of_type(plan, "aws_vpc_endpoint", network).values() if r["values"]["vpc_endpoint_type"] == "Gateway")
    for st in statements(gateway["values"]["policy"]):
        if st["Action"] == "*" or st["Resource"] == "*":
            assert st["Condition"]["StringEquals"]["aws:PrincipalAccount"], st
        else:
            assert set(as_list(st["Action"])) == {"s3:GetObject"}, st
            assert all(r.startswith("arn:aws:s3:::") and r.endswith("/*") for r in as_list(st["Resource"])), st


# --- item 3: CoreDNS has a node to run on --------------------------------------------------

def node_groups(plan: dict) -> dict[str, dict]:
    return {r["index"]: r["values"] for r in of_type(plan, "aws_eks_node_group", "accelerated_compute").values()}


def test_untainted_system_node_group_is_planned_by_default(plan):
    groups = node_groups(plan)
    assert "system" in groups, "without an untainted node group CoreDNS never schedules (every accelerator node is tainted)"
    system = groups["system"]
    assert not system.get("taint"), system.get("taint")
    assert system["scaling_config"][0]["min_size"] >= 1
    assert system["capacity_type"] == "ON_DEMAND"
    assert plan["variables"].get("create_eks_system_node_group", {}).get("value") is True
    tainted = [k for k, v in groups.items() if any(t["key"] == "aws.amazon.com/neuron" for t in v.get("taint", []))]
    assert set(tainted) == set(groups) - {"system"}


# --- item 4: the cluster is a platform ------------------------------------------------------

CORE_ADDONS = {"vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"}


def test_core_addons_are_managed_and_coredns_waits_for_the_nodes(plan):
    addons = {r["values"]["addon_name"]: a for a, r in of_type(plan, "aws_eks_addon", "accelerated_compute").items()}
    assert CORE_ADDONS <= set(addons), f"missing add-ons: {CORE_ADDONS - set(addons)}"
    coredns = config_resource(plan, "accelerated_compute", addons["coredns"].split(".", 2)[2].split("[")[0])
    assert "aws_eks_node_group.this" in coredns.get("depends_on", []), "CoreDNS needs running nodes: it must wait for the node groups"
    for name in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent"):
        assert ".before_compute[" in addons[name], f"{name} must be installed before the node groups"
    node_group = config_resource(plan, "accelerated_compute", "aws_eks_node_group.this")
    assert "aws_eks_addon.before_compute" in node_group.get("depends_on", []), "the nodes must wait for the networking add-ons"


def test_platform_admins_have_access_entries_and_creator_admin_stays_off(plan):
    cluster = next(iter(of_type(plan, "aws_eks_cluster", "accelerated_compute").values()))["values"]
    assert cluster["access_config"][0]["authentication_mode"] == "API"
    assert cluster["access_config"][0]["bootstrap_cluster_creator_admin_permissions"] is False
    admins = plan["variables"].get("eks_admin_role_arns", {}).get("value")
    entries = {r["values"]["principal_arn"] for r in of_type(plan, "aws_eks_access_entry", "accelerated_compute").values()}
    policies = {
        r["values"]["principal_arn"]: r["values"]["policy_arn"]
        for r in of_type(plan, "aws_eks_access_policy_association", "accelerated_compute").values()
    }
    assert admins and set(admins) <= entries
    assert all(policies[a].endswith(":cluster-access-policy/AmazonEKSClusterAdminPolicy") for a in admins)


def test_pods_reach_bedrock_through_pod_identity_with_a_role_that_trusts_eks_pods(plan):
    associations = of_type(plan, "aws_eks_pod_identity_association", "accelerated_compute")
    assert associations, "no EKS Pod Identity association: pods cannot call Bedrock without node credentials"
    roles = {r["index"]: r["values"] for r in of_type(plan, "aws_iam_role", "accelerated_compute").values() if r["name"] == "pod_identity"}
    association_config = config_resource(plan, "accelerated_compute", "aws_eks_pod_identity_association.this")
    assert "aws_iam_role.pod_identity" in references(association_config["expressions"], "role_arn")
    for association in associations.values():
        key, values = association["index"], association["values"]
        trust = statements(roles[key]["assume_role_policy"])
        pods = [st for st in trust if st["Effect"] == "Allow" and st["Principal"].get("Service") == "pods.eks.amazonaws.com"]
        assert pods, f"{key}: the associated role must trust pods.eks.amazonaws.com"
        assert {"sts:AssumeRole", "sts:TagSession"} <= set(as_list(pods[0]["Action"])), "Pod Identity needs AssumeRole and TagSession"
        tags = pods[0]["Condition"]["StringEquals"]
        assert tags["aws:RequestTag/kubernetes-namespace"] == values["namespace"]
        assert tags["aws:RequestTag/kubernetes-service-account"] == values["service_account"]
    # the pod role carries every managed policy of the landing zone's invoke role (models, profile
    # destinations, guardrail use), attached by the bedrock module with the policy named directly
    bedrock_refs = references(module_call(plan, "bedrock")["expressions"], "additional_invoke_role_names")
    assert "module.accelerated_compute.pod_identity_role_names" in bedrock_refs
    attachments = of_type(plan, "aws_iam_role_policy_attachment", "bedrock")
    by_role: dict[str, set[str]] = {}
    for a in attachments.values():
        by_role.setdefault(a["index"], set()).add(a["name"])
    assert by_role.get("eks-pods") == by_role.get("invoke") and by_role["invoke"] >= {"invoke", "guardrail_use"}


# --- item 5: the key policy's principal exists --------------------------------------------

def test_autoscaling_service_linked_role_exists_before_the_key_that_names_it(plan):
    keys = of_type(plan, "aws_kms_key", "accelerated_compute")
    naming = [k for k in keys.values() if "AWSServiceRoleForAutoScaling" in k["values"]["policy"]]
    assert naming, "the EKS key policy no longer names the Auto Scaling role: update this test"
    if not plan["variables"].get("create_autoscaling_service_linked_role", {}).get("value", True):
        return  # the account already has the role (toggled off on purpose)
    slr = [r["values"] for r in of_type(plan, "aws_iam_service_linked_role", "accelerated_compute").values()]
    assert [r["aws_service_name"] for r in slr] == ["autoscaling.amazonaws.com"]
    key_config = module_call(plan, "accelerated_compute")["module"]["module_calls"]["kms_key"]  # modules/_shared/kms-key
    assert "aws_iam_service_linked_role.autoscaling" in key_config.get("depends_on", []), \
        "KMS rejects a key policy whose principal does not exist yet: the key must depend on the role"


# --- item 13: EFA and AZ IDs ----------------------------------------------------------------

# EFA interfaces per instance type (Neuron docs: trn1.32xlarge 8 EFA devices, trn1n.32xlarge 16).
EFA_INTERFACES = {"trn1.32xlarge": 8, "trn1n.32xlarge": 16, "trn2.48xlarge": 16}


def test_efa_interface_count_is_derived_from_the_instance_type(plan):
    groups = node_groups(plan)
    templates = {r["index"]: r["values"] for r in of_type(plan, "aws_launch_template", "accelerated_compute").values()}
    for key, group in groups.items():
        interfaces = templates[key]["network_interfaces"]
        efa = [ni for ni in interfaces if ni.get("interface_type") == "efa"]
        if not efa:
            continue
        expected = {EFA_INTERFACES[t] for t in group["instance_types"]}
        assert len(expected) == 1 and len(efa) == expected.pop(), f"{key}: {len(efa)} EFA interfaces for {group['instance_types']}"
        assert sorted(ni["network_card_index"] for ni in efa) == list(range(len(efa))), "one EFA interface per network card"
    for key in set(templates) & {"inference", "system"}:
        assert all(ni.get("interface_type") != "efa" for ni in templates[key]["network_interfaces"])


def test_subnets_are_placed_by_az_id(plan):
    az_ids = plan["variables"].get("az_ids", {}).get("value")
    assert az_ids, "trn1/inf2 capacity is per physical zone: the workload must name AZ IDs, not account-specific AZ names"
    subnets = [r["values"] for r in of_type(plan, "aws_subnet", "network").values()]
    assert sorted(s["availability_zone_id"] for s in subnets) == sorted(az_ids)
    zone = plan["variables"].get("training_zone", {}).get("value")
    assert zone is None or zone in az_ids


# --- item 14: a supported Kubernetes version ----------------------------------------------

def test_kubernetes_version_is_in_eks_standard_support(plan):
    cluster = next(iter(of_type(plan, "aws_eks_cluster", "accelerated_compute").values()))["values"]
    # EKS standard support as of December 2026: 1.35 until 2027-03-27, 1.36 until 2027-08-02.
    assert cluster["version"] in {"1.35", "1.36"}
    assert cluster["upgrade_policy"][0]["support_type"] == "STANDARD"


# --- the workload's new inputs are validated -----------------------------------------------

@pytest.mark.parametrize("variables, message", [
    ({"eks_admin_role_arns": "[]"}, "eks_admin_role_arns must list at least one IAM role ARN"),
    ({"az_ids": '["use1-az4","use1-az6"]', "training_zone": "us-east-1a"}, "training_zone must be one of az_ids"),
    ({"kubernetes_version": "1.31"}, "kubernetes_version must be an EKS version in standard support"),
])
def test_workload_rejects_inputs_that_would_fail_on_a_real_account(variables, message, tmp_path):
    tfmod.write_cli_config()
    tf = TerraformRunner(Workspace("workload", "dev", "offline"), offline_env())
    tf.init()
    with pytest.raises(ToolError):
        tf.plan(tmp_path / "bad.tfplan", variables)
    log = (REPO / "build" / "logs" / "offline-workload-dev-plan.log").read_text(encoding="utf-8")
    assert message in " ".join(log.split())
