"""checks.plan: reading any `terraform show -json` output and following references."""
from __future__ import annotations

import copy
import json

import pytest

from checks import plan as plan_module
from checks.errors import PlanError
from checks.values import MASK, UNKNOWN

from conftest import FIXTURES

REFS = FIXTURES / "plans" / "refs.json"


@pytest.fixture(scope="module")
def refs():
    return plan_module.load(REFS)


def _doc():
    return json.loads(REFS.read_text())


def test_indexes_by_type_and_address(refs):
    assert [r.address for r in refs.of_type("aws_vpc")] == ["aws_vpc.main"]
    assert len(refs.of_type("aws_vpc_endpoint")) == 2
    assert refs.get("aws_kms_key.logs").type == "aws_kms_key"
    assert refs.get("nope") is None
    assert refs.format_version.startswith("1.")
    assert refs.provider_versions == {"registry.terraform.io/hashicorp/aws": ">= 5.50.0, < 6.0.0"}


def test_reference_through_module_variable(refs):
    vpc = refs.get("aws_vpc.main")
    endpoints = vpc.referenced_by("aws_vpc_endpoint", "vpc_id")
    assert sorted(e.address for e in endpoints) == [
        'module.endpoints["bedrock-runtime"].aws_vpc_endpoint.this',
        'module.endpoints["sagemaker.runtime"].aws_vpc_endpoint.this',
    ]
    endpoint = endpoints[0]
    assert endpoint.get("vpc_id") is UNKNOWN and endpoint.is_unknown("vpc_id")
    assert [r.address for r in endpoint.references("vpc_id", "aws_vpc")] == ["aws_vpc.main"]
    assert endpoint.module_address == 'module.endpoints["bedrock-runtime"]'
    assert endpoint.config_address == "module.endpoints.aws_vpc_endpoint.this"


def test_unknown_only_when_configured(refs):
    log_group = refs.get("aws_cloudwatch_log_group.app")
    assert log_group.get("kms_key_id") is UNKNOWN  # set from aws_kms_key.logs.arn
    assert [r.address for r in log_group.references("kms_key_id")] == ["aws_kms_key.logs"]
    assert log_group.get("arn") is None  # computed by the provider, not configured
    assert not log_group.is_unknown("arn")
    with pytest.raises(TypeError):
        bool(log_group.get("kms_key_id"))


def test_sensitive_values_are_masked(refs):
    secret = refs.get("aws_ssm_parameter.secret")
    assert secret.is_sensitive("value")
    assert secret.masked("value") == MASK
    assert secret.masked()["value"] == MASK
    assert secret.masked()["name"] == "/app/db"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_reads_any_unicode_encoding(tmp_path, encoding):
    target = tmp_path / "plan.json"
    target.write_bytes(REFS.read_text(encoding="utf-8").encode(encoding))
    loaded = plan_module.load(target)
    assert len(loaded) == len(plan_module.load(REFS))


def test_deleted_resources_are_not_judged_and_replacements_are(tmp_path):
    doc = _doc()
    changes = doc["resource_changes"]
    vpc = next(c for c in changes if c["address"] == "aws_vpc.main")
    gone = copy.deepcopy(vpc)
    gone.update(address="aws_vpc.old", name="old")
    gone["change"] = {"actions": ["delete"], "before": {"cidr_block": "10.9.0.0/16"}, "after": None,
                      "after_unknown": {}, "before_sensitive": {}, "after_sensitive": False}
    vpc["change"]["actions"] = ["delete", "create"]
    changes.append(gone)
    loaded = plan_module.loads(json.dumps(doc))
    assert [r.address for r in loaded.of_type("aws_vpc")] == ["aws_vpc.main"]
    assert loaded.get("aws_vpc.main").is_replaced
    assert [r.address for r in loaded.deleted] == ["aws_vpc.old"]
    assert loaded.deleted[0].get("cidr_block") == "10.9.0.0/16"


