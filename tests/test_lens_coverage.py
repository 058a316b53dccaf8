"""The lens coverage matrix and the two catalogs (lens, Well-Architected Framework).

Every Generative AI Lens best practice is checked by at least one rule or carries the
evidence an auditor asks for instead; `genai-lz coverage` and the reports show it; a rule
names lens or framework best practices that exist in their catalogs.
"""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from html.parser import HTMLParser

import pytest

from checks import engine, plan as plan_module, registry
from checks.coverage import ASSESSED, NOT_COVERED, PROCESS, STATE_LABEL, framework_matrix, lens_matrix
from checks.errors import PolicyError
from checks.integrations import checkov_bridge
from checks.report import writer_for
from checks.schema import validate_data
from conftest import FIXTURES, run_cli

LENS = registry.load_lens()
FRAMEWORK = registry.load_framework()
RULES = registry.load_rules()
# framework best practices the native rules implement; the catalog also holds those only
# checkov checks are mapped to (policies/checkov.yaml framework:), which the matrix leaves out
RULE_FRAMEWORK = {bp for meta in RULES for bp in meta.framework}


def _rule_folder(root, rule_id: str, mapping: str, pillar: str = "operational_excellence"):
    folder = root / pillar / f"{rule_id}_test"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(textwrap.dedent(f'''
        from checks import Result, plan_rule

        @plan_rule(id="{rule_id}", title="t", pillar="{pillar}", {mapping} severity="low",
                   remediation="r", rationale="why")
        def check(plan, params):
            return None
    '''))
    return root


# ---------------------------------------------------------------- catalogs and metadata

def test_every_lens_best_practice_is_checked_or_has_evidence():
    rows = lens_matrix(RULES, LENS)
    assert [r["id"] for r in rows] == list(LENS.best_practices)
    for row in rows:
        assert row["state"] in (ASSESSED, NOT_COVERED, PROCESS)
        assert row["rules"] or row["evidence"].strip(), f"{row['id']}: no rule and no evidence to ask for"
        assert (row["state"] == ASSESSED) == bool(row["rules"])
        assert row["evidence"].strip(), f"{row['id']}: the catalog has no evidence text"
    process = [r["id"] for r in rows if r["state"] == PROCESS]
    assert "GENOPS01-BP01" in process and "GENPERF02-BP01" in process  # evaluation records, load tests
    assert {"GENSEC01-BP02", "GENSEC02-BP01", "GENSEC03-BP01"} <= {r["id"] for r in rows if r["state"] == ASSESSED}


def test_framework_catalog_is_used_and_resolves():
    named = RULE_FRAMEWORK
    checkov_named = {bp for entry in checkov_bridge.load_mapping().checks.values() for bp in entry.framework}
    assert named | checkov_named == set(FRAMEWORK.best_practices), \
        "a framework entry no rule or checkov mapping names, or a name not in the catalog"
    for bp, practice in FRAMEWORK.best_practices.items():
        assert FRAMEWORK.url(bp).startswith("https://docs.aws.amazon.com/wellarchitected/latest/framework/")
        assert practice["title"]
    rows = framework_matrix(RULES, FRAMEWORK)
    assert {r["id"] for r in rows} == named
    by_id = {r["id"]: r["rules"] for r in rows}
    assert "LZ-SEC-006" in by_id["SEC08-BP02"] and "LZ-SEC-019" in by_id["SEC09-BP02"]


def test_remapped_rules_no_longer_stretch():
    """The mappings the review found stretched (issue: S3 versioning as a model catalog, ...)."""
    meta = {m.id: m for m in RULES}
    assert meta["LZ-REL-006"].lens == () and meta["LZ-REL-006"].framework == ("REL09-BP01",)
    assert "GENSEC01-BP03" not in meta["LZ-SEC-006"].lens and "GENSEC01-BP03" not in meta["LZ-SEC-019"].lens
    cost = [m for m in RULES if m.pillar == "cost_optimization"]
    assert not [m.id for m in cost if "GENCOST02-BP02" in m.lens]


def test_rule_with_only_a_framework_id_loads(tmp_path):
    _rule_folder(tmp_path, "T-OPS-001", 'framework=["OPS02-BP01"],')
    rules = {m.id: m for m in registry.load_rules([tmp_path])}
    assert rules["T-OPS-001"].framework == ("OPS02-BP01",) and rules["T-OPS-001"].lens == ()
    assert rules["T-OPS-001"].to_dict()["framework"] == ["OPS02-BP01"]


def test_organisation_rule_with_only_a_lens_id_still_loads(tmp_path):
    """Backward compatible: rule folders written before the framework catalog."""
    _rule_folder(tmp_path, "T-OPS-002", 'lens=["GENOPS01-BP01"],')
    rules = registry.load_rules([tmp_path])
    row = {r["id"]: r for r in lens_matrix(rules, LENS)}["GENOPS01-BP01"]
    assert row["state"] == ASSESSED and row["rules"] == ["T-OPS-002"]


@pytest.mark.parametrize(("mapping", "message"), [
    ("", "names no best practice"),
    ('framework=["SEC99-BP01"],', "framework id SEC99-BP01 is not in"),
    ('lens=["GENOPS09-BP09"],', "lens id GENOPS09-BP09 is not in"),
])
def test_bad_mapping_is_a_policy_error(tmp_path, mapping, message):
    _rule_folder(tmp_path, "T-OPS-003", mapping)
    with pytest.raises(PolicyError, match=message):
        registry.load_rules([tmp_path])


