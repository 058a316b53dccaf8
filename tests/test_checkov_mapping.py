"""policies/checkov.yaml: schema, lens ids, native supersession, and checkov's own registry."""
from __future__ import annotations

import copy

import pytest
import yaml

from checks import registry
from checks.integrations import checkov_bridge
from checks.errors import DataFileError, PolicyError
from checks.schema import validate_data
from conftest import POLICIES

MAPPING = checkov_bridge.load_mapping()
LENS = registry.load_lens()


def _document():
    return yaml.safe_load((POLICIES / "checkov.yaml").read_text(encoding="utf-8"))


def test_mapping_size_and_families():
    assert len(MAPPING.checks) >= 60
    types = {t for entry in MAPPING.checks.values() for t in entry.resource_types}
    families = {
        "KMS": "aws_kms_key", "S3": "aws_s3_bucket", "IAM": "aws_iam_policy", "VPC": "aws_vpc",
        "security groups": "aws_security_group", "endpoints": "aws_vpc_endpoint_service",
        "CloudTrail": "aws_cloudtrail", "GuardDuty": "aws_guardduty_detector", "logs": "aws_cloudwatch_log_group",
        "EKS": "aws_eks_cluster", "SageMaker": "aws_sagemaker_notebook_instance", "Bedrock agent": "aws_bedrockagent_agent",
    }
    missing = [name for name, resource_type in families.items() if resource_type not in types]
    assert not missing, f"no mapped check for {missing}"


@pytest.mark.parametrize("check_id", sorted(MAPPING.checks))
def test_mapped_lens_ids_exist_in_the_mapped_pillar(check_id):
    entry = MAPPING.checks[check_id]
    for bp in entry.lens:
        assert bp in LENS.best_practices
        assert LENS.best_practices[bp]["pillar"] == entry.pillar, f"{check_id}: {bp} is not a {entry.pillar} practice"


def test_registry_knows_every_mapped_check_with_the_recorded_resource_types():
    """Fails when a checkov upgrade removes a mapped check or changes what it targets."""
    installed = checkov_bridge.registry_checks()
    assert checkov_bridge.checkov_version() == MAPPING.checkov_version, \
        "checkov was upgraded: re-verify policies/checkov.yaml and update checkov_version"
    gone = sorted(set(MAPPING.checks) - set(installed))
    assert not gone, f"mapped checks missing from checkov {MAPPING.checkov_version}: {gone}"
    changed = {cid: sorted(installed[cid]["resource_types"]) for cid, entry in MAPPING.checks.items()
               if set(entry.resource_types) != installed[cid]["resource_types"]}
    assert not changed, f"resource types changed (new values): {changed}"


def test_superseded_by_names_a_loaded_native_rule_on_the_same_types():
    natives = {meta.id: meta for meta in registry.load_rules()}
    for check_id, entry in MAPPING.checks.items():
        if entry.superseded_by is None:
            continue
        meta = natives.get(entry.superseded_by)
        assert meta is not None, f"{check_id}: superseded_by {entry.superseded_by} is not a rule of the pack"
        assert set(meta.resource_types) & set(entry.resource_types), \
            f"{check_id}: {entry.superseded_by} judges {meta.resource_types}, not {entry.resource_types}"


def test_schema_rejects_an_unknown_field_and_a_bad_severity():
    document = _document()
    bad = copy.deepcopy(document)
    bad["checks"]["CKV_AWS_36"]["owner"] = "me"
    with pytest.raises(DataFileError, match="owner"):
        validate_data("checkov.schema.json", bad, "checkov.yaml")
    bad = copy.deepcopy(document)
    bad["checks"]["CKV_AWS_36"]["severity"] = "urgent"
    with pytest.raises(DataFileError, match=r"checks\.CKV_AWS_36\.severity"):
        validate_data("checkov.schema.json", bad, "checkov.yaml")


def test_a_lens_id_missing_from_the_catalog_is_a_policy_error(tmp_path):
    document = _document()
    document["checks"]["CKV_AWS_36"]["lens"] = ["GENSEC09-BP09"]
    path = tmp_path / "checkov.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"CKV_AWS_36\.lens: GENSEC09-BP09 is not in the lens catalog"):
        checkov_bridge.load_mapping(str(path))


def test_params_schema_knows_the_default_severity():
    params = yaml.safe_load((POLICIES / "params.yaml").read_text(encoding="utf-8"))
    assert params["checkov"]["default_severity"] == "low"
    params["checkov"]["default_severity"] = "urgent"
    with pytest.raises(DataFileError, match="checkov.default_severity"):
        validate_data("params.schema.json", params, "params.yaml")