def test_reads_state_documents(tmp_path):
    state = {
        "format_version": "1.0",
        "terraform_version": "1.11.4",
        "values": {"root_module": {
            "resources": [{"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
                           "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"cidr_block": "10.0.0.0/16"}}],
            "child_modules": [{"address": "module.m", "resources": [
                {"address": "module.m.aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                 "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"bucket": "x"}}]}],
        }},
    }
    loaded = plan_module.loads(json.dumps(state))
    assert loaded.kind == "state"
    assert loaded.get("module.m.aws_s3_bucket.b").module_address == "module.m"
    assert loaded.get("aws_vpc.a").get("cidr_block") == "10.0.0.0/16"


def test_old_format_without_module_address_or_unknowns():
    doc = {"format_version": "0.1", "terraform_version": "0.12.31", "resource_changes": [
        {"address": 'module.a["x"].module.b.aws_vpc.v[0]', "type": "aws_vpc", "name": "v", "mode": "managed",
         "change": {"actions": ["create"], "before": None, "after": {"cidr_block": "10.0.0.0/16"}}},
        {"address": "google_compute_network.n", "type": "google_compute_network", "name": "n",
         "provider_name": "registry.terraform.io/hashicorp/google",
         "change": {"actions": ["create"], "after": {"name": "n"}}},
    ]}
    loaded = plan_module.loads(json.dumps(doc))
    vpc = loaded.of_type("aws_vpc")[0]
    assert vpc.module_address == 'module.a["x"].module.b'
    assert vpc.config_address == "module.a.module.b.aws_vpc.v"
    assert vpc.get("cidr_block") == "10.0.0.0/16"
    assert vpc.references("vpc_id") == []
    assert loaded.of_type("google_compute_network")[0].provider == "google"


@pytest.mark.parametrize(
    "payload, fragment",
    [
        (b"", "empty"),
        (b"not json at all", "not JSON"),
        (b"[1, 2]", "top level is a JSON list"),
        (b'{"format_version": "2.0", "resource_changes": []}', "format_version 2.0 is not supported"),
        (b'{"resource_changes": []}', "format_version"),
        (b'{"format_version": "1.2", "resource_changes": [{"address": "a"}]}', "resource_changes[0]"),
        (b'{"format_version": "1.2"}', "not a Terraform plan"),
        (b"\xff\xfe\x00\xd8", "not valid"),
    ],
)
def test_invalid_input_is_a_clear_plan_error(payload, fragment):
    with pytest.raises(PlanError) as err:
        plan_module.loads(payload, source="x.json")
    assert fragment in str(err.value)
    assert str(err.value).startswith("x.json")


def test_missing_file(tmp_path):
    with pytest.raises(PlanError, match="no such file"):
        plan_module.load(tmp_path / "missing.json")


def test_blocks_and_single_nested_blocks():
    doc = {"format_version": "1.2", "resource_changes": [
        {"address": "aws_security_group.s", "type": "aws_security_group", "name": "s",
         "change": {"actions": ["create"],
                    "after": {"ingress": [{"from_port": 443, "cidr_blocks": ["10.0.0.0/8"]},
                                          {"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
                              "metadata_options": [{"http_tokens": "required"}]},
                    "after_unknown": {"ingress": [{}, {"cidr_blocks": [True]}]}}}]}
    sg = plan_module.loads(json.dumps(doc)).get("aws_security_group.s")
    assert sg.get("metadata_options.http_tokens") == "required"
    blocks = sg.blocks("ingress")
    assert [b.get("from_port") for b in blocks] == [443, 22]
    assert not blocks[0].is_unknown("cidr_blocks") and blocks[1].is_unknown("cidr_blocks")
    assert blocks[1].prefix == "ingress.1"
    assert sg.get("ingress.0.cidr_blocks.0") == "10.0.0.0/8"


def test_references_with_index_expressions_resolve():
    doc = {"format_version": "1.2", "resource_changes": [
        {"address": "aws_vpc.v[0]", "type": "aws_vpc", "name": "v", "index": 0,
         "change": {"actions": ["create"], "after": {}, "after_unknown": {"id": True}}},
        {"address": "aws_subnet.s", "type": "aws_subnet", "name": "s",
         "change": {"actions": ["create"], "after": {}, "after_unknown": {"vpc_id": True}}}],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_vpc.v", "type": "aws_vpc", "name": "v", "mode": "managed", "expressions": {}},
            {"address": "aws_subnet.s", "type": "aws_subnet", "name": "s", "mode": "managed", "expressions": {
                "vpc_id": {"references": ["aws_vpc.v[count.index].id", "aws_vpc.v", "var.", "module.", "local.x"]}}}]}}}
    loaded = plan_module.loads(json.dumps(doc))
    assert [r.address for r in loaded.get("aws_subnet.s").references("vpc_id")] == ["aws_vpc.v[0]"]