# ---------------------------------------------------------------- `genai-lz coverage`

def test_coverage_command_text():
    run = run_cli("coverage")
    assert run.code == 0, run.err
    assert STATE_LABEL[PROCESS] in run.out and "evidence: Model evaluation records" in run.out
    assert "GENSEC01-BP02" in run.out and "LZ-SEC-001" in run.out
    assert "SEC08-BP02    " not in run.out and "SEC08-BP02  Enforce encryption at rest" in run.out


def test_coverage_command_json_counts_and_extra_policies(tmp_path):
    doc = json.loads(run_cli("coverage", "--format", "json").out)
    rows = doc["lens"]["best_practices"]
    assert len(rows) == len(LENS.best_practices)
    assert sum(doc["lens"]["counts"].values()) == len(rows)
    assert doc["lens"]["counts"][ASSESSED] == sum(1 for r in rows if r["rules"])
    assert all(r["evidence"] for r in rows)
    assert {r["id"] for r in doc["framework"]["best_practices"]} == RULE_FRAMEWORK
    # an organisation's rule that checks a process practice makes it assessed
    _rule_folder(tmp_path, "T-OPS-004", 'lens=["GENOPS01-BP02"],')
    extra = json.loads(run_cli("coverage", "--format", "json", "--policies", tmp_path).out)
    row = {r["id"]: r for r in extra["lens"]["best_practices"]}["GENOPS01-BP02"]
    assert row["state"] == ASSESSED and row["rules"] == ["T-OPS-004"]


def test_coverage_command_markdown():
    out = run_cli("coverage", "--format", "markdown").out
    assert "| best practice | title | state | rules | evidence to ask for |" in out
    lines = [line for line in out.splitlines() if line.startswith("| [GEN")]
    assert len(lines) == len(LENS.best_practices)
    assert all(line.count(" | ") >= 4 and not line.rstrip().endswith("|  |") for line in lines)
    assert "## Well-Architected Framework best practices checked" in out


# ---------------------------------------------------------------- reports

def _result():
    plan = plan_module.load(FIXTURES / "report" / "plan.json")
    return engine.check(plan, RULES, engine.load_policy_data(), today=dt.date(2026, 1, 15))


class _Rows(HTMLParser):
    """Coverage rows of the HTML report: data-bp, data-state and the cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, object]] = {}
        self.framework: list[str] = []
        self._row: dict[str, object] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and a.get("class") == "cov-row":
            self._row = {"state": a["data-state"], "cells": []}
            self.rows[a["data-bp"]] = self._row
        elif tag == "tr" and a.get("class") == "fw-row":
            self.framework.append(a["data-bp"])
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row["cells"].append("".join(self._cell).strip())  # type: ignore[union-attr]
            self._cell = None
        elif tag == "tr":
            self._row = None


def test_html_report_shows_the_matrix():
    result = _result()
    html = writer_for("html").render(result).decode("utf-8")
    parser = _Rows()
    parser.feed(html)
    assert set(parser.rows) == set(LENS.best_practices)
    expected = {r["id"]: r for r in result.coverage()}
    for bp, row in parser.rows.items():
        cells = row["cells"]
        assert row["state"] == expected[bp]["state"]
        assert cells[3] == STATE_LABEL[expected[bp]["state"]]
        assert cells[4] == ", ".join(expected[bp]["rules"])
        assert cells[5] == LENS.evidence(bp) and cells[5]
    assert set(parser.framework) == RULE_FRAMEWORK
    # findings of framework-only rules are grouped under their framework practice, not "(no lens ...)"
    assert "(no lens best practice)" not in html
    assert "Implement cost controls (Well-Architected Framework)" in html  # LZ-COST-001: framework only


def test_markdown_and_json_reports_carry_the_matrix():
    result = _result()
    md = writer_for("markdown").render(result).decode("utf-8")
    assert "## Lens coverage" in md and STATE_LABEL[PROCESS] in md and "Red-team" not in md
    assert "red-team and adversarial test reports" in md
    assert "## Well-Architected Framework best practices checked" in md
    doc = json.loads(writer_for("json").render(result))
    validate_data("report.schema.json", doc, "report.json")
    assert all(row["evidence"] for row in doc["lens_coverage"])
    assert {r["id"] for r in doc["framework_coverage"]} == RULE_FRAMEWORK


def test_framework_only_findings_stay_traceable_in_json_and_sarif():
    result = _result()
    doc = json.loads(writer_for("json").render(result))
    cost = [f for f in doc["findings"] if f["rule_id"] == "LZ-COST-001"]
    assert cost and all(f["lens"] == [] and f["framework"] == ["COST02-BP05"] for f in cost)
    sarif = json.loads(writer_for("sarif").render(result))
    (rule,) = [r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "LZ-COST-001"]
    assert rule["properties"]["framework"] == ["COST02-BP05"] and "COST02-BP05" in rule["properties"]["tags"]
    assert rule["helpUri"] == FRAMEWORK.url("COST02-BP05")
    assert "Well-Architected Framework" in rule["help"]["markdown"]
