"""A rule crash hides no other finding (issue 17, class 5): a rule error is isolated per
resource (that resource is unknown, with the error), for plan rules as for resource rules."""
from __future__ import annotations

import json

from conftest import run_cli
from hardening_plans import change, plan, rule_pack, write

OWNER_RULE = {"LZ-SEC-921": (
    "def check(plan, params):\n"
    "    results = []\n"
    "    for res in plan.resources:\n"
    "        tags = res.get('tags') or {}\n"
    "        if tags.get('owner'):\n"   # list-form tags raise AttributeError here
    "            results.append(Result.passed('owner set', address=res.address))\n"
    "        else:\n"
    "            results.append(Result.failed('no owner', path='tags', address=res.address))\n"
    "    return results\n"
)}


def _findings(out):
    return {(f["rule_id"], f["address"]): f for f in json.loads(out.read_text())["findings"]}


def _plan_with_list_tags():
    return plan([
        change("aws_s3_bucket.a", "aws_s3_bucket", {"bucket": "a", "tags": {}}),
        change("aws_autoscaling_group.old", "aws_autoscaling_group",
               {"name": "old", "tags": [{"key": "owner", "value": "x", "propagate_at_launch": True},
                                        {"key": "project", "value": "y", "propagate_at_launch": True}]}),
        change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b", "tags": {"owner": "team"}}),
        change("aws_s3_bucket.c", "aws_s3_bucket", {"bucket": "c", "tags": {}}),
    ])


def test_plan_rule_error_is_isolated_to_the_resource(tmp_path):
    out = tmp_path / "r.json"
    result = run_cli("check", write(tmp_path, _plan_with_list_tags()), *rule_pack(tmp_path / "pack", OWNER_RULE),
                     "--output", out)
    assert result.code == 1
    findings = _findings(out)
    assert findings[("LZ-SEC-921", "aws_s3_bucket.a")]["status"] == "fail"
    assert findings[("LZ-SEC-921", "aws_s3_bucket.b")]["status"] == "pass"
    assert findings[("LZ-SEC-921", "aws_s3_bucket.c")]["status"] == "fail"
    crashed = findings[("LZ-SEC-921", "aws_autoscaling_group.old")]
    assert crashed["status"] == "unknown"
    assert "AttributeError" in crashed["message"]
    assert ("LZ-SEC-921", "(root module)") not in findings
    report = json.loads(out.read_text())
    assert report["rule_errors"] == [e for e in report["rule_errors"] if "aws_autoscaling_group.old" in e]
    assert len(report["rule_errors"]) == 1
    assert "Traceback" not in result.err


def test_resource_rule_error_and_bad_return_are_isolated(tmp_path):
    rules = {"LZ-SEC-922": (
        "def check(resource, plan, params):\n"
        "    if resource.address.endswith('.b'):\n"
        "        raise ValueError('boom')\n"
        "    if resource.address.endswith('.c'):\n"
        "        return 'not a result'\n"
        "    return Result.failed('bad')\n")}
    out = tmp_path / "r.json"
    result = run_cli("check", write(tmp_path, _plan_with_list_tags()), *rule_pack(tmp_path / "pack", rules),
                     "--output", out)
    assert result.code == 1, result.err
    findings = _findings(out)
    assert findings[("LZ-SEC-922", "aws_s3_bucket.a")]["status"] == "fail"
    assert findings[("LZ-SEC-922", "aws_s3_bucket.b")]["status"] == "unknown"
    assert "boom" in findings[("LZ-SEC-922", "aws_s3_bucket.b")]["message"]
    assert findings[("LZ-SEC-922", "aws_s3_bucket.c")]["status"] == "unknown"


def test_lz_cost_004_with_list_form_tags_keeps_its_other_findings(tmp_path):
    """The case the issue found: 0.12-era list-form tags on one resource."""
    out = tmp_path / "r.json"
    result = run_cli("check", write(tmp_path, _plan_with_list_tags()), "--output", out)
    assert result.code in (0, 1), result.err
    findings = _findings(out)
    for address in ("aws_s3_bucket.a", "aws_s3_bucket.c"):
        assert findings[("LZ-COST-004", address)]["status"] == "fail"
    assert findings[("LZ-COST-004", "aws_autoscaling_group.old")]["status"] in ("unknown", "fail")
    assert ("LZ-COST-004", "(root module)") not in findings


def test_plan_rule_error_without_a_resource_stays_one_root_finding(tmp_path):
    rules = {"LZ-SEC-923": "def check(plan, params):\n    raise RuntimeError('no resource in sight')\n"}
    out = tmp_path / "r.json"
    result = run_cli("check", write(tmp_path, _plan_with_list_tags()), *rule_pack(tmp_path / "pack", rules),
                     "--output", out)
    assert result.code == 1
    finding = _findings(out)[("LZ-SEC-923", "(root module)")]
    assert finding["status"] == "unknown" and "no resource in sight" in finding["message"]
