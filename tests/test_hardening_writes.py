"""Reports are written all or nothing, never leave a temp file, and never replace a special
file (issue 17, class 8)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from conftest import REPO, run_cli
from hardening_plans import PASSING_RULE, change, plan, rule_pack, write

FORMATS = ["--format", "json", "--format", "markdown", "--format", "html", "--format", "sarif", "--format", "junit"]


@pytest.fixture
def args(tmp_path):
    path = write(tmp_path, plan([change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b"})]))
    return [str(path), *rule_pack(tmp_path / "pack", PASSING_RULE)]


def _temps(directory):
    return [p.name for p in directory.rglob("*") if p.name.endswith(".tmp")]


def test_dash_writes_to_stdout(args):
    result = run_cli("check", *args, "--output", "-")
    assert result.code == 0
    assert json.loads(result.out)["verdict"]["passed"] is True


def test_fifo_target_is_refused_not_replaced(tmp_path, args):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    result = run_cli("check", *args, "--output", fifo)
    assert result.code == 2
    assert "not a regular file" in result.err
    assert fifo.is_fifo()


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_device_target_is_refused(tmp_path, args):
    """A link to a device, as /dev/stdout is (a link, so that a regression replaces the link
    in tmp_path, never the device itself)."""
    link = tmp_path / "stdout"
    link.symlink_to("/dev/null")
    result = run_cli("check", *args, "--output", link)
    assert result.code == 2 and "--output -" in result.err
    assert link.is_symlink()


def test_a_format_target_that_is_a_directory_replaces_nothing(tmp_path, args):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("old json")
    (out / "report.xml").mkdir()  # the junit target is a directory
    result = run_cli("check", *args, *FORMATS, "--output", out)
    assert result.code == 2, result.err
    assert "is a directory" in result.err
    assert (out / "report.json").read_text() == "old json"
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.xml"]


def _run_script(tmp_path, body: str, *argv: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script, *argv], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_efbig_leaves_no_temp_and_no_mixed_set(tmp_path, args):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.json", "report.md", "report.html", "report.sarif", "report.xml"):
        (out / name).write_text("old")
    done = _run_script(tmp_path, """
        import resource, signal, sys
        from checks.cli import main
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, resource.RLIM_INFINITY))  # the HTML report is larger
        sys.exit(main(sys.argv[1:]))
    """, "check", *args, *FORMATS, "--output", str(out))
    assert done.returncode == 2, done.stderr
    assert "cannot write the report" in done.stderr and "Traceback" not in done.stderr
    assert _temps(tmp_path) == []
    assert all(p.read_text() == "old" for p in out.iterdir())


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_a_killed_run_leaves_no_temp(tmp_path, args, signame):
    out = tmp_path / "out"
    done = _run_script(tmp_path, f"""
        import os, signal, sys
        import checks.files as files
        from checks.cli import main
        original = files.temp_beside
        calls = []
        def temp_beside(*args):
            path = original(*args)
            calls.append(path)
            if len(calls) == 3:  # killed while the third format is written
                os.kill(os.getpid(), signal.{signame})
            return path
        files.temp_beside = temp_beside
        sys.exit(main(sys.argv[1:]))
    """, "check", *args, *FORMATS, "--output", str(out))
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr
    assert _temps(tmp_path) == []
    assert not out.exists() or list(out.iterdir()) == []


def test_other_commands_write_dash_to_stdout_and_refuse_special_targets(tmp_path, monkeypatch):
    # rules / coverage / diff / cost share commands.write_output: the same rules as the reports
    monkeypatch.chdir(tmp_path)
    run = run_cli("rules", "--format", "json", "--output", "-")
    assert run.code == 0, run.err
    assert json.loads(run.out) and not (tmp_path / "-").exists()
    target = tmp_path / "folder"
    target.mkdir()
    run = run_cli("rules", "--format", "json", "--output", target)
    assert run.code == 2 and "is a directory" in run.err
    device = tmp_path / "device"
    device.symlink_to(os.devnull)
    run = run_cli("rules", "--format", "json", "--output", device)
    assert run.code == 2 and "not a regular file" in run.err
    assert device.is_symlink() and os.path.realpath(device) == os.devnull
