"""Cross-resource facts of the multi-account landing zone, on the offline plans of the
organization, log-archive, audit and workload roots: the organization trail and its Object
Lock archive, delegated administration, Identity Center, organization policies and their AWS
limits, the deployer role, and account vending."""
from __future__ import annotations

import fnmatch
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from checks.ops import terraform as tfmod
from checks.ops.accounts import AccountRequest, new_account
from checks.ops.emulator import offline_env
from checks.ops.terraform import TerraformRunner
from checks.ops.workspace import Workspace, build_dir, repo_root

from conftest import run_cli

REPO = repo_root()
SCP_MAX_CHARS = 5120          # AWS Organizations quota for SCPs and RCPs (minified JSON counts)
POLICIES_PER_TARGET = 5       # SCPs (or RCPs) directly attached to one target, the AWS managed one included
RCP_SERVICES = {"s3", "sts", "kms", "sqs", "secretsmanager", "cognito-identity", "cognito-idp", "logs", "dynamodb",
                "ecr", "aoss"}
GLOBAL_SERVICES = ("iam:*", "organizations:*", "sts:*", "route53:*", "cloudfront:*", "support:*", "budgets:*", "ce:*")
DEPLOYER = "arn:aws:iam::222222222222:role/genai-lz-deployer"
EVERYDAY_ADMINS = (DEPLOYER, "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
                   "arn:aws:iam::222222222222:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef")


def _plan(root: str, env: str) -> dict[str, Any]:
    tf = TerraformRunner(Workspace(root, env, "offline"), offline_env())
    tf.init()
    plan_file = build_dir() / f"test-multi-account-{root}-{env}.tfplan"
    tf.plan(plan_file)
    try:
        return tf.show_json(plan_file)
    finally:
        plan_file.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def plans() -> dict[str, dict[str, Any]]:
    tfmod.write_cli_config()
    return {root: _plan(root, env) for root, env in (
        ("organization", "management"), ("log-archive", "log-archive"), ("audit", "audit"), ("workload", "dev"))}


