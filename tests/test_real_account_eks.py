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

from test_landing_zone_gate import _landing_zone_plan

ENVS = ("dev", "prod")
REGION = "us-east-1"

# What a node of a private cluster (no NAT) calls, per the EKS user guide "Deploy private
# clusters with limited internet access": the VPC CNI and the node's DNS name (ec2), image
# pulls (ecr.api, ecr.dkr + the S3 gateway endpoint), EKS Pod Identity (eks-auth), IRSA (sts),
# the EKS API (eks), logs.
NODE_ENDPOINTS = ("ec2", "ecr.api", "ecr.dkr", "sts", "eks", "eks-auth", "logs")
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
