"""`genai-lz diff OLD.json NEW.json`."""
from __future__ import annotations

import copy
import json

import pytest

from conftest import FIXTURES, run_cli

PLAN = FIXTURES / "report" / "plan.json"


@pytest.fixture(scope="module")
def base_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("diff") / "old.json"
    run = run_cli("check", PLAN, "--output", out, "--today", "2026-01-15", "-q")
    assert run.code == 1, run.err
    return json.loads(out.read_text(encoding="utf-8"))


def _write(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _find(doc, rule_id, address):
    return next(f for f in doc["findings"] if f["rule_id"] == rule_id and f["address"] == address)


def test_identical_reports_no_new_failures(tmp_path, base_report):
    old = _write(tmp_path, "old.json", base_report)
    run = run_cli("diff", old, old, "--format", "json")
    assert run.code == 0, run.err
    diff = json.loads(run.out)
    assert diff["new_failures"] == [] and diff["fixed"] == [] and diff["newly_waived"] == []
    failing = sum(1 for f in base_report["findings"] if f["status"] in ("fail", "unknown"))
    assert len(diff["still_failing"]) == failing > 0


def test_categories_and_exit_code(tmp_path, base_report):
    new = copy.deepcopy(base_report)
    # new failure: a passing finding now fails, and a new checkov finding appears
    passing = next(f for f in new["findings"] if f["status"] == "pass")
    passing["status"] = "fail"
    # fixed: a failing finding now passes
    _find(new, "LZ-SEC-001", "aws_vpc.shared")["status"] = "pass"
    # newly waived
    waived = _find(new, "LZ-SEC-001", 'module.net["b"].aws_vpc.this')
    waived["status"] = "waived"
    waived["waiver"] = {"rule": "LZ-SEC-001", "resource": 'module.net["b"].*', "justification": "migration window",
                        "approved_by": "bob@example.com", "expires": "2026-03-01"}
    new["findings"].append({**copy.deepcopy(passing), "rule_id": "CKV_AWS_130", "source": "checkov",
                            "pillar": "other", "lens": [], "status": "fail", "message": "checkov failed"})
    # gone: a failing resource removed from the plan counts as fixed
    gone = next(f for f in new["findings"] if f["rule_id"] == "LZ-REL-001" and f["status"] == "fail")
    new["findings"].remove(gone)
    old_path, new_path = _write(tmp_path, "old.json", base_report), _write(tmp_path, "new.json", new)

    run = run_cli("diff", old_path, new_path, "--format", "json")
    assert run.code == 1, run.err
    diff = json.loads(run.out)
    assert {(e["rule_id"], e["address"]) for e in diff["new_failures"]} == {
        (passing["rule_id"], passing["address"]), ("CKV_AWS_130", passing["address"])}
    assert {(e["rule_id"], e["address"], e["status"]) for e in diff["fixed"]} == {
        ("LZ-SEC-001", "aws_vpc.shared", "pass"), ("LZ-REL-001", gone["address"], "gone")}
    assert [(e["address"], e["was"]) for e in diff["newly_waived"]] == [('module.net["b"].aws_vpc.this', "fail")]

    md = run_cli("diff", old_path, new_path)
    assert md.code == 1
    assert "**2 new failure(s)**, 2 fixed, 1 newly waived" in md.out
    assert "bob@example.com" in md.out and "CKV_AWS_130" in md.out

    # the reverse direction: what was fixed, removed or waived fails again; written to a file
    back = run_cli("diff", new_path, old_path, "--output", tmp_path / "diff.md")
    assert back.code == 1 and back.out == ""
    assert "**3 new failure(s)**, 2 fixed, 0 newly waived" in (tmp_path / "diff.md").read_text(encoding="utf-8")
    same = run_cli("diff", new_path, new_path, "--output", tmp_path / "same.md")
    assert same.code == 0


def test_invalid_input_exit_2(tmp_path, base_report):
    good = _write(tmp_path, "good.json", base_report)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    not_report = _write(tmp_path, "plan-not-report.json", {"format_version": "1.2"})
    for old, new in ((broken, good), (good, not_report), (good, tmp_path / "missing.json")):
        run = run_cli("diff", old, new)
        assert run.code == 2, (old, new, run.out)
        assert run.err.startswith("genai-lz: error: ") and len(run.err.strip().splitlines()) == 1


def test_diff_reports_the_monthly_cost_delta():
    from checks.report.diff import cost_delta, to_markdown

    def report(planned, maximum, complete=True):
        return {"cost": {"currency": "USD", "totals": {"planned": planned, "maximum": maximum, "complete": complete}}}

    delta = cost_delta(report(1842.72, 4853.83), report(2000.0, 4000.0, complete=False))
    assert delta["planned"] == {"old": 1842.72, "new": 2000.0, "delta": 157.28}
    assert delta["maximum"]["delta"] == -853.83
    assert delta["complete"] is False
    assert cost_delta({}, report(1, 2)) is None
    side = {"plan": "p.json", "sha256": "0" * 64, "gate_passed": True, "blocking": 0}
    text = to_markdown({"old": side, "new": side, "new_failures": [], "fixed": [], "newly_waived": [],
                        "still_failing": [], "cost": delta})
    assert "| planned capacity | 1,842.72 | 2,000.00 | +157.28 USD |" in text
    assert "lower bounds" in text
