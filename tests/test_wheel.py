"""The wheel carries its rule pack: build it, install it into a fresh virtualenv outside the
repository, and run the gate from a temporary directory with the same results as here.

What it costs (about 30-60 s, most of it pip): the wheel is built from a copy of checks/,
policies/, pyproject.toml and README.md (so no stale build/ or egg-info of the checkout can
leak into it; pip's build isolation fetches setuptools from the index), the virtualenv is
made without pip and filled by this interpreter's pip (`pip --python`): the wheel with
--no-deps, then exactly the pinned runtime dependencies of pyproject.toml. No extra is
installed: checkov is not, and `--version` says so.

Marked `wheel` (pytest -m "not wheel" leaves it out); `make test` runs it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

from conftest import POLICIES, REPO, run_cli

pytestmark = pytest.mark.wheel

DEV_PLAN = REPO / "build" / "workload-dev.plan.json"
FORMATS = ("json", "markdown", "html", "sarif", "junit")
REPORTS = ("report.json", "report.md", "report.html", "report.sarif", "report.xml")
BUILTIN = "checks/_builtin/"


def shipped_policy_files() -> set[str]:
    """What of policies/ the wheel must carry: everything but the HCL sources the rule
    fixtures are made from (fixtures/), pillar-level tools (security/build_fixtures.py)
    and bytecode."""
    wanted = set()
    for path in POLICIES.rglob("*"):
        rel = path.relative_to(POLICIES)
        if not path.is_file() or "__pycache__" in rel.parts or path.suffix == ".pyc":
            continue
        if "fixtures" in rel.parts or (len(rel.parts) == 2 and path.suffix == ".py"):
            continue
        wanted.add(rel.as_posix())
    return wanted


def _copy_source(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in ("checks", "policies"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    return target


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", *args], check=True)


@pytest.fixture(scope="module")
def dev_plan() -> Path:
    if not DEV_PLAN.is_file():  # `make test` makes it first (lz-plans); alone, make it here
        result = run_cli("tf", "plan", "--root", "workload", "--env", "dev", "--target", "offline")
        assert result.code == 0, result.err
    return DEV_PLAN


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """The wheel and a fresh virtualenv outside the repository with it installed."""
    base = tmp_path_factory.mktemp("wheel")
    assert REPO not in base.parents
    source = _copy_source(base / "src")
    dist = base / "dist"
    _pip("wheel", "--no-deps", "--wheel-dir", str(dist), str(source))
    wheels = sorted(dist.glob("genai_landing_zone-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pins = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    _pip("--python", str(python), "install", "--no-deps", str(wheels[0]))
    _pip("--python", str(python), "install", *pins)
    work = base / "work"  # where the commands run: no checkout, no genai-lz.yaml
    work.mkdir()
    return {"wheel": wheels[0], "venv": venv, "bin": venv / "bin", "work": work}


def _env(bin_dir: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GENAI_LZ_ROOT", "PYTHONHOME")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and not p.startswith(str(REPO))]
    env["PATH"] = os.pathsep.join(([str(bin_dir)] if bin_dir else []) + path)
    return env


def run_installed(installed: dict[str, Path], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(installed["bin"] / "genai-lz"), *argv], cwd=installed["work"],
                          env=_env(installed["bin"]), capture_output=True, text=True, timeout=300)


def run_in_repo(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    """The same command through the checkout's editable install (this interpreter)."""
    return subprocess.run([sys.executable, "-m", "checks.cli", *argv], cwd=cwd, env=_env(None),
                          capture_output=True, text=True, timeout=300)


