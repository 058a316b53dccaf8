"""Cross-resource facts of the workload plans (dev, prod) that a real AWS account depends on and
that the mock provider and the emulator accept either way: the SageMaker model has a source and
a path to it, the Bedrock invoke and endpoint policies grant what the callers use (and no more),
the guardrail cannot be skipped, the budget action stops spending, every alarm notifies someone.

The plans are the offline plans `make lz-plans` writes into build/ (planned here when missing).
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import pytest

from test_landing_zone_gate import _landing_zone_plan

ENVS = ("dev", "prod")


class Plan:
    def __init__(self, env: str) -> None:
        self.env = env
        self.doc = _landing_zone_plan("workload", env)
        self.changes = {rc["address"]: rc for rc in self.doc["resource_changes"]}
        self.variables = {k: v.get("value") for k, v in self.doc.get("variables", {}).items()}

    def after(self, address: str) -> dict[str, Any]:
        return self.changes[address]["change"]["after"]

    def unknown(self, address: str) -> dict[str, Any]:
        return self.changes[address]["change"]["after_unknown"]

    def of_type(self, type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for address, rc in self.changes.items():
            if rc["type"] == type_ and rc["change"]["actions"] != ["delete"]:
                yield address, rc["change"]["after"]

    def module_call(self, name: str) -> dict[str, Any]:
        return self.doc["configuration"]["root_module"]["module_calls"][name]

    def config_resource(self, module: str, address: str) -> dict[str, Any]:
        resources = self.module_call(module)["module"]["resources"]
        return next(r for r in resources if r["address"] == address)


@pytest.fixture(scope="module", params=ENVS)
def lz(request) -> Plan:
    return Plan(request.param)


def statements(policy: str | dict) -> list[dict[str, Any]]:
    doc = json.loads(policy) if isinstance(policy, str) else policy
    found = doc["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------
# item 1: the SageMaker model has a source; item 12: and a planned path to it


def test_sagemaker_model_has_a_source_it_can_reach(lz):
    model = lz.after("module.sagemaker.aws_sagemaker_model.this[0]")
    container = model["primary_container"][0]
    env = container["environment"] or {}
    if model["enable_network_isolation"]:
        # an S3 artefact downloaded by SageMaker; TGI serves what lands in /opt/ml/model
        assert re.match(r"^s3://[a-z0-9.-]+/.+", container["model_data_url"] or "")
        assert env.get("HF_MODEL_ID") == "/opt/ml/model"
        bucket = container["model_data_url"][5:].split("/")[0]
        assert lz.variables["account_id"] in bucket, "the artefact bucket belongs to this account"
    else:
        assert env.get("HF_MODEL_ID"), "a container without an artefact needs HF_MODEL_ID"
        assert model["tags"].get("network-isolation-off-justification")


def test_sagemaker_s3_egress_rule_is_planned_with_the_prefix_list_known_after_apply(lz):
    address = "module.sagemaker.aws_vpc_security_group_egress_rule.https_s3[0]"
    rule = lz.after(address)
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 443, 443)
    assert lz.unknown(address)["prefix_list_id"] is True
    expressions = lz.module_call("sagemaker")["expressions"]
    assert "module.network.s3_prefix_list_id" in expressions["s3_prefix_list_id"]["references"]
    assert expressions["create_s3_egress_rule"] == {"constant_value": True}
