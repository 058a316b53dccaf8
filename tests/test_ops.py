"""The operations layer without Terraform runs: workspace paths, envs per root, the
python-terraform seam (environment per call, streamed output), the operations table."""
from __future__ import annotations

import os
import sys
import warnings

import pytest

from checks.errors import LzError
from checks.ops import operations, workspace
from checks.ops.terraform import TerraformCli, flag
from checks.ops.workspace import Workspace, default_env, repo_root


def test_every_path_follows_the_root_env_name():
    ws = Workspace.of("workload", "prod", "offline")
    assert ws.name == "workload-prod"
    build = repo_root() / "build"
    assert ws.plan_file() == build / "workload-prod.tfplan"
    assert ws.plan_json(".drift") == build / "workload-prod.drift.plan.json"
    assert ws.report_dir == repo_root() / "reports" / "workload-prod"
    assert ws.data_dir == build / "tf-data" / "offline" / "workload-prod"
    assert ws.offline_state == build / "offline-state" / "workload-prod.tfstate"
    assert ws.work_dir == build / "offline-workload"
    assert Workspace.of("workload", "prod", "local").work_dir == repo_root() / "terraform" / "workload"


@pytest.mark.parametrize("root, env, target, expected", [
    ("workload", None, "aws", "dev"), ("workload", "prod", "aws", "prod"),
    ("organization", None, "local", "management"), ("organization", "management", "aws", "management"),
    ("bootstrap", None, "local", "local"), ("bootstrap", None, "offline", "aws"),
])
def test_which_env_belongs_to_which_root(root, env, target, expected):
    assert default_env(root, env, target) == expected


def test_a_root_with_one_env_refuses_another():
    with pytest.raises(LzError, match="organization root has one env here, management"):
        Workspace.of("organization", "dev", "aws")


def test_backend_and_state_key():
    org = Workspace.of("organization", None, "aws")
    assert org.backend_file == repo_root() / "terraform" / "backends" / "aws" / "organization.hcl"
    assert org.state_key == "organization/terraform.tfstate"
    dev = Workspace.of("workload", "dev", "local")
    assert dev.backend_file == repo_root() / "terraform" / "backends" / "local" / "dev.hcl"
    assert dev.state_key == "workload/dev/terraform.tfstate"
    assert Workspace.of("workload", "dev", "offline").backend_file is None


def test_command_line_in_python_terraform_syntax():
    argv = TerraformCli("terraform").argv("plan", no_color=flag(), input=False, var=["a=b", "c=d"], out="x.tfplan")
    assert argv == ["terraform", "plan", "-no-color", "-input=false", "-var=a=b", "-var=c=d", "-out=x.tfplan"]
    with pytest.raises(ValueError, match="map-valued"):
        TerraformCli("terraform").argv("plan", var={"a": "b"})


def test_environment_is_given_per_call_and_the_process_environment_is_untouched(tmp_path):
    before = dict(os.environ)
    code, out, err = TerraformCli.run([sys.executable, "-c", "import os; print(os.environ.get('LZ_PROBE'))"],
                                      env={"LZ_PROBE": "given", "PATH": os.environ.get("PATH", "")})
    assert (code, out.strip(), err) == (0, "given", "")
    assert dict(os.environ) == before and "LZ_PROBE" not in os.environ


def test_streamed_output_goes_to_the_log_as_written(tmp_path):
    log = tmp_path / "logs" / "apply.log"
    stdout = sys.stdout
    code, out, _ = TerraformCli.run([sys.executable, "-c", "import sys; print('to out'); print('to err', file=sys.stderr)"],
                                    env=dict(os.environ), log=log, stream=True)
    assert sys.stdout is stdout  # never swapped
    assert code == 0 and "to out" in out and "to err" in out and log.read_text() == out


def test_no_deprecation_warning_from_the_seam():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        code, _, _ = TerraformCli.run([sys.executable, "-c", "raise SystemExit(3)"], env=dict(os.environ))
        TerraformCli("terraform").argv("version", json=flag())
    assert code == 3


def test_operations_are_a_table_and_refusals_come_before_any_terraform_call(monkeypatch):
    assert {"init", "plan", "apply", "destroy", "output", "bootstrap", "setup", "check", "path", "drift",
            "unlock"} <= set(operations.OPERATIONS)
    with pytest.raises(LzError, match="unknown operation"):
        operations.run("nope", operations.Request())
    with pytest.raises(LzError, match="no lock ID"):
        operations.run("unlock", operations.Request(target="local"))


def test_check_without_a_plan_says_run_make_plan(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path)
    with pytest.raises(LzError, match="run `make plan ENV=dev` first"):
        operations.run("check", operations.Request(root="workload", env="dev"))


def test_path_prints_a_workspace_path(capsys):
    assert operations.run("path", operations.Request(root="organization", path="plan-json")) == 0
    assert capsys.readouterr().out.strip() == "build/organization-management.plan.json"


def test_boto3_is_optional_and_the_error_names_the_extra(monkeypatch):
    from checks.errors import ToolError
    from checks.optional import boto3_module

    monkeypatch.setitem(sys.modules, "boto3", None)  # as if it were not installed
    with pytest.raises(ToolError, match=r"pip install 'genai-landing-zone\[aws\]'"):
        boto3_module("to refresh prices")
    with pytest.raises(ToolError, match=r"genai-landing-zone\[emulator\]"):
        boto3_module("to seed the emulator", "emulator")


def test_the_check_pipeline_imports_no_aws_sdk():
    import subprocess

    code = ("import sys; from checks.api import run_check; from checks import cli; cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'moto')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
