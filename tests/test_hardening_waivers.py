"""A waiver of everything is refused unless asked for, and every report says how many
findings each waiver covered (issue 17, class 9)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import POLICIES, run_cli
from hardening_plans import change, plan, rule_pack, write

FAILING_RULE = {"LZ-SEC-931": "def check(resource, plan, params):\n    return Result.failed('bad')\n"}
FORMATS = ["--format", "json", "--format", "markdown", "--format", "html", "--format", "sarif", "--format", "junit"]


def _waivers(tmp_path, *entries):
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [
        {"rule": rule, "resource": resource, "justification": "accepted risk", "approved_by": "sec@example.com",
         "expires": "2099-01-01"} for rule, resource in entries]}))
    return path


@pytest.fixture
def three_buckets(tmp_path):
    return write(tmp_path, plan([change(f"aws_s3_bucket.{n}", "aws_s3_bucket", {"bucket": n}) for n in "abc"]))


@pytest.mark.parametrize("rule,resource", [("*", "*"), ("**", "*"), ("*", "**")])
def test_wildcard_only_waiver_is_refused(tmp_path, three_buckets, rule, resource):
    result = run_cli("check", three_buckets, *rule_pack(tmp_path / "pack", FAILING_RULE),
                     "--waivers", _waivers(tmp_path, (rule, resource)), "--output", tmp_path / "r.json")
    assert result.code == 2
    assert "waivers[0]" in result.err and "--allow-wildcard-waivers" in result.err
    assert not (tmp_path / "r.json").exists()


def test_wildcard_only_waiver_with_the_flag_is_applied_and_counted(tmp_path, three_buckets):
    out = tmp_path / "out"
    result = run_cli("check", three_buckets, *rule_pack(tmp_path / "pack", FAILING_RULE),
                     "--waivers", _waivers(tmp_path, ("*", "*")), "--allow-wildcard-waivers", *FORMATS,
                     "--output", out)
    assert result.code == 0, result.err
    applied = json.loads((out / "report.json").read_text())["waivers"]["applied"]
    assert [w["findings"] for w in applied] == [3]


def test_every_report_shows_the_findings_each_waiver_covered(tmp_path, three_buckets):
    out = tmp_path / "out"
    waivers = _waivers(tmp_path, ("LZ-SEC-931", "aws_s3_bucket.[ab]"), ("LZ-SEC-931", "aws_s3_bucket.zzz"))
    result = run_cli("check", three_buckets, *rule_pack(tmp_path / "pack", FAILING_RULE), "--waivers", waivers,
                     *FORMATS, "--output", out)
    assert result.code == 1, result.err
    document = json.loads((out / "report.json").read_text())
    assert [(w["resource"], w["findings"]) for w in document["waivers"]["applied"]] == [("aws_s3_bucket.[ab]", 2)]
    assert [(w["resource"], w["findings"]) for w in document["waivers"]["unused"]] == [("aws_s3_bucket.zzz", 0)]
    markdown = (out / "report.md").read_text()
    rows = [line for line in markdown.splitlines() if line.startswith("| applied |")]
    assert rows and rows[0].rstrip().endswith("| 2 |")
    sarif = json.loads((out / "report.sarif").read_text())
    assert [(w["state"], w["findings"]) for w in sarif["runs"][0]["invocations"][0]["properties"]["waivers"]] == [
        ("applied", 2), ("unused", 0)]
    props = {p.get("name"): p.get("value") for p in ET.fromstring((out / "report.xml").read_bytes()).iter("property")}
    assert "2 finding(s) covered" in props["waiver.1"] and "0 finding(s) covered" in props["waiver.2"]
    html = (out / "report.html").read_text()
    assert "aws_s3_bucket.[ab]" in html


def test_project_waivers_file_is_still_accepted():
    from checks.engine import load_policy_data

    load_policy_data(None, POLICIES / "waivers.yaml")