def _managed(plan: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [rc for rc in plan["resource_changes"] if rc["mode"] == "managed" and rc["type"] == type_]


def _after(rc: dict[str, Any]) -> dict[str, Any]:
    return rc["change"]["after"]


def _one(plan: dict[str, Any], type_: str) -> dict[str, Any]:
    found = _managed(plan, type_)
    assert len(found) == 1, [rc["address"] for rc in found]
    return _after(found[0])


def _statements(document: str) -> list[dict[str, Any]]:
    statements = json.loads(document)["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _org_policies(plan: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {_after(rc)["name"]: _after(rc) for rc in _managed(plan, "aws_organizations_policy") if _after(rc)["type"] == type_}


def _variable(plan: dict[str, Any], name: str) -> Any:
    return plan["variables"][name]["value"]


# -- the organization trail and the log archive ------------------------------------------
def test_organization_trail_delivers_bedrock_data_events_to_the_object_lock_archive(plans):
    org, archive = plans["organization"], plans["log-archive"]
    trail = _one(org, "aws_cloudtrail")
    assert trail["is_organization_trail"] and trail["is_multi_region_trail"] and trail["enable_log_file_validation"]
    selectors = [{f["field"]: f["equals"] for f in sel["field_selector"]} for sel in trail["advanced_event_selector"]]
    assert {"eventCategory": ["Management"]} in selectors
    bedrock_types = {sel["resources.type"][0] for sel in selectors if sel.get("eventCategory") == ["Data"]}
    assert {"AWS::Bedrock::Model", "AWS::Bedrock::Guardrail", "AWS::Bedrock::AgentAlias", "AWS::Bedrock::KnowledgeBase"} <= bedrock_types

    bucket = next(_after(rc) for rc in _managed(archive, "aws_s3_bucket") if _after(rc).get("object_lock_enabled"))
    assert trail["s3_bucket_name"] == bucket["bucket"]
    lock = _one(archive, "aws_s3_bucket_object_lock_configuration")["rule"][0]["default_retention"][0]
    assert lock["mode"] == "GOVERNANCE" and lock["days"] == _variable(archive, "object_lock_retention_days")
    # the trail's key lives in the log-archive account
    assert trail["kms_key_id"].split(":")[4] == _variable(archive, "account_id")

    trail_arn = f"arn:aws:cloudtrail:us-east-1:{_variable(archive, 'management_account_id')}:trail/{trail['name']}"
    policies = [_after(rc)["policy"] for rc in _managed(archive, "aws_s3_bucket_policy")]
    logs_policy = next(p for p in policies if "CloudTrailWriteOrganizationTrail" in p)
    write = next(s for s in _statements(logs_policy) if s["Sid"] == "CloudTrailWriteOrganizationTrail")
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn
    assert f"arn:aws:s3:::{bucket['bucket']}/AWSLogs/{_variable(archive, 'organization_id')}/*" in write["Resource"]
    deny = next(s for s in _statements(logs_policy) if s["Sid"] == "DenyLogDeletionButBreakGlass")
    assert deny["Effect"] == "Deny" and "s3:BypassGovernanceRetention" in deny["Action"]


def test_log_archive_key_lets_cloudtrail_write_and_only_break_glass_destroy(plans):
    archive = plans["log-archive"]
    key = _one(archive, "aws_kms_key")
    assert key["enable_key_rotation"]
    statements = {s["Sid"]: s for s in _statements(key["policy"])}
    assert statements["CloudTrailEncryptLogs"]["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    deny = statements["DenyKeyDestructionButBreakGlass"]
    assert deny["Effect"] == "Deny" and "kms:ScheduleKeyDeletion" in deny["Action"]
    exempt = _as_list(deny["Condition"]["ArnNotLike"]["aws:PrincipalARN"])
    assert not any(fnmatch.fnmatchcase(admin, pattern) for pattern in exempt for admin in EVERYDAY_ADMINS)
    logging = _managed(archive, "aws_s3_bucket_logging")
    assert logging and all(_after(rc)["target_prefix"].startswith("s3-access/") for rc in logging)
    # the log bucket (modules/_shared/s3-bucket) logs to the access-log bucket's call, by reference
    calls = archive["configuration"]["root_module"]["module_calls"]["log_archive"]["module"]["module_calls"]
    assert "module.access_bucket.bucket_id" in calls["log_bucket"]["expressions"]["access_logging"]["references"]
    assert "aws_s3_bucket_logging.this" in {r["address"] for r in calls["log_bucket"]["module"]["resources"]}
    lifecycle = [_after(rc) for rc in _managed(archive, "aws_s3_bucket_lifecycle_configuration")]
    classes = {t["storage_class"] for lc in lifecycle for rule in lc["rule"] for t in rule["transition"]}
    assert {"GLACIER", "DEEP_ARCHIVE"} <= classes


# -- delegated administration -------------------------------------------------------------
def test_security_services_are_delegated_to_audit_in_every_approved_region(plans):
    org, audit = plans["organization"], plans["audit"]
    regions = _variable(org, "approved_regions")
    delegated = {_after(rc)["service_principal"] for rc in _managed(org, "aws_organizations_delegated_administrator")}
    assert {"config.amazonaws.com", "access-analyzer.amazonaws.com"} <= delegated
    assert len(_managed(org, "aws_guardduty_organization_admin_account")) == len(regions)
    assert len(_managed(org, "aws_securityhub_organization_admin_account")) == len(regions)
    assert _variable(audit, "approved_regions") == regions

    gd = [_after(rc) for rc in _managed(audit, "aws_guardduty_organization_configuration")]
    assert len(gd) == len(regions) and all(c["auto_enable_organization_members"] == "ALL" for c in gd)
    hub = [_after(rc) for rc in _managed(audit, "aws_securityhub_organization_configuration")]
    assert len(hub) == len(regions) and all(c["auto_enable"] and c["auto_enable_standards"] == "DEFAULT" for c in hub)
    analyzers = [_after(rc) for rc in _managed(audit, "aws_accessanalyzer_analyzer")]
    assert len(analyzers) == len(regions) and {a["type"] for a in analyzers} == {"ORGANIZATION"}
    aggregator = _one(audit, "aws_config_configuration_aggregator")
    assert aggregator["organization_aggregation_source"][0]["all_regions"] is True
    attachment = _one(audit, "aws_iam_role_policy_attachment")
    assert attachment["policy_arn"].endswith("service-role/AWSConfigRoleForOrganizations")


def test_workload_leaves_detective_controls_to_the_organization_and_assumes_the_deployer(plans):
    dev = plans["workload"]
    types = {rc["type"] for rc in dev["resource_changes"] if rc["mode"] == "managed"}
    assert not types & {"aws_guardduty_detector", "aws_securityhub_account", "aws_config_configuration_recorder",
                        "aws_accessanalyzer_analyzer", "aws_cloudtrail"}
    assert _variable(dev, "organization_security_services") is True
    assert _variable(dev, "assume_role_name") == "genai-lz-deployer"
    # the account baseline creates that role and Config recorders in every approved region
    org = plans["organization"]
    instances = [_after(rc) for rc in _managed(org, "aws_cloudformation_stack_set_instance")]
    assert {i["region"] for i in instances} == set(_variable(org, "approved_regions"))
    template = json.loads(next(_after(rc)["template_body"] for rc in _managed(org, "aws_cloudformation_stack_set")
                               if "DeployerRole" in _after(rc)["template_body"]))
    role = template["Resources"]["DeployerRole"]["Properties"]
    assert role["RoleName"] == "genai-lz-deployer"
    for policy in role["Policies"]:
        for statement in _as_list(policy["PolicyDocument"]["Statement"]):
            if statement["Effect"] == "Allow":
                assert not {"*", "*:*", "bedrock:*", "iam:*"} & set(_as_list(statement["Action"])), statement


# -- Identity Center ------------------------------------------------------------------------
def test_permission_sets_are_least_privilege(plans):
    org = plans["organization"]
    names = {_after(rc)["name"] for rc in _managed(org, "aws_ssoadmin_permission_set")}
    assert len(names) >= 5 and {"PlatformAdmin", "GenAIDeveloper", "DataScientist", "Auditor", "BillingViewer"} <= names
    for rc in _managed(org, "aws_ssoadmin_permission_set_inline_policy"):
        for statement in _statements(_after(rc)["inline_policy"]):
            if statement["Effect"] != "Allow":
                continue
            actions = set(_as_list(statement.get("Action", [])))
            assert "NotAction" not in statement, rc["address"]
            assert not actions & {"*", "*:*", "bedrock:*", "iam:*"}, (rc["address"], statement["Sid"])
    managed = {_after(rc)["managed_policy_arn"].rsplit("/", 1)[-1] for rc in _managed(org, "aws_ssoadmin_managed_policy_attachment")}
    assert not managed & {"AdministratorAccess", "PowerUserAccess"}
    developer = next(_statements(_after(rc)["inline_policy"]) for rc in _managed(org, "aws_ssoadmin_permission_set_inline_policy")
                     if "InvokeApprovedModels" in _after(rc)["inline_policy"] and "OpenStudio" not in _after(rc)["inline_policy"])
    deny = next(s for s in developer if s["Sid"] == "DenyModelAccessManagement")
    assert "bedrock:PutFoundationModelEntitlement" in deny["Action"]
    assignments = _managed(org, "aws_ssoadmin_account_assignment")
    assert assignments and all(_after(rc)["principal_type"] == "GROUP" for rc in assignments)


# -- Bedrock invocation logs: workload bucket -> log archive by S3 replication -------------------
def test_invocation_logs_replicate_into_the_archive_by_a_role_the_archive_admits(plans):
    dev, archive = plans["workload"], plans["log-archive"]
    target = _variable(dev, "log_archive")
    (locked,) = [_after(rc) for rc in _managed(archive, "aws_s3_bucket") if _after(rc).get("object_lock_enabled")]
    assert target["bucket_name"] == locked["bucket"] and target["account_id"] == _variable(archive, "account_id")

    (rule,) = _one(dev, "aws_s3_bucket_replication_configuration")["rule"]
    (destination,) = rule["destination"]
    assert rule["status"] == "Enabled" and rule["filter"][0]["prefix"] == "bedrock-invocation-logs/"
    assert rule["delete_marker_replication"] == [{"status": "Disabled"}]
    assert rule["source_selection_criteria"][0]["sse_kms_encrypted_objects"] == [{"status": "Enabled"}]
    assert destination["bucket"] == f"arn:aws:s3:::{locked['bucket']}" and destination["account"] == target["account_id"]
    assert destination["access_control_translation"] == [{"owner": "Destination"}]
    assert destination["encryption_configuration"] == [{"replica_kms_key_id": target["kms_key_arn"]}]
    (logging,) = _managed(dev, "aws_bedrock_model_invocation_logging_configuration")
    assert _after(logging)["logging_config"]["s3_config"]["key_prefix"] == "bedrock-invocation-logs"

    role = next(_after(rc)["name"] for rc in _managed(dev, "aws_iam_role") if _after(rc)["name"].endswith("-log-replication"))
    role_arn = f"arn:aws:iam::{_variable(dev, 'account_id')}:role/{role}"
    key_policy = {s["Sid"]: s for s in _statements(_one(archive, "aws_kms_key")["policy"])}
    key_grant = key_policy["InvocationLogReplicationFromTheOrganization"]
    assert key_grant["Action"] == "kms:Encrypt" and fnmatch.fnmatchcase(role_arn, key_grant["Condition"]["ArnLike"]["aws:PrincipalARN"])
    logs_policy = next(_after(rc)["policy"] for rc in _managed(archive, "aws_s3_bucket_policy")
                       if "BedrockInvocationLogReplication" in _after(rc)["policy"])
    statements = {s["Sid"]: s for s in _statements(logs_policy)}
    for sid in ("BedrockInvocationLogReplication", "BedrockInvocationLogReplicationVersioning"):
        condition = statements[sid]["Condition"]
        assert condition["StringEquals"]["aws:PrincipalOrgID"] == _variable(archive, "organization_id")
        assert fnmatch.fnmatchcase(role_arn, condition["ArnLike"]["aws:PrincipalARN"]), (sid, role_arn)
        assert not fnmatch.fnmatchcase(DEPLOYER, condition["ArnLike"]["aws:PrincipalARN"]), sid
    granted = {a for s in statements.values() if s["Effect"] == "Allow" for a in _as_list(s["Action"])}
    assert not {"s3:ReplicateDelete", "s3:DeleteObject", "s3:DeleteObjectVersion"} & granted
    assert "s3:ReplicateDelete" in statements["DenyLogDeletionButBreakGlass"]["Action"]
    assert statements["BedrockInvocationLogReplication"]["Resource"].endswith("/bedrock-invocation-logs/*")


# -- organization policies ----------------------------------------------------------------
def test_policy_types_of_every_policy_are_enabled_on_the_root(plans):
    org = plans["organization"]
    enabled = set(_one(org, "aws_organizations_organization")["enabled_policy_types"])
    used = {_after(rc)["type"] for rc in _managed(org, "aws_organizations_policy")}
    assert used == {"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY", "AISERVICES_OPT_OUT_POLICY"}
    assert used <= enabled


def _attachments(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(policy key, target key) of every policy attachment of the organization module."""
    pairs = []
    for rc in _managed(plan, "aws_organizations_policy_attachment"):
        index = rc.get("index")
        if isinstance(index, str):  # root["scp/approved-regions"]: one attachment resource per target
            pairs.append((index, rc["name"]))
        else:
            pairs.append((rc["name"], "root"))
    return pairs


def _target_expression(plan: dict[str, Any], resource_name: str) -> list[str]:
    module = plan["configuration"]["root_module"]["module_calls"]["organization"]["module"]
    resource = next(r for r in module["resources"] if r["address"] == f"aws_organizations_policy_attachment.{resource_name}")
    return resource["expressions"]["target_id"]["references"]


def test_ai_opt_out_policy_opts_out_of_everything_and_is_attached_to_the_root(plans):
    org = plans["organization"]
    (policy,) = _org_policies(org, "AISERVICES_OPT_OUT_POLICY").values()
    default = json.loads(policy["content"])["services"]["default"]["opt_out_policy"]
    assert default["@@assign"] == "optOut" and default["@@operators_allowed_for_child_policies"] == ["@@none"]
    assert ("ai_opt_out", "root") in _attachments(org)
    assert "aws_organizations_organization.this[0].roots[0].id" in _target_expression(org, "ai_opt_out")


def test_every_scp_and_rcp_attachment_names_its_target(plans):
    org = plans["organization"]
    ous = {"security", "infrastructure", "workloads", "sandbox"}
    for target in ous:
        assert f'aws_organizations_organizational_unit.top["{target}"].id' in _target_expression(org, target)
    assert "aws_organizations_organization.this[0].roots[0].id" in _target_expression(org, "root")


def test_rcp_is_a_deny_only_data_perimeter_on_supported_services(plans):
    org = plans["organization"]
    rcps = _org_policies(org, "RESOURCE_CONTROL_POLICY")
    assert rcps
    attached = {p for p, _ in _attachments(org) if p.startswith("rcp/")}
    assert {f"rcp/{name}" for name in rcps} <= attached
    for name, rcp in rcps.items():
        for statement in _statements(rcp["content"]):
            assert statement["Effect"] == "Deny" and statement["Principal"] == "*", (name, statement["Sid"])
            assert {a.split(":")[0] for a in _as_list(statement["Action"])} <= RCP_SERVICES, statement["Sid"]
    perimeter = {s["Sid"]: s for s in _statements(rcps["data-perimeter"]["content"])}
    identity = perimeter["EnforceOrgIdentities"]["Condition"]
    assert identity["StringNotEqualsIfExists"]["aws:PrincipalOrgID"] == "${aws:ResourceOrgID}"
    assert identity["BoolIfExists"] == {"aws:PrincipalIsAWSService": "false"}
    assert {"s3", "sts", "kms", "sqs", "secretsmanager"} <= {a.split(":")[0] for a in perimeter["EnforceOrgIdentities"]["Action"]}


def test_scps_and_rcps_fit_aws_limits(plans):
    org = plans["organization"]
    for type_ in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
        for name, policy in _org_policies(org, type_).items():
            minified = json.dumps(json.loads(policy["content"]), separators=(",", ":"))
            assert len(minified) <= SCP_MAX_CHARS, (name, len(minified))
    per_target: dict[tuple[str, str], int] = {}
    for policy, target in _attachments(org):
        kind = policy.split("/")[0]
        per_target[(kind, target)] = per_target.get((kind, target), 0) + 1
    # FullAWSAccess / RCPFullAWSAccess take one of the five places on every target
    assert per_target and all(n <= POLICIES_PER_TARGET - 1 for n in per_target.values()), per_target


def test_region_scp_exempts_global_services_and_allows_bedrock_only_through_profiles(plans):
    org = plans["organization"]
    statements = {s["Sid"]: s for s in _statements(_org_policies(org, "SERVICE_CONTROL_POLICY")["approved-regions"]["content"])}
    deny = statements["DenyUnapprovedRegions"]
    assert set(GLOBAL_SERVICES) <= set(deny["NotAction"])
    assert deny["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == _variable(org, "approved_regions")
    assert "bedrock:InvokeModel" in deny["NotAction"] and "bedrock:*" not in deny["NotAction"]
    bedrock = statements["DenyBedrockInferenceOutsideApprovedRegionsExceptProfiles"]
    assert set(bedrock["Action"]) == {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:CreateModelInvocationJob"}
    profiles = _as_list(bedrock["Condition"]["ArnNotLike"]["bedrock:InferenceProfileArn"])
    assert profiles == [f"arn:aws:bedrock:*:*:inference-profile/{g}.*" for g in _variable(org, "bedrock_inference_profile_geographies")]
    assert not any("/global." in p or p.endswith("/*") for p in profiles)


def test_protective_scps_exempt_only_break_glass(plans):
    org = plans["organization"]
    scps = _org_policies(org, "SERVICE_CONTROL_POLICY")
    protected_actions = set()
    for name, scp in scps.items():
        for statement in _statements(scp["content"]):
            exempt = _as_list(statement.get("Condition", {}).get("ArnNotLike", {}).get("aws:PrincipalARN", []))
            for admin in EVERYDAY_ADMINS:
                assert not any(fnmatch.fnmatchcase(admin, p) for p in exempt), (name, statement["Sid"], admin)
            if name.startswith("protect-"):
                protected_actions |= set(_as_list(statement["Action"]))
    assert {"cloudtrail:StopLogging", "guardduty:DeleteDetector", "guardduty:UpdateDetector", "config:StopConfigurationRecorder",
            "config:PutConfigurationRecorder", "securityhub:DisableSecurityHub", "bedrock:DeleteGuardrail",
            "bedrock:DeleteModelInvocationLoggingConfiguration", "s3:BypassGovernanceRetention",
            "kms:ScheduleKeyDeletion", "organizations:LeaveOrganization"} <= protected_actions


def test_tag_policy_is_enforced_with_allowed_values(plans):
    org = plans["organization"]
    (policy,) = _org_policies(org, "TAG_POLICY").values()
    tags = json.loads(policy["content"])["tags"]
    assert set(tags) == {"project", "environment", "owner", "cost-center"}
    assert tags["cost-center"]["tag_value"]["@@assign"] == ["cc-*"]
    assert all(t["enforced_for"]["@@assign"] for t in tags.values())
    assert all(re.fullmatch(r"[a-z0-9-]+:([a-z0-9-]+|ALL_SUPPORTED)", e) for t in tags.values() for e in t["enforced_for"]["@@assign"])


@pytest.mark.parametrize("root", ["organization", "log-archive", "audit"])
def test_multi_account_plans_pass_the_gate_without_unknowns(plans, root, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plans[root]))
    result = run_cli("check", path, "--output", tmp_path / "report.json")
    assert result.code == 0, result.err
    report = json.loads((tmp_path / "report.json").read_text())
    by_status = report["summary"]["by_status"]
    assert by_status["fail"] == 0 and by_status["pass"] > 5, by_status
    # every attachment names its root or OU directly (one attachment resource per target), so
    # LZ-SEC-031 counts the SCPs / RCPs per target from the plan: no unknown is left
    unknown = {(f["rule_id"], f["address"]) for f in report["findings"] if f["status"] == "unknown"}
    assert not unknown, unknown


# -- account vending ------------------------------------------------------------------------
def test_one_account_file_and_one_env_plan_a_new_account(tmp_path, monkeypatch):
    for part in ("terraform", "modules"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    monkeypatch.setenv("GENAI_LZ_ROOT", str(tmp_path))
    new_account(AccountRequest("research", "aws+research@example.com", "dev"), tmp_path)
    tfmod.write_cli_config()

    org = _plan("organization", "management")
    account = next(_after(rc) for rc in _managed(org, "aws_organizations_account") if rc["index"] == "research")
    assert account["email"] == "aws+research@example.com" and account["tags"]["environment"] == "dev"

    env = _plan("workload", "research")
    assert _variable(env, "account_id") == "000000000000" and _variable(env, "environment") == "dev"
    assert len([rc for rc in env["resource_changes"] if rc["mode"] == "managed"]) > 80
