"""The local emulator's lifecycle: start, reuse, stale record, stop by pid, seed, environment."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from checks.errors import ToolError
from checks.ops import emulator
from checks.ops.workspace import repo_root


@pytest.fixture()
def emu_dir(tmp_path, monkeypatch):
    """An isolated build/emulator for this test (never touches a running demo's emulator)."""
    monkeypatch.setattr(emulator, "state_dir", lambda: tmp_path / "emulator")
    yield tmp_path / "emulator"
    emulator.down()


def test_up_reuse_down(emu_dir):
    first, started = emulator.up()
    assert started and emulator.healthy(first)
    record = json.loads((emu_dir / "emulator.json").read_text())
    assert record == {"pid": first.pid, "port": first.port}
    again, started_again = emulator.up()
    assert again == first and not started_again
    assert emulator.down() == first
    assert not emulator._pid_alive(first.pid)
    assert emulator.status() is None
    assert not (emu_dir / "emulator.json").exists()
    assert emulator.down() is None  # nothing to stop is not an error


def test_stale_record_is_cleaned(emu_dir):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    emu_dir.mkdir(parents=True)
    (emu_dir / "emulator.json").write_text(json.dumps({"pid": dead.pid, "port": 9}))
    assert emulator.status() is None
    assert not (emu_dir / "emulator.json").exists()
    fresh, started = emulator.up()
    assert started and fresh.pid != dead.pid


def test_record_of_another_program_is_not_killed(emu_dir):
    """A pid reused by a program that is not moto is never signalled."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        emu_dir.mkdir(parents=True)
        (emu_dir / "emulator.json").write_text(json.dumps({"pid": other.pid, "port": 9}))
        assert emulator.down() is None
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_startup_failure_is_a_clear_error(emu_dir, monkeypatch):
    monkeypatch.setattr(emulator.sys, "executable", "/bin/false")
    with pytest.raises(ToolError, match="emulator exited at start-up"):
        emulator.up(timeout=5)
    assert not (emu_dir / "emulator.json").exists()


def test_seed_is_idempotent_and_assume_role_lands_in_member_account(emu_dir):
    running, _ = emulator.up()
    first = emulator.seed(running)
    assert first == emulator.seed(running)
    assert set(first) >= {"log-archive", "audit", "dev", "prod"}  # every member account a root assumes a role in
    for env, arn in first.items():
        assert arn == f"arn:aws:iam::{emulator.member_accounts()[env]}:role/OrganizationAccountAccessRole"


def test_killed_emulator_is_detected(emu_dir):
    running, _ = emulator.up()
    os.kill(running.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while emulator._pid_alive(running.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert emulator.status() is None


def test_emulator_environment_points_sdk_at_localhost_only():
    env = emulator.emulator_env(emulator.Emulator(pid=1, port=4566))
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"
    assert env["AWS_S3_USE_PATH_STYLE"] == "true"
    assert env["AWS_MAX_ATTEMPTS"] == "2"
    assert env["AWS_PROFILE"] is None and env["AWS_SESSION_TOKEN"] is None
    offline = emulator.offline_env()
    assert offline["AWS_ENDPOINT_URL"] is None and offline["AWS_EC2_METADATA_DISABLED"] == "true"


def test_every_unsupported_type_is_documented_in_readme():
    readme = (repo_root() / "README.md").read_text()
    missing = [t for t in emulator.UNSUPPORTED if f"`{t}`" not in readme and t not in readme]
    assert not missing, f"README emulator table lacks {missing}"