def builtin_of(installed: dict[str, Path]) -> Path:
    out = subprocess.run([str(installed["bin"] / "python"), "-c",
                          "import checks, checks.resources as r; print(checks.__file__); print(r.builtin_policies())"],
                         cwd=installed["work"], env=_env(installed["bin"]), capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert Path(out[0]).is_relative_to(installed["venv"]), f"checks imported from {out[0]}, not the virtualenv"
    return Path(out[1])


def normalise(text: str, installed: dict[str, Path]) -> str:
    """Reports name the data files they read: the built-in pack's path differs by install (in
    Markdown it is escaped: `checks/\\_builtin`)."""
    for path in (str(builtin_of(installed)), str(POLICIES.resolve())):
        text = text.replace(path, "<builtin>").replace(path.replace("_", "\\_"), "<builtin>")
    return text


# --------------------------------------------------------------------------------------


def test_wheel_carries_the_rule_pack_and_nothing_else_of_the_checkout(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = wheel.namelist()
    pack = {n[len(BUILTIN):] for n in names if n.startswith(BUILTIN)}
    assert pack == shipped_policy_files(), (
        "the wheel's rule pack differs from policies/: add the new kind of file to "
        "[tool.setuptools.package-data] 'checks._builtin' in pyproject.toml")
    rules = {n for n in pack if n.endswith("/rule.py")}
    assert len(rules) == len(list(POLICIES.glob("*/*/rule.py")))
    distribution, version = installed["wheel"].name.split("-")[:2]
    assert {n.split("/", 1)[0] for n in names} == {"checks", f"{distribution}-{version}.dist-info"}
    assert not [n for n in names if "/fixtures/" in n or n.endswith(".pyc") or "__pycache__" in n]


def test_installed_package_runs_from_the_virtualenv_not_the_checkout(installed):
    builtin = builtin_of(installed)
    assert builtin.is_relative_to(installed["venv"]) and (builtin / "VERSION").is_file()
    check = subprocess.run([str(installed["bin"] / "python"), "-m", "pip", "--version"], capture_output=True,
                           cwd=installed["work"], env=_env(installed["bin"]))
    assert check.returncode != 0  # a fresh virtualenv without pip: nothing came from elsewhere
    version = run_installed(installed, "--version")
    pack = (POLICIES / "VERSION").read_text(encoding="utf-8").strip()
    assert version.returncode == 0, version.stderr
    assert f"rule pack {pack} ({builtin})" in version.stdout
    assert "checkov not installed (pip install 'genai-landing-zone[checkov]')" in version.stdout


def test_rules_and_explain_same_as_in_repo(installed):
    here = run_in_repo(installed["work"], "rules", "--format", "json")
    there = run_installed(installed, "rules", "--format", "json")
    assert there.returncode == here.returncode == 0, there.stderr
    rules = json.loads(there.stdout)
    assert len(rules) == len(list(POLICIES.glob("*/*/rule.py"))) > 0
    assert normalise(there.stdout, installed) == normalise(here.stdout, installed)
    for argv in (("rules",), ("explain", "LZ-SEC-001")):
        here, there = run_in_repo(installed["work"], *argv), run_installed(installed, *argv)
        assert there.returncode == here.returncode == 0, there.stderr
        assert normalise(there.stdout, installed) == normalise(here.stdout, installed)
    assert "LZ-SEC-001" in there.stdout


def test_check_on_the_dev_plan_all_five_formats_same_as_in_repo(installed, dev_plan, tmp_path):
    """The gate's exit code, its summary line and every report byte for byte (the built-in
    pack's path aside) match the run from the checkout."""
    shutil.copy2(dev_plan, installed["work"] / "plan.json")
    shutil.copy2(dev_plan, tmp_path / "plan.json")
    argv = ["check", "plan.json", *[x for f in FORMATS for x in ("--format", f)], "--output", "reports",
            "--tf-root", str(REPO / "terraform" / "workload"), "--today", "2026-06-01"]
    there = run_installed(installed, *argv)
    here = run_in_repo(tmp_path, *argv)
    assert there.returncode == here.returncode and there.returncode in (0, 1), there.stderr
    assert normalise(there.stderr, installed) == normalise(here.stderr, installed)
    for name in REPORTS:
        mine = installed["work"] / "reports" / name
        assert mine.is_file() and mine.stat().st_size > 0, name
        theirs = tmp_path / "reports" / name
        assert normalise(mine.read_text(encoding="utf-8"), installed) == \
            normalise(theirs.read_text(encoding="utf-8"), installed), name
    report = json.loads((installed["work"] / "reports" / "report.json").read_text(encoding="utf-8"))
    assert report["evidence"]["policy"]["rules"] == len(list(POLICIES.glob("*/*/rule.py")))
    assert report["findings"], "no findings at all: the pack did not run"
