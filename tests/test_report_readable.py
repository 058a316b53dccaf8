"""What a reader of the HTML and Markdown reports gets: one path rule, evidence never cut
inside a value, a lens best-practice column in the Markdown failure tables, the whole sha256."""
from __future__ import annotations

import datetime as dt
import json
import re

from checks import engine, plan as plan_module, registry
from checks.report import writer_for
from checks.report.helpers import display_path, evidence_items, value_text
from conftest import FIXTURES, POLICIES, REPO, run_cli

PLAN = FIXTURES / "report" / "plan.json"
COST_FAIL = POLICIES / "cost_optimization" / "LZ-COST-001_budget_forecast_and_actual_alerts" / "fail.json"
UNMAPPED = [f"CKV_AWS_{n}" for n in range(100, 130)]


def test_plan_params_and_waivers_paths_follow_one_rule(tmp_path, monkeypatch):
    """Inside the working directory: relative; outside: absolute; in every format alike."""
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers: []\n", encoding="utf-8")
    monkeypatch.chdir(REPO)
    out = tmp_path / "out"
    run = run_cli("check", PLAN, "--params", POLICIES / "params.yaml", "--waivers", waivers, "--format", "json",
                  "--format", "html", "--format", "markdown", "--output", out, "-q")
    assert run.code in (0, 1), run.err
    evidence = json.loads((out / "report.json").read_text(encoding="utf-8"))["evidence"]
    assert evidence["plan"]["source"] == "tests/fixtures/report/plan.json"
    assert evidence["policy"]["params_file"] == "policies/params.yaml"
    assert evidence["policy"]["waivers_file"] == str(waivers)  # outside the working directory
    html = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    for shown in ("tests/fixtures/report/plan.json", "policies/params.yaml", str(waivers)):
        assert f'<dd class="mono">{shown}</dd>' in html
        assert f"`{shown}`" in markdown
    assert str(REPO / "policies") not in html and str(REPO / "policies") not in markdown
    assert f'<span class="mono sha">{evidence["plan"]["sha256"]}</span>' in html  # in full, in the header


def test_display_path_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    assert display_path(str(tmp_path / "a" / "p.json")) == "a/p.json"
    assert display_path("a/../a/p.json") == "a/p.json"
    assert display_path("/elsewhere/p.json") == "/elsewhere/p.json"
    assert display_path("-") == "-" and display_path(None) is None and display_path("<plan>") == "<plan>"


def _result_with_checkov_evidence():
    result = engine.check(plan_module.load(PLAN), registry.load_rules(), engine.load_policy_data(),
                          today=dt.date(2026, 1, 15))
    result.extra["evidence"] = {"checkov": {
        "version": "3.3.30", "mapping_file": str(POLICIES / "checkov.yaml"), "unmapped_checks": UNMAPPED,
        "superseded": {"CKV_AWS_21": {"by": "LZ-REL-006", "records": 1}}, "check_errors": 0}}
    return result


def test_checkov_evidence_is_key_value_text_eliding_whole_items(monkeypatch):
    monkeypatch.chdir(REPO)
    result = _result_with_checkov_evidence()
    markdown = writer_for("markdown").render(result).decode("utf-8")
    html = writer_for("html").render(result).decode("utf-8")
    line = next(x for x in markdown.splitlines() if "unmapped" in x)
    shown = re.findall(r"CKV_AWS_\d+", line)
    assert len(shown) == 8 and line.endswith(", … 22 more")
    assert all(s in UNMAPPED for s in shown)  # whole ids only
    assert "  - superseded: CKV_AWS_21 (by: LZ-REL-006, records: 1)" in markdown
    assert "  - mapping_file: policies/checkov.yaml" in markdown
    assert '"unmapped_checks"' not in markdown and '"unmapped_checks"' not in html  # no JSON dump
    assert "<dt>unmapped_checks</dt><dd class=\"mono\">CKV_AWS_100, CKV_AWS_101," in html
    assert "CKV_AWS_107, … 22 more</dd>" in html


def test_values_are_never_cut_inside_an_item():
    value = {f"ingress.{i}.cidr_blocks": ["10.0.0.0/16", "0.0.0.0/0"] for i in range(20)}
    text = value_text(value, 120)
    items, rest = text.rsplit("; … ", 1)
    assert rest == f"{20 - len(items.split('; '))} more"
    for item in items.split("; "):
        key, shown = item.split(" = ")
        assert json.loads(shown) == value[key]
    assert value_text(["x" * 40] * 5, 100) == '["' + "x" * 40 + '", "' + "x" * 40 + '", … 3 more]'
    assert value_text("y" * 130, 120).endswith("… (+10 characters)")
    assert evidence_items({"a": [], "b": True, "c": None}) == [("a", "none"), ("b", "yes"), ("c", "-")]


def test_markdown_failures_name_the_lens_and_framework_best_practices():
    result = engine.check(plan_module.load(COST_FAIL), registry.load_rules(), engine.load_policy_data(),
                          today=dt.date(2026, 1, 15))
    markdown = writer_for("markdown").render(result).decode("utf-8")
    assert "| severity | rule | lens best practice | resource | evidence | message |" in markdown
    rows = [x for x in markdown.splitlines() if x.startswith("| ") and "LZ-" in x and "---" not in x]
    cost = next(x for x in rows if "LZ-COST-001" in x)
    assert cost.split(" | ")[2] == "COST02-BP05"  # a rule no lens practice fits: its framework id
    for f in result.findings:
        if f.status.value in ("fail", "unknown") and f.lens:
            row = next(x for x in rows if f.rule_id in x)
            assert f.lens[0] in row.split(" | ")[2]
