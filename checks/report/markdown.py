"""The Markdown report: verdict, summary by pillar, failures first, lens coverage."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from checks.model import Finding, Status, report_pillars
from checks.report import ReportWriter
from checks.report.document import evidence
from checks.report.helpers import md_cell as cell
from checks.report.helpers import md_code as code
from checks.report.helpers import pillar_title, value_text

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

_STATUS_COLUMNS = ("fail", "unknown", "waived", "pass", "not_applicable")


def _finding_lines(findings: Iterable[Finding]) -> list[str]:
    lines = ["| severity | rule | resource | evidence | message |", "|---|---|---|---|---|"]
    for f in findings:
        ev = f"{code(f.path)} = {code(value_text(f.value))}" if f.path else ""
        if f.via:
            ev += f" via {code(f.via)}"
        lines.append(f"| {cell(f.severity)} | {cell(f.rule_id)} {cell(f.title)} | {code(f.address)} | {ev} | "
                     f"{cell(f.message)} |")
    return lines


class MarkdownWriter(ReportWriter):
    format = "markdown"
    extension = "md"

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
            out.append(f"- {cell(key)}: {cell(value_text(ev[key], 200))}")
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
        out += ["", "## Lens coverage", "", "| best practice | title | state | rules |", "|---|---|---|---|"]
        for row in result.coverage():
            state = {"assessed": "assessed", "not_covered": "plan-assessable, no rule yet",
                     "not_assessable_from_plan": "not assessable from a plan"}[row["state"]]
            out.append(f"| [{cell(row['id'])}]({row['url']}) | {cell(row['title'])} | {state} | "
                       f"{cell(', '.join(row['rules']))} |")
        if result.rule_errors:
            out += ["", "## Rule errors (reported as unknown)", ""] + [f"- {cell(e)}" for e in result.rule_errors]
        if result.extra.get("cost"):
            from checks.report.cost_section import markdown as cost_markdown

            out += ["", cost_markdown(result.extra["cost"])]
        for section in self.options.get("extra_markdown", ()):
            out += ["", section]
        return ("\n".join(out) + "\n").encode("utf-8")
