"""Packaging without building: where the built-in pack is found, the package list,
`genai-lz --version`, and genai-lz.yaml (the organisation's data in the working directory).

The wheel itself is built, installed outside the repository and run in tests/test_wheel.py.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import tomllib
from setuptools import find_packages

from checks.cli import apply_project_config, version_text
from checks.resources import builtin_policies
from conftest import POLICIES, REPO, run_cli

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_builtin_pack_is_the_repositorys_policies_in_an_editable_install():
    # the editable install maps checks._builtin onto policies/: edits there are seen live
    assert builtin_policies() == POLICIES.resolve()
    from checks.schema import POLICIES_DIR

    assert POLICIES_DIR == builtin_policies()


def test_every_package_under_checks_is_listed_and_policies_is_mapped():
    config = PYPROJECT["tool"]["setuptools"]
    found = set(find_packages(str(REPO), include=["checks", "checks.*"]))
    assert set(config["packages"]) == found | {"checks._builtin"}, (
        "pyproject.toml [tool.setuptools] packages must list every package under checks/ (and checks._builtin)")
    assert config["package-dir"] == {"checks._builtin": "policies"}


def test_no_module_locates_policy_data_relative_to_the_source_tree():
    """Every default data path derives from checks.resources.builtin_policies()."""
    offenders = []
    for path in sorted((REPO / "checks").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
        if re.search(r"""["']policies["']\s*/|/\s*["']policies["']|parents?\b.*["']policies["']""", code):
            offenders.append(f"{path.relative_to(REPO)}: joins a 'policies' path")
        if "POLICIES_DIR =" in code and path.name != "schema.py":
            offenders.append(f"{path.relative_to(REPO)}: defines POLICIES_DIR")
    assert not offenders, offenders


def test_version_names_package_rule_pack_and_checkov():
    result = run_cli("--version")
    assert result.code == 0
    pack = (POLICIES / "VERSION").read_text(encoding="utf-8").strip()
    assert result.out.strip() == version_text()
    assert re.match(r"^genai-lz \S+ \(genai-landing-zone\), rule pack " + re.escape(pack)
                    + r" \(.+\), checkov (\d+\.\d+\.\d+|not installed .*)$", result.out.strip()), result.out
    from importlib.metadata import version

    assert f"checkov {version('checkov')}" in result.out  # the [dev] extra pulls [checkov]


def test_extras_match_the_users():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert extras["checkov"] == ["checkov==3.3.30"]
    assert any(dep.startswith("moto[server]==") for dep in extras["emulator"])
    dev = " ".join(extras["dev"])
    for extra in ("checkov", "emulator"):
        assert extra in dev
    # every runtime dependency is pinned exactly (the action and the wheel test install these)
    assert all("==" in dep for dep in PYPROJECT["project"]["dependencies"])


# -- genai-lz.yaml ----------------------------------------------------------------------


def _args(**values) -> argparse.Namespace:
    base = {"params": None, "waivers": None, "prices": None, "usage": None, "policies": []}
    return argparse.Namespace(**{**base, **values})


def test_project_config_fills_unset_flags_relative_to_its_folder(tmp_path):
    (tmp_path / "genai-lz.yaml").write_text(
        "params: ci/params.yaml\nwaivers: /abs/waivers.yaml\npolicies: [ci/rules, more]\n", encoding="utf-8")
    args = _args(prices="mine.yaml")
    assert apply_project_config(args, tmp_path) == str(tmp_path / "genai-lz.yaml")
    assert args.params == str(tmp_path / "ci" / "params.yaml")
    assert args.waivers == "/abs/waivers.yaml"
    assert args.policies == [str(tmp_path / "ci" / "rules"), str(tmp_path / "more")]
    assert args.prices == "mine.yaml" and args.usage is None


def test_a_flag_wins_over_the_project_config(tmp_path):
    (tmp_path / "genai-lz.yaml").write_text("params: ci/params.yaml\npolicies: [ci/rules]\n", encoding="utf-8")
    args = _args(params="flag.yaml", policies=["flag-rules"])
    apply_project_config(args, tmp_path)
    assert args.params == "flag.yaml" and args.policies == ["flag-rules"]


def test_no_project_config_changes_nothing(tmp_path):
    args = _args()
    assert apply_project_config(args, tmp_path) is None
    assert args == _args()


@pytest.mark.parametrize("text, fragment", [
    ("bogus: 1\n", "bogus"),
    ("policies: ci/rules\n", "policies"),
    ("params: [a, b]\n", "params"),
    ("params: 'x\n", "not valid YAML"),
])
def test_invalid_project_config_is_exit_2_naming_the_file(tmp_path, monkeypatch, text, fragment):
    (tmp_path / "genai-lz.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("rules", "--format", "json")
    assert result.code == 2 and "genai-lz.yaml" in result.err and fragment in result.err, result.err
    assert result.out == ""


def test_project_config_in_the_working_directory_reaches_the_check(tmp_path, monkeypatch):
    import json

    plan = POLICIES / "security" / "LZ-SEC-001_bedrock_runtime_privatelink" / "pass.json"
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "params.yaml").write_text((POLICIES / "params.yaml").read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    (tmp_path / "ci" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (tmp_path / "genai-lz.yaml").write_text("params: ci/params.yaml\nwaivers: ci/waivers.yaml\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def policy(*flags: str) -> dict:
        result = run_cli("check", plan, "--quiet", "--output", "report.json", *flags)
        assert result.code in (0, 1), result.err
        return json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["evidence"]["policy"]

    found = policy()
    assert Path(found["params_file"]) == Path("ci/params.yaml")
    assert Path(found["waivers_file"]) == Path("ci/waivers.yaml")
    assert policy("--params", str(POLICIES / "params.yaml"))["params_file"] == str(POLICIES / "params.yaml")
