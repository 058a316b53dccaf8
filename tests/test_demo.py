"""End to end against the local emulator: bootstrap the state bucket, init the workload
root on its S3 backend, plan dev, write the plan JSON and check it with `genai-lz check`.

Isolated from a running `make demo`: its own emulator, build dir and bootstrap state."""
from __future__ import annotations

import json

import pytest

from checks.api import CheckOptions, run_check
from checks.ops import emulator, workspace
from checks.ops.operations import apply_bootstrap
from checks.ops.terraform import TerraformRunner, resource_count, write_cli_config
from checks.ops.workspace import Workspace, repo_root
from test_landing_zone_gate import _landing_zone_plan


def _addresses(plan: dict) -> set[str]:
    found: set[str] = set()

    def walk(module: dict) -> None:
        found.update(r["address"] for r in module.get("resources", []))
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan.get("planned_values", {}).get("root_module", {}))
    return found



@pytest.fixture()
def isolated(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path / "build")
    monkeypatch.setattr(emulator, "state_dir", lambda: tmp_path / "build" / "emulator")
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(tmp_path / "build" / "terraform.rc"))
    write_cli_config()
    running, started = emulator.up()
    assert started
    try:
        emulator.seed(running)
        yield tmp_path, running
    finally:
        emulator.down()
    assert not emulator._pid_alive(running.pid)


def test_plan_and_check_workload_dev_on_the_emulator(isolated):
    tmp_path, running = isolated
    env = emulator.emulator_env(running)

    outputs = apply_bootstrap(TerraformRunner(Workspace("bootstrap", "local", "local"), env))
    assert outputs["bucket_name"] == "genai-lz-tfstate-123456789012-us-east-1"
    assert (tmp_path / "build" / "bootstrap" / "local" / "terraform.tfstate").is_file()

    tf = TerraformRunner(Workspace("workload", "dev", "local"), env)
    tf.init()
    plan_file, plan_json = tf.ws.plan_file(), tf.ws.plan_json()
    tf.plan(plan_file)
    data = tf.write_plan_json(plan_file, plan_json)
    assert resource_count(data) > 80
    text = plan_json.read_text()
    assert running.endpoint not in text and "127.0.0.1" not in text  # the emulator never lands in a plan

    # The S3 backend reached the bucket: init wrote no local state, the plan took (and released) its lock.
    assert not (repo_root() / "terraform" / "workload" / "terraform.tfstate").exists()
    assert not any(k.endswith(".tflock") for k in emulator.list_state_objects(running, outputs["bucket_name"]))

    reports = tmp_path / "reports"
    run = run_check(plan_json, CheckOptions(formats=("json", "markdown"), output=reports))
    # the landing zone's own dev plan passes its gate, on the emulator as offline
    assert run.exit_code == 0, [f.address for f in run.result.findings if f.status.value in ("fail", "unknown")]
    report = json.loads((reports / "report.json").read_text())
    assert report["verdict"]["blocking"] == 0 and report["rule_errors"] == []
    # nothing fails below the gate either: dev's accelerator node groups scale to zero through the
    # cluster autoscaler's Pod Identity role (LZ-SUS-002 passes)
    fails = {(f["rule_id"], f["severity"]) for f in report["findings"] if f["status"] == "fail"}
    assert fails == set(), fails
    # the emulator plan plans every resource the offline plan of the same root and env plans
    offline = _landing_zone_plan("workload", "dev")
    assert resource_count(data) == resource_count(offline) == len(run.result.plan)
    assert {f["address"] for f in report["findings"]} <= _addresses(data) | {"(root module)"}
    markdown = (reports / "report.md").read_text()
    assert "gate passed" in markdown.lower(), markdown[:500]
