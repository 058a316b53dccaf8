"""The local emulator path outside `make demo`: TARGET=local leaves out what the emulator
does not implement and says so, a command that waits on it forever is stopped with an
error, a fresh emulator asks for `make bootstrap`, and no bootstrap state outlives the
emulator it describes."""
from __future__ import annotations

import subprocess
import sys

import pytest

from checks.errors import LzError, ToolError
from checks.ops import emulator, operations, terraform, workspace
from checks.ops.operations import Context, Request
from checks.ops.terraform import CommandTimeout, TerraformCli, TerraformRunner, local_timeout
from checks.ops.workspace import Workspace, repo_root
from tests.test_ux_plan_review import FakeTf


@pytest.fixture()
def build(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path / "build")
    monkeypatch.setattr(emulator, "state_dir", lambda: tmp_path / "build" / "emulator")
    (tmp_path / "build").mkdir()
    return tmp_path / "build"


def test_a_local_plan_leaves_out_what_the_emulator_lacks_and_says_so(build):
    said: list[str] = []
    request = Request(env="dev", target="local", say=said.append)
    ws = Workspace.of("workload", "dev", "local")
    fake = FakeTf(ws)
    assert operations.OPERATIONS["plan"].run(Context(request, ws, fake)) == 0  # type: ignore[arg-type]
    assert ("plan", {"local_emulator": "true"}) in fake.calls
    assert any(line.startswith("TARGET=local: local_emulator = true leaves out") and "UNSUPPORTED" in line
               for line in said), said


def test_offline_and_aws_plans_keep_everything(build):
    for target in ("offline", "aws"):
        ws = Workspace.of("workload", "dev", target)
        fake = FakeTf(ws)
        operations.OPERATIONS["plan"].run(Context(Request(env="dev", target=target, say=lambda _: None), ws, fake))  # type: ignore[arg-type]
        assert ("plan", {}) in fake.calls


def test_a_streamed_command_that_hangs_is_interrupted_after_its_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(terraform, "INTERRUPT_GRACE", 5.0)
    script = ("import signal, sys, time\n"
              "signal.signal(signal.SIGINT, lambda *a: (print('interrupted, state saved', flush=True), sys.exit(1)))\n"
              "print('aws_budgets_budget.this: Still creating... [10s elapsed]', flush=True)\n"
              "time.sleep(60)\n")
    with pytest.raises(CommandTimeout) as raised:
        TerraformCli.run([sys.executable, "-c", script], env={"PATH": "/usr/bin:/bin"}, log=tmp_path / "apply.log",
                         stream=True, timeout=1.0)
    assert "interrupted, state saved" in raised.value.output  # SIGINT first: Terraform saves its state


def test_the_timeout_error_names_the_resource_it_waited_for_and_the_knob(build, monkeypatch):
    runner = TerraformRunner(Workspace("workload", "dev", "local"), {})

    def hang(*args, **kwargs):
        assert kwargs["timeout"] == 300.0
        raise CommandTimeout("module.budgets.aws_budgets_budget.this: Still creating... [4m50s elapsed]\n")

    monkeypatch.setattr(runner.cli, "run", hang)
    monkeypatch.setattr(terraform, "_sync_offline_copy", lambda ws: None)
    with pytest.raises(ToolError, match=r"did not finish within 300s.*module\.budgets\.aws_budgets_budget\.this.*"
                                        r"UNSUPPORTED.*LOCAL_TIMEOUT"):
        runner.run("apply", "x.tfplan")


def test_local_timeout_is_seconds(monkeypatch):
    monkeypatch.setenv("LOCAL_TIMEOUT", "45")
    assert local_timeout() == 45.0
    monkeypatch.setenv("LOCAL_TIMEOUT", "5m")
    with pytest.raises(LzError, match="LOCAL_TIMEOUT"):
        local_timeout()


def test_stopping_the_emulator_forgets_its_bootstrap_state(build):
    state = Workspace("bootstrap", "local", "local").bootstrap_state
    state.parent.mkdir(parents=True)
    state.write_text("{}")
    aws_state = build / "bootstrap" / "aws" / "terraform.tfstate"
    aws_state.parent.mkdir(parents=True)
    aws_state.write_text("{}")
    emulator.down()
    assert not state.parent.exists()
    assert aws_state.exists()  # only the emulator's own bootstrap state


def test_make_clean_removes_the_local_bootstrap_state():
    dry = subprocess.run(["make", "-n", "clean"], cwd=repo_root(), capture_output=True, text=True, check=True).stdout
    assert "emulator down" in dry and "build/bootstrap/local" in dry


def test_right_after_emulator_up_a_local_plan_names_make_bootstrap(build):
    running, started = emulator.up()
    try:
        assert started
        with pytest.raises(LzError, match=r"state bucket .* does not exist in the emulator.*run `make bootstrap` first"):
            operations.run("plan", Request(env="dev", target="local", say=lambda _: None))
    finally:
        emulator.down()
    assert not emulator._pid_alive(running.pid)
