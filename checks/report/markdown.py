"""The Markdown report: verdict, summary by pillar, failures first, lens coverage."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

from checks.model import Finding, Status, report_pillars
from checks.report import ReportWriter
from checks.report.document import evidence
from checks.report.helpers import COVERAGE_LABEL, evidence_items, md_cell, pillar_title, value_text
from checks.report.helpers import md_cell as cell
from checks.report.helpers import md_code as code

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

_STATUS_COLUMNS = ("fail", "unknown", "waived", "pass", "not_applicable")


def _best_practices(f: Finding) -> str:
    """The lens best practices of a finding, then the framework ones its rule or check maps to."""
    ids = list(f.lens) + [bp for bp in f.framework if bp not in f.lens]
    return cell(", ".join(ids)) if ids else "-"


def _finding_lines(findings: Iterable[Finding]) -> list[str]:
    lines = ["| severity | rule | lens best practice | resource | evidence | message |", "|---|---|---|---|---|---|"]
    for f in findings:
        ev = f"{code(f.path)} = {code(value_text(f.value))}" if f.path else ""
        if f.via:
            ev += f" via {code(f.via)}"
        lines.append(f"| {cell(f.severity)} | {cell(f.rule_id)} {cell(f.title)} | {_best_practices(f)} | "
                     f"{code(f.address)} | {ev} | "
                     f"{cell(f.message)} |")
    return lines


class MarkdownWriter(ReportWriter, format="markdown", extension="md"):
    def render(self, result: "CheckResult") -> bytes:
        ev = evidence(result, self.options)
        verdict = result.verdict
        counts = result.counts()
        out: list[str] = ["# GenAI Lens compliance report", ""]
        state = "PASSED" if verdict.passed else "FAILED"
        out.append(
            f"**Gate {state}**: {len(verdict.blocking)} finding(s) at or above `{verdict.fail_on}`"
            f"{' (unknown counts as failure)' if verdict.unknown_fails else ''}."
        )
        out += ["", f"**Scope**: `{verdict.scope}`"
                + (" (a module or one stack of an account: account-level rules are not applicable)"
                   if verdict.scope == "stack" else " (a whole workload account)")]
        out += ["", "## Evidence", ""]
        plan, policy = ev["plan"], ev["policy"]
        out += [
            f"- Plan: {code(plan['source'])} sha256 `{plan['sha256']}` ({plan['kind']}, format "
            f"{cell(plan['format_version'])}, Terraform {cell(plan['terraform_version'])}, {plan['resources']} "
            f"resources, {plan['deleted']} deleted)",
            f"- Providers: {cell(', '.join(f'{k} {v}' for k, v in plan['provider_versions'].items()) or 'none recorded')}",
            f"- Policy pack {cell(policy['pack_version'])}, {policy['rules']} rules, lens {cell(policy['lens']['version'])}",
            f"- Params {code(policy['params_file'])} sha256 `{policy['params_sha256']}`",
            f"- Waivers {code(policy['waivers_file'])} sha256 `{policy['waivers_sha256']}`",
        ]
        for key in sorted(k for k in ev if k not in ("plan", "policy", "tool", "generated_at")):
            items = evidence_items(ev[key])  # readable pairs; a long list elides whole items
            if len(items) == 1 and not items[0][0]:
                out.append(f"- {cell(key)}: {cell(items[0][1])}")
            else:
                out.append(f"- {cell(key)}:")
                out += [f"  - {cell(k)}: {cell(v)}" for k, v in items]
        if "generated_at" in ev:
            out.append(f"- Generated at {ev['generated_at']}")
        out += ["", "## Summary by pillar", "", "| pillar | " + " | ".join(_STATUS_COLUMNS) + " |",
                "|---|" + "---:|" * len(_STATUS_COLUMNS)]
        pillars = report_pillars(counts)
        for pillar in pillars:
            row = counts[pillar]
            out.append(f"| {pillar_title(pillar)} | " + " | ".join(str(row[s]) for s in _STATUS_COLUMNS) + " |")
        failing = [f for f in result.findings if f.status in (Status.FAIL, Status.UNKNOWN)]
        out += ["", f"## Failures and unknowns ({len(failing)})", ""]
        if failing:
            by_pillar: dict[str, list[Finding]] = defaultdict(list)
            for f in failing:
                by_pillar[f.pillar].append(f)
            for pillar in pillars:
                if by_pillar.get(pillar):
                    out += [f"### {pillar_title(pillar)}", ""] + _finding_lines(by_pillar[pillar]) + [""]
            remediations = {f.rule_id: f.remediation for f in failing if f.remediation}
            out += ["### Remediation", ""]
            out += [f"- **{cell(rid)}**: {cell(text)}" for rid, text in sorted(remediations.items())]
        else:
            out.append("None.")
        waived = [f for f in result.findings if f.status is Status.WAIVED]
        out += ["", f"## Waived ({len(waived)})", ""]
        if waived:
            out += ["| rule | resource | approved by | expires | justification |", "|---|---|---|---|---|"]
            for f in waived:
                w = f.waiver or {}
                out.append(f"| {cell(f.rule_id)} | {code(f.address)} | {cell(w.get('approved_by', ''))} | "
                           f"{cell(w.get('expires', ''))} | {cell(w.get('justification', ''))} |")
        else:
            out.append("None.")
        if result.waivers_expired:
            out += ["", "**Expired waivers (no longer applied):**", ""]
            out += [f"- {cell(w.rule)} on {code(w.resource)} expired {w.expires.isoformat()} "
                    f"(approved by {cell(w.approved_by)})" for w in result.waivers_expired]
        use = result.waiver_use()
        if use:
            out += ["", "**Waivers and the findings each covered:**", "",
                    "| state | rule | resource | approved by | expires | findings covered |", "|---|---|---|---|---|---:|"]
            out += [f"| {state} | {cell(w.rule)} | {code(w.resource)} | {cell(w.approved_by)} | "
                    f"{w.expires.isoformat()} | {covered} |" for state, w, covered in use]
        passed: dict[str, int] = defaultdict(int)
        for f in result.findings:
            if f.status is Status.PASS:
                passed[f"{f.rule_id} {f.title}"] += 1
        out += ["", f"## Passed ({sum(passed.values())})", ""]
        out += [f"- {cell(name)}: {n} resource(s)" for name, n in sorted(passed.items())] or ["None."]
        out += ["", coverage_markdown(result.coverage(), result.framework_coverage(), level=2)]
        if result.rule_errors:
            out += ["", "## Rule errors (reported as unknown)", ""] + [f"- {cell(e)}" for e in result.rule_errors]
        if result.extra.get("cost"):
            from checks.report.cost_section import markdown as cost_markdown

            out += ["", cost_markdown(result.extra["cost"])]
        for section in self.options.get("extra_markdown", ()):
            out += ["", section]
        return ("\n".join(out) + "\n").encode("utf-8")


def coverage_markdown(lens_rows: list[dict[str, Any]], framework_rows: list[dict[str, Any]], level: int = 2) -> str:
    """The coverage matrix as Markdown: the lens table (rules or evidence), then the framework table."""
    from checks.coverage import counts

    head = "#" * level
    tally = counts(lens_rows)
    out = [f"{head} Lens coverage", "",
           f"{tally['assessed']} best practices checked by rules, {tally['not_covered']} plan-assessable without a rule "
           f"yet, {tally['not_assessable_from_plan']} process controls not visible in a plan. A plan shows "
           "configuration, never the process around it: ask for the evidence listed, also for checked practices.", "",
           "| best practice | title | state | rules | evidence to ask for |", "|---|---|---|---|---|"]
    for bp in lens_rows:
        out.append(f"| [{md_cell(bp['id'])}]({bp['url']}) | {md_cell(bp['title'])} | {COVERAGE_LABEL[bp['state']]} | "
                   f"{md_cell(', '.join(bp['rules'])) or '-'} | {md_cell(bp['evidence'])} |")
    out += ["", f"{head} Well-Architected Framework best practices checked", "",
            "Rules whose control no Generative AI Lens best practice describes map to the framework.", "",
            "| best practice | title | pillar | rules |", "|---|---|---|---|"]
    out += [f"| [{md_cell(bp['id'])}]({bp['url']}) | {md_cell(bp['title'])} | {md_cell(pillar_title(bp['pillar']))} | "
            f"{md_cell(', '.join(bp['rules']))} |" for bp in framework_rows] or ["| - | none | | |"]
    return "\n".join(out)