def _rc(address, type_, name, index=None, module=None, after=None, unknown=None):
    rc = {"address": address, "type": type_, "name": name, "mode": "managed",
          "change": {"actions": ["create"], "after": after or {}, "after_unknown": unknown or {}}}
    if index is not None:
        rc["index"] = index
    if module:
        rc["module_address"] = module
    return rc


def test_keyed_references_pick_the_referrers_own_instance():
    doc = {"format_version": "1.2", "resource_changes": [
        _rc('aws_launch_template.lt["inference"]', "aws_launch_template", "lt", "inference"),
        _rc('aws_launch_template.lt["training"]', "aws_launch_template", "lt", "training"),
        _rc('aws_eks_node_group.ng["training"]', "aws_eks_node_group", "ng", "training",
            unknown={"launch_template": [{"id": True}]}),
        _rc("aws_subnet.s[0]", "aws_subnet", "s", 0), _rc("aws_subnet.s[1]", "aws_subnet", "s", 1),
        _rc("aws_instance.i", "aws_instance", "i"),
    ], "configuration": {"root_module": {"resources": [
        {"address": "aws_eks_node_group.ng", "type": "aws_eks_node_group", "name": "ng", "expressions": {
            "launch_template": [{"id": {"references": ["aws_launch_template.lt", "each.key"]}}]}},
        {"address": "aws_instance.i", "type": "aws_instance", "name": "i", "expressions": {
            "subnet_id": {"references": ["aws_subnet.s[1].id", "aws_subnet.s[1]", "aws_subnet.s"]}}},
    ]}}}
    loaded = plan_module.loads(json.dumps(doc))
    group = loaded.get('aws_eks_node_group.ng["training"]')
    assert [r.address for r in group.references("launch_template.id")] == ['aws_launch_template.lt["training"]']
    instance = loaded.get("aws_instance.i")
    assert "aws_subnet.s[1]" in [r.address for r in instance.references("subnet_id")]


def test_references_stay_inside_the_referrers_module_instance():
    changes = []
    for key in ("a", "b"):
        base = f'module.replica["{key}"]'
        changes.append(_rc(f"{base}.module.net.aws_vpc.this", "aws_vpc", "this", module=f"{base}.module.net"))
        changes.append(_rc(f"{base}.module.app.aws_vpc_endpoint.this", "aws_vpc_endpoint", "this",
                           module=f"{base}.module.app", unknown={"vpc_id": True}))
    replica = {"module_calls": {
        "net": {"source": "./net", "module": {
            "resources": [{"address": "aws_vpc.this", "type": "aws_vpc", "name": "this", "expressions": {}}],
            "outputs": {"vpc_id": {"expression": {"references": ["aws_vpc.this.id", "aws_vpc.this"]}}}}},
        "app": {"source": "./app", "expressions": {"vpc_id": {"references": ["module.net.vpc_id", "module.net"]}},
                "module": {"resources": [{"address": "aws_vpc_endpoint.this", "type": "aws_vpc_endpoint",
                                          "name": "this", "expressions": {"vpc_id": {"references": ["var.vpc_id"]}}}]}},
    }}
    doc = {"format_version": "1.2", "resource_changes": changes, "configuration": {"root_module": {
        "module_calls": {"replica": {"source": "./replica", "module": replica}}}}}
    loaded = plan_module.loads(json.dumps(doc))
    endpoint = loaded.get('module.replica["b"].module.app.aws_vpc_endpoint.this')
    assert [r.address for r in endpoint.references("vpc_id")] == ['module.replica["b"].module.net.aws_vpc.this']
    vpc = loaded.get('module.replica["a"].module.net.aws_vpc.this')
    assert [r.address for r in vpc.referenced_by("aws_vpc_endpoint", "vpc_id")] == [
        'module.replica["a"].module.app.aws_vpc_endpoint.this']


