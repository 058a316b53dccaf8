"""The roots plan offline, enforce the required tags, keep the emulator out of plans, and
the saved-plan workflow refuses what it must refuse."""
from __future__ import annotations

import json
import re

import pytest

from checks.ops import workspace
from checks.cli import main
from checks.ops.emulator import offline_env
from checks.errors import LzError, ToolError
from checks.ops.terraform import TerraformRunner, first_error, resource_count, write_cli_config
from checks.ops.workspace import Workspace, repo_root

REPO = repo_root()


@pytest.fixture(scope="module")
def offline_plans(tmp_path_factory):
    """Offline plans of the organization and both workload envs (no AWS, no emulator)."""
    write_cli_config()
    out = tmp_path_factory.mktemp("plans")
    plans = {}
    for root, env in (("organization", "management"), ("workload", "dev"), ("workload", "prod")):
        tf = TerraformRunner(Workspace(root, env, "offline"), offline_env())
        tf.init()
        plan = out / f"{root}-{env}.tfplan"
        tf.plan(plan)
        plans[(root, env)] = tf.show_json(plan)
    return plans


def _types(plan: dict) -> set[str]:
    return {rc["type"] for rc in plan["resource_changes"] if rc["mode"] == "managed"}


def test_offline_plans_hold_the_whole_landing_zone(offline_plans):
    dev, prod = offline_plans[("workload", "dev")], offline_plans[("workload", "prod")]
    for plan in (dev, prod):
        types = _types(plan)
        # the resources the emulator cannot create are still planned (and checked)
        assert {"aws_bedrock_guardrail", "aws_sagemaker_domain", "aws_budgets_budget",
                "aws_eks_cluster", "aws_vpc_endpoint"} <= types
        # detective controls run at organization level (organization trail, audit account auto-enable)
        assert not {"aws_securityhub_account", "aws_guardduty_detector", "aws_cloudtrail"} & types
        assert resource_count(plan) > 80
    assert "aws_budgets_budget_action" in _types(dev)
    assert "aws_budgets_budget_action" not in _types(prod)  # prod is only notified
    org = offline_plans[("organization", "management")]
    assert {"aws_organizations_organization", "aws_organizations_policy", "aws_budgets_budget"} <= _types(org)


def test_plans_carry_the_required_tags_and_nothing_of_the_emulator(offline_plans):
    for (root, env), plan in offline_plans.items():
        text = json.dumps(plan)
        assert "127.0.0.1" not in text and "localhost" not in text and "http://" not in text
        tagged = [rc for rc in plan["resource_changes"] if "tags_all" in (rc["change"]["after"] or {})]
        assert tagged
        for rc in tagged:
            tags = rc["change"]["after"]["tags_all"] or {}
            if rc["change"]["after_unknown"].get("tags_all") is True:
                continue
            assert {"project", "environment", "owner", "cost-center"} <= set(tags), rc["address"]


@pytest.mark.parametrize("tags, message", [
    ('{project="p",environment="dev",owner="o"}', "cost-center"),
    ('{project="p",environment="prod",owner="o","cost-center"="c"}', "tags.environment must equal"),
])
def test_required_tags_are_enforced(tags, message, tmp_path):
    tf = TerraformRunner(Workspace("workload", "dev", "offline"), offline_env())
    tf.init()
    with pytest.raises(ToolError) as err:
        tf.plan(tmp_path / "bad.tfplan", {"tags": tags})
    log = (REPO / "build" / "logs" / "offline-workload-dev-plan.log").read_text()
    assert message in log
    assert "Invalid value for variable" in str(err.value)


def test_every_root_but_bootstrap_uses_a_partial_s3_backend():
    for root in ("organization", "workload"):
        text = (REPO / "terraform" / root / "versions.tf").read_text()
        assert re.search(r'backend\s+"s3"\s*\{\s*\}', text), root
    assert re.search(r'backend\s+"local"\s*\{\s*\}', (REPO / "terraform/bootstrap/versions.tf").read_text())


@pytest.mark.parametrize("target", ["local", "aws"])
def test_backend_files_lock_encrypt_and_key(target):
    keys = {"organization": "organization/terraform.tfstate",
            "dev": "workload/dev/terraform.tfstate", "prod": "workload/prod/terraform.tfstate"}
    for name, key in keys.items():
        text = (REPO / "terraform" / "backends" / target / f"{name}.hcl").read_text()
        assert f'key          = "{key}"' in text
        assert "use_lockfile = true" in text and "encrypt      = true" in text
        assert "dynamodb" not in text


def test_apply_refuses_without_a_saved_plan(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(tmp_path / "terraform.rc"))  # restored afterwards
    assert main(["tf", "apply", "--env", "dev", "--target", "aws"]) == 2
    err = capsys.readouterr().err
    assert "no saved plan" in err and "workload-dev.tfplan" in err
    assert main(["tf", "apply", "--env", "dev", "--target", "offline"]) == 2
    assert "run `make plan ENV=dev TARGET=offline`" in capsys.readouterr().err


def test_unknown_env_is_an_input_error():
    with pytest.raises(LzError, match="unknown env 'qa'"):
        Workspace("workload", "qa", "offline")


def test_terraform_error_message_is_terraforms_own():
    text = """
Error: Invalid value for variable

  on main.tf line 27, in module "x":
  27:   a = var.a
    ├────────────────
    │ var.a is 90

a must be at least 365.
"""
    assert first_error(text) == "Invalid value for variable: a must be at least 365."
