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
FRAMEWORK = registry.load_framework()


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
def test_every_mapping_names_existing_ids_of_its_pillar(check_id):
    entry = MAPPING.checks[check_id]
    assert entry.lens or entry.framework, f"{check_id} names no lens and no framework best practice"
    for ids, catalog in ((entry.lens, LENS.best_practices), (entry.framework, FRAMEWORK.best_practices)):
        for bp in ids:
            assert bp in catalog, f"{check_id}: {bp} is in neither catalog"
            assert catalog[bp]["pillar"] == entry.pillar, f"{check_id}: {bp} is not a {entry.pillar} practice"


# Generic controls the review found mapped to GenAI lens practices whose words do not fit them
# ("least privilege access permissions for foundation models accessing data stores" for any
# encryption, "implement a model catalog" for S3 versioning, "data purification filters for model
# training" for ECR scanning ...): they now name the framework practice they implement.
HONEST = {
    "CKV_AWS_19": ("SEC08-BP02",), "CKV_AWS_7": ("SEC08-BP01",), "CKV_AWS_21": ("REL09-BP01",),
    "CKV_AWS_163": ("SEC06-BP01",), "CKV_AWS_62": ("SEC03-BP02",), "CKV_AWS_24": ("SEC05-BP02",),
    "CKV_AWS_83": ("SEC09-BP02",), "CKV_AWS_20": ("SEC08-BP04", "SEC03-BP07"), "CKV_AWS_45": ("SEC02-BP03",),
    "CKV2_AWS_61": ("SUS04-BP03",), "CKV_AWS_116": ("REL05-BP04",),
}


@pytest.mark.parametrize("check_id, framework", sorted(HONEST.items()))
def test_generic_checks_name_the_framework_not_a_genai_practice(check_id, framework):
    entry = MAPPING.checks[check_id]
    assert entry.lens == () and entry.framework == framework


def test_lens_mappings_are_the_ones_whose_words_fit():
    lensed = {cid: entry.lens for cid, entry in MAPPING.checks.items() if entry.lens}
    # a Bedrock agent with a guardrail; CloudTrail on in every Region; a hosted model without network access;
    # monitoring every layer and limiting concurrency against overload
    assert lensed == {
        "CKV_AWS_383": ("GENSEC02-BP01",), "CKV_AWS_67": ("GENSEC03-BP01",), "CKV_AWS_251": ("GENSEC03-BP01",),
        "CKV_AWS_370": ("GENSEC01-BP02",), "CKV_AWS_126": ("GENOPS02-BP01",), "CKV_AWS_50": ("GENOPS02-BP01",),
        "CKV_AWS_115": ("GENOPS02-BP03",),
    }
    assert not any("GENSEC01-BP03" in ids or "GENSEC01-BP01" in ids for ids in lensed.values())


def test_catalog_rows_carry_the_framework_ids():
    rows = {row["id"]: row for row in checkov_bridge.catalog()}
    assert rows["CKV_AWS_19"]["lens"] == [] and rows["CKV_AWS_19"]["framework"] == ["SEC08-BP02"]
    assert "Well-Architected Framework (SEC08-BP02)" in rows["CKV_AWS_19"]["rationale"]
    assert rows["CKV_AWS_383"]["lens"] == ["GENSEC02-BP01"] and rows["CKV_AWS_383"]["framework"] == []


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


def test_a_framework_id_missing_or_of_another_pillar_is_a_policy_error(tmp_path):
    path = tmp_path / "checkov.yaml"
    document = _document()
    document["checks"]["CKV_AWS_19"]["framework"] = ["SEC99-BP01"]
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"CKV_AWS_19\.framework: SEC99-BP01 is not in the Well-Architected Framework"):
        checkov_bridge.load_mapping(str(path))
    document = _document()
    document["checks"]["CKV_AWS_19"]["framework"] = ["REL09-BP01"]
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"REL09-BP01 is a reliability best practice; the check is mapped to pillar security"):
        checkov_bridge.load_mapping(str(path))


def test_schema_wants_a_lens_or_a_framework_id():
    document = _document()
    del document["checks"]["CKV_AWS_19"]["framework"]
    with pytest.raises(DataFileError, match="CKV_AWS_19"):
        validate_data("checkov.schema.json", document, "checkov.yaml")