def test_references_inside_nested_blocks():
    doc = {"format_version": "1.2", "resource_changes": [
        _rc("aws_cloudwatch_log_group.lg", "aws_cloudwatch_log_group", "lg"),
        _rc("aws_bedrock_model_invocation_logging_configuration.c",
            "aws_bedrock_model_invocation_logging_configuration", "c",
            unknown={"logging_config": [{"cloudwatch_config": [{"log_group_name": True}]}]}),
    ], "configuration": {"root_module": {"resources": [
        {"address": "aws_bedrock_model_invocation_logging_configuration.c",
         "type": "aws_bedrock_model_invocation_logging_configuration", "name": "c", "expressions": {
             "logging_config": [{"cloudwatch_config": [{"log_group_name": {
                 "references": ["aws_cloudwatch_log_group.lg.name", "aws_cloudwatch_log_group.lg"]}}]}]}},
    ]}}}
    loaded = plan_module.loads(json.dumps(doc))
    config = loaded.get("aws_bedrock_model_invocation_logging_configuration.c")
    path = "logging_config.cloudwatch_config.log_group_name"
    assert [r.address for r in config.references(path)] == ["aws_cloudwatch_log_group.lg"]
    assert config.get(path) is UNKNOWN


def test_indexed_reference_is_not_every_instance():
    doc = {"format_version": "1.2", "resource_changes": [
        _rc('aws_s3_bucket.b["logs"]', "aws_s3_bucket", "b", "logs"),
        _rc('aws_s3_bucket.b["data"]', "aws_s3_bucket", "b", "data"),
        _rc("aws_s3_bucket_public_access_block.p", "aws_s3_bucket_public_access_block", "p",
            unknown={"bucket": True}),
    ], "configuration": {"root_module": {"resources": [
        {"address": "aws_s3_bucket_public_access_block.p", "type": "aws_s3_bucket_public_access_block", "name": "p",
         "expressions": {"bucket": {"references": ['aws_s3_bucket.b["logs"].id', 'aws_s3_bucket.b["logs"]',
                                                   "aws_s3_bucket.b"]}}}]}}}
    loaded = plan_module.loads(json.dumps(doc))
    block = loaded.get("aws_s3_bucket_public_access_block.p")
    assert [r.address for r in block.references("bucket")] == ['aws_s3_bucket.b["logs"]']
    assert loaded.get('aws_s3_bucket.b["data"]').referenced_by("aws_s3_bucket_public_access_block", "bucket") == []


def test_nested_computed_attribute_is_not_unknown_but_dynamic_block_is():
    doc = {"format_version": "1.2", "resource_changes": [
        _rc("aws_eks_cluster.c", "aws_eks_cluster", "c",
            after={"vpc_config": [{"endpoint_public_access": False}]},
            unknown={"vpc_config": [{"public_access_cidrs": True, "cluster_security_group_id": True}]}),
        _rc("aws_security_group.s", "aws_security_group", "s",
            after={"ingress": [{"from_port": 443}]}, unknown={"ingress": [{"cidr_blocks": True}]}),
    ], "configuration": {"root_module": {"resources": [
        {"address": "aws_eks_cluster.c", "type": "aws_eks_cluster", "name": "c",
         "expressions": {"vpc_config": [{"endpoint_public_access": {"constant_value": False}}]}},
        {"address": "aws_security_group.s", "type": "aws_security_group", "name": "s",
         "expressions": {"name": {"constant_value": "s"}}},  # `dynamic "ingress"` is not in the JSON
    ]}}}
    loaded = plan_module.loads(json.dumps(doc))
    cluster = loaded.get("aws_eks_cluster.c")
    assert not cluster.is_configured("vpc_config.public_access_cidrs")
    assert cluster.get("vpc_config.public_access_cidrs") is None
    assert cluster.get("vpc_config.endpoint_public_access") is False
    group = loaded.get("aws_security_group.s")
    assert group.is_configured("ingress.0.cidr_blocks")
    assert group.get("ingress.0.cidr_blocks") is UNKNOWN
