"""The `genai-lz` command line: exit codes, outputs, determinism, robustness."""
from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
import yaml

from conftest import FIXTURES, POLICIES, REPO, run_cli

REFS = FIXTURES / "plans" / "refs.json"
LZ001 = POLICIES / "security" / "LZ-SEC-001_bedrock_runtime_privatelink"
LZ001_FAIL = LZ001 / "fail.json"


@pytest.fixture
def only_lz001(tmp_path):
    """A policy directory holding just LZ-SEC-001 (as an organisation's own pack would)."""
    root = tmp_path / "pack"
    (root / "security").mkdir(parents=True)
    (root / "security" / LZ001.name).symlink_to(LZ001)
    return ["--no-builtin", "--policies", str(root)]


def _validate_report(document: dict) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((POLICIES / "schemas" / "report.schema.json").read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


def test_check_passes_and_report_validates(tmp_path, only_lz001):
    out = tmp_path / "r.json"
    result = run_cli("check", LZ001 / "pass.json", "--output", out, *only_lz001)
    assert result.code == 0, result.err
    document = json.loads(out.read_text())
    _validate_report(document)
    assert document["verdict"]["passed"] is True
    assert document["evidence"]["plan"]["resources"] == 2
    assert document["evidence"]["policy"]["rules"] == 1


def test_check_fails_the_gate_naming_rule_and_address(tmp_path):
    result = run_cli("check", LZ001_FAIL, "--output", tmp_path / "r.json")
    assert result.code == 1
    assert "LZ-SEC-001" in result.err and "aws_vpc.fail" in result.err
    document = json.loads((tmp_path / "r.json").read_text())
    _validate_report(document)
    assert not document["verdict"]["passed"]


def test_json_report_is_deterministic(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("check", LZ001_FAIL, "--output", a).code == 1
    assert run_cli("check", LZ001_FAIL, "--output", b).code == 1
    assert a.read_bytes() == b.read_bytes()
    assert "generated_at" not in a.read_text()
    assert run_cli("check", LZ001_FAIL, "--output", a, "--timestamp").code == 1
    assert "generated_at" in a.read_text()


def test_several_formats_into_a_directory(tmp_path, only_lz001):
    result = run_cli("check", REFS, "--format", "json", "--format", "markdown", "--output", tmp_path / "out",
                     *only_lz001)
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.json", "report.md"]
    assert "# GenAI Lens compliance report" in (tmp_path / "out" / "report.md").read_text()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "missing.json"], "no such file"),
        (["check", str(REFS), "--format", "pdf"], "unknown report format"),
        (["check", str(REFS), "--format", "json", "--format", "markdown"], "need --output DIR"),
        (["check", str(REFS), "--today", "tomorrow"], "--today"),
        (["explain", "LZ-NOPE-999"], "no rule"),
    ],
)
def test_invalid_input_exits_2_with_one_line(args, fragment, tmp_path):
    result = run_cli(*args)
    assert result.code == 2
    assert fragment in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_bad_params_exit_2_and_nothing_written(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"gate": {"fail_on": "high"}, "approved_regions": ["nowhere"]}))
    out = tmp_path / "out"
    result = run_cli("check", REFS, "--params", params, "--format", "json", "--format", "markdown", "--output", out)
    assert result.code == 2 and str(params) in result.err
    assert not out.exists()


def test_fail_on_and_unknown_switches(tmp_path):
    assert run_cli("check", LZ001_FAIL, "--output", tmp_path / "r.json", "--fail-on", "critical").code == 0


def test_rules_and_explain():
    listed = run_cli("rules", "--format", "json")
    assert listed.code == 0
    rows = json.loads(listed.out)
    assert any(r["id"] == "LZ-SEC-001" for r in rows)
    explained = run_cli("explain", "LZ-SEC-001")
    assert explained.code == 0 and "GENSEC01-BP02" in explained.out and "bedrock-runtime" in explained.out


def _mutations(document, rng):
    """Plans nobody here wrote: shuffle, drop and retype parts of a real plan."""
    doc = json.loads(json.dumps(document))
    for change in doc["resource_changes"]:
        roll = rng.random()
        ch = change["change"]
        if roll < 0.15:
            ch["after"] = None
        elif roll < 0.3:
            ch["after_unknown"] = True
        elif roll < 0.45:
            ch["after_sensitive"] = True
        elif roll < 0.55:
            ch["actions"] = ["delete"]
        elif roll < 0.65:
            change.pop("module_address", None)
        elif roll < 0.75 and isinstance(ch.get("after"), dict):
            for key in list(ch["after"]):
                ch["after"][key] = rng.choice([None, [], {}, "x", 1, [{"a": 1}, {"b": 2}]])
    if rng.random() < 0.5:
        doc.pop("configuration", None)
    return doc


def test_unseen_plans_never_crash(tmp_path):
    """Every rule of the pack on mutated real plans: a verdict (either is right for a random
    plan), never a traceback, and no rule error: a crashing rule would only become an
    unknown finding and still exit 0 or 1."""
    rng = random.Random(1234)
    sources = [REFS] + sorted(POLICIES.glob("*/*/*.json"))
    for i in range(40):
        base = json.loads(rng.choice(sources).read_text())
        target = tmp_path / f"p{i}.json"
        target.write_text(json.dumps(_mutations(base, rng)))
        result = run_cli("check", target, "--output", tmp_path / "r.json", "--quiet")
        assert result.code in (0, 1), (target.read_text()[:2000], result.err)
        report = json.loads((tmp_path / "r.json").read_text())
        assert report["rule_errors"] == [], (target.read_text()[:2000], report["rule_errors"])


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from checks.cli import build_parser; build_parser(); "
            "heavy = [m for m in ('checkov', 'boto3', 'jinja2', 'jsonschema', 'yaml') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == ""
