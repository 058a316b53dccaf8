"""Sensitive values never reach a report or the terminal (issue 17, class 1).

Every value a plan marks sensitive (``after_sensitive``, ``sensitive_values``, nested
blocks, JSON policies) is replaced by a unique marker; every rule of the pack (and checkov
when installed) runs, every format is written, and no marker may appear anywhere.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import POLICIES, run_cli
from hardening_plans import MARKER_RE, change, plan, rule_pack, with_markers, write

FORMATS = ("json", "markdown", "html", "sarif", "junit")
FIXTURES = sorted(p for p in POLICIES.glob("*/*/**/*.json") if p.name != "expected.json")


def _format_args(out: Path) -> list[str]:
    return [arg for f in FORMATS for arg in ("--format", f)] + ["--output", str(out)]


def _leaks(result, out: Path) -> list[str]:
    texts = {"stderr": result.err, "stdout": result.out}
    texts.update({p.name: p.read_text(encoding="utf-8", errors="replace") for p in out.iterdir()})
    return [f"{name}: {m.group(0)}" for name, text in texts.items() for m in MARKER_RE.finditer(text)]


def _run(tmp_path: Path, document: dict, *extra: str):
    out = tmp_path / "out"
    result = run_cli("check", write(tmp_path, document), *_format_args(out), "--unknown", "fail", *extra)
    return result, out


@pytest.mark.parametrize("every", [1, 2], ids=["all-sensitive", "every-second-sensitive"])
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name.split('_')[0]}/{p.name}")
def test_no_sensitive_marker_in_any_output_of_any_rule(tmp_path, fixture, every):
    document = with_markers(json.loads(fixture.read_text()), every)
    assert MARKER_RE.search(json.dumps(document)), "the fixture holds no string to mark"
    result, out = _run(tmp_path, document)
    assert result.code in (0, 1), result.err
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md", "report.sarif",
                                                       "report.xml"]
    assert _leaks(result, out) == []


def test_no_marker_with_checkov(tmp_path):
    pytest.importorskip("checkov")
    leaks: list[str] = []
    fixtures = [p for p in FIXTURES if "planned_values" in p.read_text()][:6]
    assert fixtures
    for i, fixture in enumerate(fixtures):
        work = tmp_path / str(i)
        work.mkdir()
        result, out = _run(work, with_markers(json.loads(fixture.read_text())), "--checkov")
        assert result.code in (0, 1), (fixture, result.err)
        leaks += [f"{fixture}: {leak}" for leak in _leaks(result, out)]
    assert leaks == []


# -- the cases the issue found, each with a rule that goes around the path ---------------------

LEAKY_RULES = {
    # hands the owner tag to the finding as a value, without its path
    "LZ-SEC-911": ("def check(resource, plan, params):\n"
                   "    tags = resource.get('tags') or {}\n"
                   "    return Result.failed('owner is ' + str(tags.get('owner')), value=tags.get('owner'))\n"),
    # instance type and versioning status (nested block) as values, paths elsewhere
    "LZ-SEC-912": ("def check(resource, plan, params):\n"
                   "    t = resource.get('instance_type')\n"
                   "    s = resource.get('versioning.status')\n"
                   "    return Result.failed(f'type {t} status {s}', path='ami', value={'type': t, 'status': s})\n"),
    # a Sid read from a sensitive policy document, in the message only
    "LZ-SEC-913": ("def check(resource, plan, params):\n"
                   "    import json\n"
                   "    doc = json.loads(resource.get('policy') or '{}')\n"
                   "    sids = [s.get('Sid') for s in doc.get('Statement', [])]\n"
                   "    return Result.failed('statements ' + ', '.join(map(str, sids)))\n"),
    # a plan rule that reports one resource's sensitive value on another address
    "LZ-SEC-914": ("def check(plan, params):\n"
                   "    values = [str(r.get('tags.justification')) for r in plan]\n"
                   "    return [Result.failed('justifications: ' + ';'.join(values))]\n"),
    # a crash whose error text carries the value
    "LZ-SEC-915": ("def check(resource, plan, params):\n"
                   "    raise KeyError(resource.get('tags.owner'))\n"),
}


def test_values_handed_over_without_their_path_are_masked(tmp_path):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "SidMARKERzz01", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    instance = change("aws_instance.i", "aws_instance", {
        "instance_type": "typeMARKERzz02", "ami": "ami-1", "policy": policy,
        "tags": {"owner": "ownerMARKERzz03", "justification": "because MARKERzz04 said so"},
        "versioning": [{"status": "statusMARKERzz05", "mfa_delete": "off"}]},
        sensitive={"instance_type": True, "policy": True, "tags": {"owner": True, "justification": True},
                   "versioning": [{"status": True}]})
    out = tmp_path / "out"
    result = run_cli("check", write(tmp_path, plan([instance])), *rule_pack(tmp_path / "pack", LEAKY_RULES),
                     *_format_args(out))
    assert result.code == 1, result.err
    texts = [result.err] + [p.read_text() for p in out.iterdir()]
    assert all("MARKERzz" not in text for text in texts), [t[t.find("MARKERzz") - 80:][:120] for t in texts
                                                           if "MARKERzz" in t]
    document = json.loads((out / "report.json").read_text())
    by_rule = {f["rule_id"]: f for f in document["findings"]}
    assert by_rule["LZ-SEC-911"]["evidence"]["value"] == "(sensitive value)"
    assert by_rule["LZ-SEC-912"]["evidence"]["value"] == {"type": "(sensitive value)", "status": "(sensitive value)"}
    assert "(sensitive value)" in by_rule["LZ-SEC-913"]["message"]
    assert by_rule["LZ-SEC-915"]["status"] == "unknown"


def test_state_document_sensitive_values_are_masked(tmp_path):
    state = {"format_version": "1.0", "values": {"root_module": {"resources": [
        {"address": "aws_instance.i", "mode": "managed", "type": "aws_instance", "name": "i",
         "values": {"instance_type": "p4d.24xlarge", "tags": {"owner": "team"}}}]}}}
    result, out = _run(tmp_path, with_markers(state), *rule_pack(tmp_path / "pack", LEAKY_RULES))
    assert result.code == 1, result.err
    assert _leaks(result, out) == []


def test_sensitive_outputs_and_variables_are_masked(tmp_path):
    document = plan(
        [change("aws_instance.i", "aws_instance", {"instance_type": "p4d.24xlarge", "ami": "amiVARzz1MARKER",
                                                    "tags": {"owner": "outZZ2MARKER"}})],
        variables={"ami": {"value": "amiVARzz1MARKER"}},
        configuration={"root_module": {"variables": {"ami": {"sensitive": True}}}},
        output_changes={"o": {"actions": ["create"], "after": "outZZ2MARKER", "after_sensitive": True}})
    out = tmp_path / "out"
    result = run_cli("check", write(tmp_path, document), *rule_pack(tmp_path / "pack", LEAKY_RULES),
                     *_format_args(out))
    assert result.code == 1
    assert all("MARKER" not in p.read_text() for p in out.iterdir()) and "MARKER" not in result.err


def test_cost_command_masks_sensitive_values(tmp_path):
    instance = change("aws_instance.gpu", "aws_instance", {"instance_type": "p4dMARKERzz9", "ami": "ami-1"},
                      sensitive={"instance_type": True})
    for fmt in ("table", "json", "markdown"):
        result = run_cli("cost", write(tmp_path, plan([instance])), "--format", fmt)
        assert result.code == 0, result.err
        assert "MARKERzz9" not in result.out + result.err
