"""The HTML report: one self-contained file an auditor opens, e-mails or prints.

No external assets and no JavaScript: inline CSS (with a print stylesheet) and inline
SVG. Sections: verdict banner; scorecard per pillar (counts and a bar chart); the cost
estimate when one was made; findings grouped by pillar and lens best practice, failures
first, each with address, module, attribute path, planned value (masked by the engine when
sensitive), message, remediation and the lens link; waivers (owner, justification,
expiry; expired ones highlighted); lens coverage, including the best practices a plan
cannot show; the evidence (plan sha256, Terraform and provider versions, policy pack,
params and waivers sha256, generation time).

The page is the Jinja2 template templates/report.html (with templates/report.css) rendered
with autoescape on: everything from the plan, the rules or the policy data is escaped by
the template engine; this module only prepares the data. The cost section's fragment is
the one piece of markup passed in as trusted: checks/report/cost_section.py renders it
from templates/cost.html, with autoescape on as well.
Passing findings are aggregated per rule (a count and a collapsed list of at most
:data:`PASS_LIST_LIMIT` addresses, then "+N more"), so that a 50,000-resource plan gives
a report of a size a browser opens at once.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from checks.coverage import counts as coverage_state_counts
from checks.model import PILLARS, Finding
from checks.registry import load_framework
from checks.report import ReportWriter
from checks.report.document import evidence
from checks.report.helpers import COVERAGE_LABEL, evidence_items, jinja_environment

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from checks.engine import CheckResult

PASS_LIST_LIMIT = 200
FAIL_ROWS_LIMIT = 2000  # per rule; the JSON report has every finding
EXPIRY_WARNING_DAYS = 30
STATUS_ORDER = ("fail", "unknown", "waived", "pass", "not_applicable")
STATUS_LABEL = {"fail": "Fail", "unknown": "Unknown", "waived": "Waived", "pass": "Pass", "not_applicable": "N/A"}
STATUS_COLOR = {"fail": "#c62828", "unknown": "#e07b00", "waived": "#6d5bd0", "pass": "#2e7d32",
                "not_applicable": "#9aa0a6"}
SEVERITY_COLOR = {"critical": "#7f0000", "high": "#c62828", "medium": "#e07b00", "low": "#1565c0", "info": "#5f6368"}
NO_LENS = "(no lens best practice)"


@lru_cache(maxsize=1)
def template() -> "jinja2.Template":
    """The page template, compiled once per process (autoescape on, undefined names fail)."""
    env = jinja_environment().overlay()
    env.globals.update(
        STATUS_ORDER=STATUS_ORDER, STATUS_LABEL=STATUS_LABEL, STATUS_COLOR=STATUS_COLOR, SEVERITY_COLOR=SEVERITY_COLOR,
        COVERAGE_LABEL=COVERAGE_LABEL, NO_LENS=NO_LENS, PASS_LIST_LIMIT=PASS_LIST_LIMIT,
        FAIL_ROWS_LIMIT=FAIL_ROWS_LIMIT, EXPIRY_WARNING_DAYS=EXPIRY_WARNING_DAYS,
        status_total=_status_total, largest_total=lambda pillars, counts: max(
            (_status_total(counts[p]) for p in pillars), default=0),
    )
    return env.get_template("report.html")


def _status_total(counts: Mapping[str, int]) -> int:
    return sum(counts.get(s, 0) for s in STATUS_ORDER)


def _worst(findings: Iterable[Finding]) -> int:
    """Rank of the worst status among ``findings`` (0 = fail ... 4 = not applicable)."""
    return min((STATUS_ORDER.index(f.status.value) for f in findings), default=len(STATUS_ORDER))


class HtmlWriter(ReportWriter, format="html", extension="html"):
    def render(self, result: "CheckResult") -> bytes:
        from markupsafe import Markup

        ev = evidence(result, self.options)
        verdict = result.verdict
        counts = result.counts()
        pillars = list(PILLARS) + sorted(p for p in counts if p not in PILLARS and _status_total(counts[p]) > 0)
        cost = result.extra.get("cost")
        cost_fragment = self._cost_fragment(cost) if cost else ""
        coverage = result.coverage()
        coverage_counts = coverage_state_counts(coverage)
        sections = _sections(result, pillars, counts)
        waivers = _waiver_rows(result)
        page = template().render(
            ev=ev, plan=ev["plan"], lens=result.lens, verdict=verdict,
            gate=f"gate: severity ≥ {verdict.fail_on}" + (", unknown counts as failure" if verdict.unknown_fails else "")
            + f"; scope {verdict.scope}" + (" (account-level rules not applicable)" if verdict.scope == "stack" else ""),
            totals={s: sum(counts[p][s] for p in pillars) for s in STATUS_ORDER},
            resources=len(result.plan), rules=len(result.rules), deleted=len(result.plan.deleted),
            pillars=pillars, counts=counts, cards=[_card(p, counts[p]) for p in pillars],
            cost_fragment=Markup(cost_fragment),  # trusted: rendered by templates/cost.html (autoescape)
            sections=sections, toc=_toc(sections, bool(cost_fragment), bool(waivers), bool(result.rule_errors)),
            waivers=waivers, today=result.today.isoformat(),
            coverage=coverage, coverage_counts=coverage_counts, framework=load_framework(),
            framework_coverage=result.framework_coverage(),
            evidence_rows=_evidence_rows(ev), rule_errors=result.rule_errors,
        )
        return page.encode("utf-8")

    @staticmethod
    def _cost_fragment(cost: Any) -> str:
        try:
            from checks.report import cost_section
        except ModuleNotFoundError as exc:  # the cost section is another module's; absent -> no section
            if exc.name == "checks.report.cost_section":
                return ""
            raise
        return str(cost_section.html(cost) or "")


def _card(pillar: str, row: Mapping[str, int]) -> dict[str, Any]:
    decided = row["pass"] + row["fail"] + row["unknown"]
    if not sum(row.values()):
        cls, score = "empty", "—"
    else:
        cls = "has-fail" if row["fail"] or row["unknown"] else "clean"
        score = f"{round(100 * row['pass'] / decided)}%" if decided else "—"
    return {"pillar": pillar, "row": row, "cls": cls, "score": score}


def _sections(result: "CheckResult", pillars: list[str], counts: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    """pillar -> best practice -> rule, each level ordered worst first."""
    tree: dict[str, dict[str, dict[str, list[Finding]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for f in result.findings:
        group = f.lens[0] if f.lens else next(iter(f.framework), NO_LENS)  # no lens practice fits: its framework one
        tree[f.pillar][group][f.rule_id].append(f)
    sections = []
    for pillar in pillars:
        bps = tree.get(pillar)
        if not bps:
            continue
        ordered = sorted(bps, key=lambda bp: (_worst(f for fs in bps[bp].values() for f in fs), bp))
        sections.append({"pillar": pillar, "counts": counts[pillar], "bps": [
            {"id": bp, "rules": [_rule(bps[bp][r]) for r in sorted(bps[bp], key=lambda r: (_worst(bps[bp][r]), r))]}
            for bp in ordered]})
    return sections


def _rule(findings: list[Finding]) -> dict[str, Any]:
    by_status: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_status[f.status.value].append(f)
    listed = [(status, label, by_status[status]) for status, label in (("pass", "pass"), ("not_applicable", "not applicable"))
              if by_status.get(status)]
    return {"first": findings[0], "worst": STATUS_ORDER[_worst(findings)],
            "problems": by_status.get("fail", []) + by_status.get("unknown", []),
            "waived": by_status.get("waived", []), "listed": listed}


def _waiver_rows(result: "CheckResult") -> list[dict[str, Any]]:
    today = result.today
    rows = []
    for state, waiver, covered in result.waiver_use():
        cls, label = "", state
        if state == "expired":
            cls, label = "expired", "EXPIRED"
        elif waiver.expires - today <= dt.timedelta(days=EXPIRY_WARNING_DAYS):
            cls, label = "expiring", f"{state}, expires in {(waiver.expires - today).days} days"
        rows.append({"waiver": waiver, "cls": cls, "label": label, "used": covered})
    return rows


def _toc(sections: list[dict[str, Any]], cost: bool, waivers: bool, rule_errors: bool) -> list[dict[str, Any]]:
    """The table of contents: (anchor, title, sub-entries) in page order."""
    entries: list[dict[str, Any]] = [
        {"id": "verdict", "title": "Verdict", "children": []},
        {"id": "findings", "title": "Findings", "children": [
            {"id": f"pillar-{s['pillar']}", "title": s["pillar"]} for s in sections]},
        {"id": "scorecard", "title": "Scorecard by pillar", "children": []},
        {"id": "waivers", "title": "Waivers" if waivers else "Waivers (none)", "children": []},
    ]
    if cost:
        entries.append({"id": "cost", "title": "Monthly cost estimate", "children": []})
    entries += [{"id": "coverage", "title": "Lens coverage", "children": [
                    {"id": "framework-coverage", "title": "Well-Architected Framework"}]},
                {"id": "evidence", "title": "Evidence", "children": []}]
    if rule_errors:
        entries.append({"id": "rule-errors", "title": "Rule errors", "children": []})
    return entries


def _evidence_rows(ev: Mapping[str, Any]) -> list[tuple[str, Any]]:
    plan, policy = ev["plan"], ev["policy"]
    providers = ", ".join(f"{k} {v}" for k, v in plan["provider_versions"].items()) or "none recorded"
    rows: list[tuple[str, Any]] = [
        ("Plan file", plan["source"]),
        ("Plan sha256", plan["sha256"]),
        ("Plan kind / format", f"{plan['kind']} / {plan['format_version']}"),
        ("Terraform version", plan["terraform_version"]),
        ("Provider versions", providers),
        ("Resources judged / deleted", f"{plan['resources']} / {plan['deleted']}"),
        ("Policy pack version", policy["pack_version"]),
        ("Lens", f"{policy['lens']['name']} ({policy['lens']['version']})"),
        ("Rules", policy["rules"]),
        ("Params file", policy["params_file"]),
        ("Params sha256", policy["params_sha256"]),
        ("Waivers file", policy["waivers_file"]),
        ("Waivers sha256", policy["waivers_sha256"]),
        ("Tool", f"{ev['tool']['name']} {ev['tool']['version']}"),
    ]
    # other evidence (checkov's run record): readable key/value pairs, no value cut
    rows += [(key, evidence_items(ev[key])) for key in sorted(k for k in ev if k not in ("plan", "policy", "tool", "generated_at"))]
    if "generated_at" in ev:
        rows.append(("Generated at", ev["generated_at"]))
    return rows
