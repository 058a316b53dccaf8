"""Issue 23 item 6 / issue 15: AWS managed policies attached by ARN are judged by their content.

tests/fixtures/tf/precision_managed_policies attaches AdministratorAccess (role attachment and
an Identity Center permission set), AmazonSageMakerFullAccess (a role's managed_policy_arns),
AmazonBedrockFullAccess (group), PowerUserAccess (aws_iam_policy_attachment) and
AmazonSageMakerReadOnly (user); a permission set's inline policy allows a global. inference
profile and a role policy a us. one. Before, LZ-SEC-010/011 judged none of them.
"""
from __future__ import annotations

import re

import yaml

from checks.rulekit import iam
from precision_helpers import check, load, messages, statuses

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def test_sec010_fails_admin_and_genai_full_access_attachments():
    result = check(load("precision_managed_policies"), ["LZ-SEC-010"])
    got = statuses(result, "LZ-SEC-010")
    assert got == {
        "aws_iam_role_policy_attachment.admin": "fail",               # AdministratorAccess
        "aws_iam_role.sagemaker": "fail",                             # managed_policy_arns: AmazonSageMakerFullAccess
        "aws_iam_group_policy_attachment.bedrock": "fail",            # AmazonBedrockFullAccess
        "aws_iam_policy_attachment.power": "fail",                    # PowerUserAccess
        "aws_ssoadmin_managed_policy_attachment.admins": "fail",      # permission set: AdministratorAccess
        "aws_iam_user_policy_attachment.readonly": "pass",            # AmazonSageMakerReadOnly
        "aws_ssoadmin_permission_set_inline_policy.builders": "pass",
        "aws_iam_role_policy.geo": "pass",
    }
    said = messages(result, "LZ-SEC-010")
    assert said["aws_iam_role.sagemaker"].startswith("AmazonSageMakerFullAccess (AWS managed policy, content as of ")
    assert "sagemaker:*" in said["aws_iam_role.sagemaker"]


def test_sec011_fails_managed_full_access_and_global_profiles():
    result = check(load("precision_managed_policies"), ["LZ-SEC-011"])
    got = statuses(result, "LZ-SEC-011")
    for address in ("aws_iam_role_policy_attachment.admin", "aws_iam_group_policy_attachment.bedrock",
                    "aws_ssoadmin_managed_policy_attachment.admins", "aws_iam_policy_attachment.power"):
        assert got[address] == "fail", address
    assert got["aws_ssoadmin_permission_set_inline_policy.builders"] == "fail"
    assert "global." in messages(result, "LZ-SEC-011")["aws_ssoadmin_permission_set_inline_policy.builders"]
    assert got["aws_iam_role_policy.geo"] == "pass"  # us. profile of an approved model
    assert "aws_iam_user_policy_attachment.readonly" not in got  # grants no InvokeModel


def test_global_profiles_pass_when_params_allow_them():
    result = check(load("precision_managed_policies"), ["LZ-SEC-011"], params={"allow_global_inference_profiles": True})
    assert statuses(result, "LZ-SEC-011")["aws_ssoadmin_permission_set_inline_policy.builders"] == "pass"


def test_managed_policy_data_is_dated_and_lists_the_admin_and_genai_policies():
    data = iam.managed_policies()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data.checked)
    for name in ("AdministratorAccess", "PowerUserAccess", "AmazonBedrockFullAccess", "AmazonSageMakerFullAccess"):
        assert data.lookup(f"arn:aws:iam::aws:policy/{name}") is not None, name
    assert data.lookup("arn:aws-us-gov:iam::aws:policy/AdministratorAccess") is not None  # any partition
    assert data.lookup("arn:aws:iam::111122223333:policy/AdministratorAccess") is None     # customer managed
    assert data.lookup("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy") is None        # not judged


def _hcl_list(text: str, name: str) -> list[str]:
    block = re.search(rf"^{name}\s*=\s*\[(.*?)\]", text, re.S | re.M)
    assert block, f"{name} not found"
    return re.findall(r'"([^"]+)"', block.group(1))


def test_scp_model_list_and_params_agree():
    """One source of truth: the organization root's SCP allows exactly params approved_model_ids,
    and every workload env allows a subset of them."""
    params = yaml.safe_load((REPO_ROOT / "policies" / "params.yaml").read_text())
    org = (REPO_ROOT / "terraform" / "organization" / "envs" / "management.tfvars").read_text()
    assert sorted(_hcl_list(org, "approved_model_ids")) == sorted(params["approved_model_ids"])
    for env in ("dev", "prod"):
        workload = (REPO_ROOT / "terraform" / "workload" / "envs" / f"{env}.tfvars").read_text()
        assert set(_hcl_list(workload, "allowed_model_ids")) <= set(params["approved_model_ids"]), env
        # a model invoked through a cross-Region inference profile must be approved too, or the
        # organization SCP denies it in the account (the plan of the workload alone cannot tell)
        profiles = re.findall(r'id\s*=\s*"([a-z-]+)\.([^"]+)"', workload.split("allowed_inference_profiles", 1)[-1].split("]", 1)[0])
        for geography, model in profiles:
            assert model in params["approved_model_ids"], (env, geography, model)
            assert geography in params["inference_profile_geographies"], (env, geography, model)


def test_scp_inference_profile_geographies_and_params_agree():
    """The SCPs allow the profiles of the organization's bedrock_inference_profile_geographies
    (module default and the management tfvars), which are params inference_profile_geographies;
    global. is never in them, so params must not allow world-wide routing either."""
    params = yaml.safe_load((REPO_ROOT / "policies" / "params.yaml").read_text())
    variables = (REPO_ROOT / "modules" / "organization" / "variables.tf").read_text()
    block = variables.split('variable "bedrock_inference_profile_geographies"', 1)[1]
    module_default = re.findall(r'"([a-z-]+)"', re.search(r"default\s*=\s*\[(.*?)\]", block, re.S).group(1))
    org = (REPO_ROOT / "terraform" / "organization" / "envs" / "management.tfvars").read_text()
    for geos in (module_default, _hcl_list(org, "bedrock_inference_profile_geographies")):
        assert sorted(geos) == sorted(params["inference_profile_geographies"])
    assert "global" not in params["inference_profile_geographies"]
    assert params["allow_global_inference_profiles"] is False


def test_sec011_fails_a_geography_params_do_not_list():
    result = check(load("precision_managed_policies"), ["LZ-SEC-011"], params={"inference_profile_geographies": ["eu"]})
    assert statuses(result, "LZ-SEC-011")["aws_iam_role_policy.geo"] == "fail"  # us. profile


def test_role_policy_documents_follow_aws_managed_policies_by_arn():
    """One place for "the policies a role has": role_policy_documents builds on identity_policies,
    so a role's AWS managed policies (attached by ARN or in managed_policy_arns) are its documents too."""
    plan = load("precision_managed_policies")
    by_role = {role.address: iam.role_policy_documents(role) for role in plan.of_type("aws_iam_role")}
    admin = [doc.managed or "" for doc in by_role["aws_iam_role.admin"]]
    assert any(name.startswith("AdministratorAccess (AWS managed policy") for name in admin), admin
    sagemaker = [doc.managed or "" for doc in by_role["aws_iam_role.sagemaker"]]
    assert any(name.startswith("service-role/AmazonSageMakerFullAccess") or name.startswith("AmazonSageMakerFullAccess")
               for name in sagemaker), sagemaker
    inline = [doc for doc in by_role["aws_iam_role.sagemaker"] if doc.managed is None]
    assert all(doc.known for doc in inline)  # the role policy on it (geo) is read from the plan
