"""The HTML report: one self-contained file an auditor opens, e-mails or prints.

No external assets and no JavaScript: inline CSS (with a print stylesheet) and inline
SVG. Sections: verdict banner; scorecard per pillar (counts and a bar chart); the cost
estimate when one was made; findings grouped by pillar and lens best practice, failures
first, each with address, module, attribute path, planned value (masked by the engine when
sensitive), message, remediation and the lens link; waivers (owner, justification,
expiry; expired ones highlighted); lens coverage, including the best practices a plan
cannot show; the evidence (plan sha256, Terraform and provider versions, policy pack,
params and waivers sha256, generation time).

Everything from the plan, the rules or the policy data is escaped with ``html.escape``.
Passing findings are aggregated per rule (a count and a collapsed list of at most
:data:`PASS_LIST_LIMIT` addresses, then "+N more"), so that a 50,000-resource plan gives
a report of a size a browser opens at once.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from html import escape
from typing import TYPE_CHECKING, Any, Iterable

from checks.model import PILLAR_TITLES, PILLARS, Finding, Status
from checks.report import ReportWriter
from checks.report.document import evidence

if TYPE_CHECKING:  # pragma: no cover
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

CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--fail:#c62828;--unknown:#e07b00;
--waived:#6d5bd0;--pass:#2e7d32;--na:#9aa0a6;--accent:#232f3e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:0 24px 48px}
header.top{background:var(--accent);color:#fff;padding:18px 0 14px}
header.top .inner{max-width:1180px;margin:0 auto;padding:0 24px;display:flex;justify-content:space-between;
align-items:flex-end;gap:16px;flex-wrap:wrap}
header.top h1{margin:0;font-size:22px;font-weight:600;letter-spacing:.2px}
header.top .sub{color:#c9d1d9;font-size:13px}
header.top .meta{font-size:12px;color:#c9d1d9;text-align:right}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:22px 0 8px}
h4{font-size:14px;margin:0}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
.banner{margin:20px 0 8px;border-radius:10px;padding:18px 22px;color:#fff;display:flex;gap:22px;align-items:center;
flex-wrap:wrap}
.banner.pass{background:linear-gradient(90deg,#1b5e20,#2e7d32)}.banner.fail{background:linear-gradient(90deg,#8e1b1b,#c62828)}
.banner .verdict{font-size:26px;font-weight:700;letter-spacing:.5px}
.banner .why{font-size:14px;opacity:.95;flex:1;min-width:280px}
.banner .totals{display:flex;gap:14px;flex-wrap:wrap}
.banner .totals div{background:rgba(255,255,255,.15);border-radius:8px;padding:6px 12px;text-align:center;min-width:74px}
.banner .totals b{display:block;font-size:20px}
.banner .totals span{font-size:11px;text-transform:uppercase;letter-spacing:.6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card h4{display:flex;justify-content:space-between;align-items:baseline}
.card .score{font-size:22px;font-weight:700}
.card .counts{display:flex;gap:10px;flex-wrap:wrap;margin-top:6px;font-size:12.5px;color:var(--muted)}
.card .counts b{color:var(--ink)}
.card.has-fail{border-top:4px solid var(--fail)}.card.clean{border-top:4px solid var(--pass)}
.card.empty{border-top:4px solid var(--na)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;margin-top:12px}
.legend{display:flex;gap:14px;font-size:12px;color:var(--muted);flex-wrap:wrap;margin-top:4px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;font-weight:600;color:#fff;
white-space:nowrap;line-height:19px}
.st-fail{background:var(--fail)}.st-unknown{background:var(--unknown)}.st-waived{background:var(--waived)}
.st-pass{background:var(--pass)}.st-not_applicable{background:var(--na)}
.sev{display:inline-block;border:1px solid;border-radius:4px;padding:0 5px;font-size:11px;font-weight:600;
text-transform:uppercase;letter-spacing:.3px;line-height:17px}
section.pillar{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:4px 18px 14px;margin:14px 0}
section.pillar>h3{display:flex;justify-content:space-between;align-items:center}
.bp{border-top:1px solid var(--line);padding:10px 0 4px}
.bp>h4 a{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.bp .bptitle{color:var(--muted);font-weight:400}
.rule{margin:10px 0 6px 14px;padding-left:12px;border-left:3px solid var(--line)}
.rule.r-fail{border-left-color:var(--fail)}.rule.r-unknown{border-left-color:var(--unknown)}
.rule.r-waived{border-left-color:var(--waived)}.rule.r-pass{border-left-color:var(--pass)}
.rule .head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.rule .rid{font-weight:600}
.remediation{background:#fff8e1;border:1px solid #f3d27a;border-radius:6px;padding:6px 10px;margin:6px 0;font-size:13px}
.source{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 4px}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}
th{background:var(--bg);font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.3px}
td.addr{word-break:break-all;min-width:200px}
td.bpid{white-space:nowrap}
td.val{word-break:break-all;max-width:280px}
tr.expired td{background:#fdecea}tr.expiring td{background:#fff4e5}
details{margin:4px 0}
summary{cursor:pointer;color:var(--muted);font-size:13px}
details ul{columns:2;font-size:12px;margin:6px 0;padding-left:18px}
.passline{font-size:13px;color:var(--pass);font-weight:600}
.muted{color:var(--muted)}
.note{font-size:12.5px;color:var(--muted)}
dl.evidence{display:grid;grid-template-columns:220px 1fr;gap:4px 16px;background:var(--card);
border:1px solid var(--line);border-radius:10px;padding:14px 18px;margin:0}
dl.evidence dt{color:var(--muted)}dl.evidence dd{margin:0;word-break:break-all}
.cov-assessed{color:var(--pass);font-weight:600}.cov-not_covered{color:var(--unknown);font-weight:600}
.cov-not_assessable_from_plan{color:var(--muted)}
footer{margin-top:36px;font-size:12px;color:var(--muted);text-align:center}
@media print{
  @page{size:A4;margin:14mm 12mm}
  body{background:#fff;font-size:11px}
  main{max-width:none;padding:0}
  header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:0 0 6px}
  header.top .sub,header.top .meta{color:#333}
  .banner{color:#000;border:3px solid;background:#fff!important}
  .banner.fail{border-color:var(--fail)}.banner.pass{border-color:var(--pass)}
  .banner .totals div{border:1px solid #999;background:#fff}
  .card,.chart,section.pillar,dl.evidence{border-color:#999;break-inside:avoid}
  section.pillar{break-inside:auto}
  .rule,tr{break-inside:avoid}
  h2,h3{break-after:avoid}
  .badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:#000}
  a[href^="http"]::after{content:" <" attr(href) ">";font-size:9px;color:#555;word-break:break-all}
  details>summary{list-style:none}
}
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _value(value: Any) -> str:
    from checks.report.markdown import value_text

    return value_text(value, 300)


def _pillar_title(pillar: str) -> str:
    return PILLAR_TITLES.get(pillar, pillar.replace("_", " ").capitalize())


def _badge(status: str) -> str:
    return f'<span class="badge st-{e(status)}">{e(STATUS_LABEL.get(status, status))}</span>'


def _sev(severity: str) -> str:
    color = SEVERITY_COLOR.get(severity, "#5f6368")
    return f'<span class="sev" style="color:{color};border-color:{color}">{e(severity)}</span>'


def _stacked_bar(counts: dict[str, int], width: int, height: int, total: int | None = None,
                 label: str = "") -> str:
    """Inline SVG: one horizontal bar, a segment per status (scaled to ``total``)."""
    scale_total = total if total else sum(counts[s] for s in STATUS_ORDER)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" aria-label="{e(label)}">',
             f'<rect x="0" y="0" width="{width}" height="{height}" rx="3" fill="#eef1f4"/>']
    x = 0.0
    if scale_total:
        for status in STATUS_ORDER:
            n = counts.get(status, 0)
            if not n:
                continue
            w = width * n / scale_total
            parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{STATUS_COLOR[status]}">'
                         f'<title>{e(STATUS_LABEL[status])}: {n}</title></rect>')
            x += w
    parts.append("</svg>")
    return "".join(parts)


def _chart(pillars: list[str], counts: dict[str, dict[str, int]]) -> str:
    """Inline SVG bar chart: one stacked bar per pillar, scaled to the largest pillar."""
    label_w, bar_w, row_h, bar_h, right = 200, 640, 30, 18, 150
    width = label_w + bar_w + right
    height = row_h * len(pillars) + 8
    biggest = max((sum(counts[p].values()) for p in pillars), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="barchart" width="100%" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="Findings per pillar and status" font-family="sans-serif" font-size="13">']
    for i, pillar in enumerate(pillars):
        y = 4 + i * row_h
        row = counts[pillar]
        total = sum(row.values())
        out.append(f'<text x="{label_w - 10}" y="{y + bar_h - 4}" text-anchor="end" fill="#1f2328">'
                   f'{e(_pillar_title(pillar))}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" rx="3" fill="#f1f3f5"/>')
        x = float(label_w)
        for status in STATUS_ORDER:
            n = row.get(status, 0)
            if not n:
                continue
            w = bar_w * n / biggest
            out.append(f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{bar_h}" fill="{STATUS_COLOR[status]}">'
                       f'<title>{e(_pillar_title(pillar))}: {n} {e(STATUS_LABEL[status].lower())}</title></rect>')
            x += w
        summary = f"{row.get('fail', 0)} fail · {row.get('pass', 0)} pass" if total else "no findings"
        out.append(f'<text x="{label_w + bar_w + 10}" y="{y + bar_h - 4}" fill="#59636e">{e(summary)}</text>')
    out.append("</svg>")
    return "".join(out)


def _worst(findings: Iterable[Finding]) -> int:
    """Rank of the worst status among ``findings`` (0 = fail ... 4 = not applicable)."""
    return min((STATUS_ORDER.index(f.status.value) for f in findings), default=len(STATUS_ORDER))


class HtmlWriter(ReportWriter):
    format = "html"
    extension = "html"

    def render(self, result: "CheckResult") -> bytes:
        ev = evidence(result, self.options)
        verdict = result.verdict
        counts = result.counts()
        pillars = [p for p in PILLARS] + sorted(p for p in counts if p not in PILLARS and sum(counts[p].values()))
        totals = {s: sum(counts[p][s] for p in pillars) for s in STATUS_ORDER}
        out: list[str] = []
        w = out.append
        plan = ev["plan"]
        title = f"GenAI Lens compliance report: {plan['source']}"
        w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          f"<title>{e(title)}</title><style>{CSS}</style></head><body>")
        generated = ev.get("generated_at")
        w('<header class="top"><div class="inner"><div><h1>Generative AI Lens compliance report</h1>'
          f'<div class="sub">{e(result.lens.name)} · plan <code>{e(plan["source"])}</code></div></div>'
          f'<div class="meta">sha256 <span class="mono">{e(plan["sha256"][:16])}…</span><br>'
          f'{e("generated " + generated if generated else "genai-lz " + ev["tool"]["version"])}</div>'
          '</div></header><main>')

        # -- verdict -------------------------------------------------------------------------
        state = "pass" if verdict.passed else "fail"
        gate = f"gate: severity ≥ {verdict.fail_on}" + (", unknown counts as failure" if verdict.unknown_fails else "") \
            + f"; scope {verdict.scope}" + (" (account-level rules not applicable)" if verdict.scope == "stack" else "")
        if verdict.passed:
            why = f"No finding at or above <b>{e(verdict.fail_on)}</b> fails. {e(gate)}."
        else:
            why = (f"<b>{len(verdict.blocking)}</b> finding(s) at or above <b>{e(verdict.fail_on)}</b> block the gate "
                   f"({e(gate)}).")
        w(f'<section class="banner {state}" id="verdict"><div class="verdict">GATE {"PASSED" if verdict.passed else "FAILED"}'
          f'</div><div class="why">{why}</div><div class="totals">')
        for status in STATUS_ORDER:
            w(f'<div><b>{totals[status]}</b><span>{e(STATUS_LABEL[status])}</span></div>')
        w("</div></section>")
        w(f'<p class="note">{len(result.plan)} resources judged by {len(result.rules)} rules'
          f'{" (" + str(len(result.plan.deleted)) + " deleted, not judged)" if result.plan.deleted else ""}.</p>')

        # -- scorecard -----------------------------------------------------------------------
        w('<h2 id="scorecard">Scorecard by pillar</h2><div class="grid">')
        for pillar in pillars:
            row = counts[pillar]
            decided = row["pass"] + row["fail"] + row["unknown"]
            if not sum(row.values()):
                cls, score = "empty", "—"
            else:
                cls = "has-fail" if row["fail"] or row["unknown"] else "clean"
                score = f"{round(100 * row['pass'] / decided)}%" if decided else "—"
            w(f'<div class="card {cls}" data-pillar="{e(pillar)}"><h4><span>{e(_pillar_title(pillar))}</span>'
              f'<span class="score" title="passing share of decided findings">{e(score)}</span></h4>')
            w(_stacked_bar(row, 218, 10, label=f"{_pillar_title(pillar)} findings by status"))
            w('<div class="counts">' + "".join(
                f'<span>{e(STATUS_LABEL[s].lower())} <b>{row[s]}</b></span>' for s in ("pass", "fail", "unknown", "waived"))
              + (f'<span>n/a <b>{row["not_applicable"]}</b></span>' if row["not_applicable"] else "") + "</div></div>")
        w('</div><div class="chart">' + _chart(pillars, counts) + '<div class="legend">' + "".join(
            f'<span><i style="background:{STATUS_COLOR[s]}"></i>{e(STATUS_LABEL[s])}</span>' for s in STATUS_ORDER)
          + "</div></div>")

        # -- cost (another module renders it when the check made an estimate) -----------------
        if result.extra.get("cost"):
            fragment = self._cost_fragment(result.extra["cost"])
            if fragment:
                w('<section id="cost" class="cost-section">' + fragment + "</section>")

        # -- findings ------------------------------------------------------------------------
        w('<h2 id="findings">Findings by pillar and lens best practice</h2>')
        w('<p class="note">Failures first. Passing resources are counted per rule; open a list to see them. '
          'Values marked sensitive in the plan are never shown.</p>')
        self._findings(result, pillars, w)

        # -- waivers -------------------------------------------------------------------------
        self._waivers(result, w)

        # -- lens coverage -------------------------------------------------------------------
        coverage = result.coverage()
        n_state = defaultdict(int)
        for row in coverage:
            n_state[row["state"]] += 1
        w('<h2 id="coverage">Lens coverage</h2>'
          f'<p class="note">{n_state["assessed"]} best practices assessed by rules, {n_state["not_covered"]} '
          f'assessable from a plan but without a rule yet, {n_state["not_assessable_from_plan"]} not assessable '
          'from a plan (process, data or runtime practices: review them outside this report).</p>')
        state_label = {"assessed": "assessed", "not_covered": "plan-assessable, no rule yet",
                       "not_assessable_from_plan": "not assessable from a plan"}
        w("<table><thead><tr><th>Best practice</th><th>Title</th><th>Pillar</th><th>State</th><th>Rules</th>"
          "</tr></thead><tbody>")
        for row in coverage:
            w(f'<tr><td class="mono bpid"><a href="{e(row["url"])}">{e(row["id"])}</a></td><td>{e(row["title"])}</td>'
              f'<td>{e(_pillar_title(row["pillar"]))}</td><td class="cov-{e(row["state"])}">'
              f'{e(state_label.get(row["state"], row["state"]))}</td><td class="mono">{e(", ".join(row["rules"]))}</td></tr>')
        w("</tbody></table>")

        # -- evidence ------------------------------------------------------------------------
        self._evidence(ev, w)
        if result.rule_errors:
            w('<h2 id="rule-errors">Rule errors (reported as unknown)</h2><ul>'
              + "".join(f"<li><code>{e(x)}</code></li>" for x in result.rule_errors) + "</ul>")
        w(f'<footer>genai-lz {e(ev["tool"]["version"])} · policy pack {e(ev["policy"]["pack_version"])} · '
          f'{e(result.lens.name)} ({e(result.lens.version)})</footer></main></body></html>\n')
        return "".join(out).encode("utf-8")

    # ----------------------------------------------------------------------------------
    @staticmethod
    def _cost_fragment(cost: Any) -> str:
        try:
            from checks.report import cost_section  # type: ignore[attr-defined]
        except ModuleNotFoundError as exc:  # the cost section is another module's; absent -> no section
            if exc.name == "checks.report.cost_section":
                return ""
            raise
        return str(cost_section.html(cost) or "")

    def _findings(self, result: "CheckResult", pillars: list[str], w: Any) -> None:
        lens = result.lens
        # pillar -> best practice -> rule id -> findings
        tree: dict[str, dict[str, dict[str, list[Finding]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for f in result.findings:
            bp = f.lens[0] if f.lens else NO_LENS
            tree[f.pillar][bp][f.rule_id].append(f)
        for pillar in pillars:
            bps = tree.get(pillar)
            if not bps:
                continue
            counts = result.counts()[pillar]
            w(f'<section class="pillar" id="pillar-{e(pillar)}"><h3><span>{e(_pillar_title(pillar))}</span>'
              f'<span>{"".join(_badge(s) + " " + str(counts[s]) + " " for s in ("fail", "unknown") if counts[s])}</span></h3>')
            ordered_bps = sorted(bps, key=lambda bp: (_worst(f for fs in bps[bp].values() for f in fs), bp))
            for bp in ordered_bps:
                rules = bps[bp]
                if bp == NO_LENS:
                    head = f'<h4>{e(NO_LENS)}</h4>'
                else:
                    head = (f'<h4><a href="{e(lens.url(bp))}">{e(bp)}</a> '
                            f'<span class="bptitle">{e(lens.title(bp))}</span></h4>')
                w(f'<div class="bp">{head}')
                for rule_id in sorted(rules, key=lambda r: (_worst(rules[r]), r)):
                    self._rule_block(rules[rule_id], lens, w)
                w("</div>")
            w("</section>")

    def _rule_block(self, findings: list[Finding], lens: Any, w: Any) -> None:
        first = findings[0]
        by_status: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_status[f.status.value].append(f)
        worst = STATUS_ORDER[_worst(findings)]
        source = f' <span class="source">{e(first.source)}</span>' if first.source != "native" else ""
        w(f'<div class="rule r-{worst}" data-rule="{e(first.rule_id)}"><div class="head">{_sev(first.severity)}'
          f'<span class="rid">{e(first.rule_id)}</span><span>{e(first.title)}</span>{source}</div>')
        other_bps = [bp for bp in first.lens[1:]]
        if other_bps:
            w('<div class="note">Also: ' + ", ".join(f'<a href="{e(lens.url(bp))}">{e(bp)}</a>' for bp in other_bps)
              + "</div>")
        problems = by_status.get("fail", []) + by_status.get("unknown", [])
        if problems:
            if first.remediation:
                w(f'<div class="remediation"><b>Remediation.</b> {e(first.remediation)}</div>')
            w("<table><thead><tr><th>Status</th><th>Resource</th><th>Module</th><th>Attribute</th>"
              "<th>Planned value</th><th>Message</th></tr></thead><tbody>")
            for f in problems[:FAIL_ROWS_LIMIT]:
                value = "" if f.path is None and f.value is None else _value(f.value)
                via = f'<br><span class="note">via <code>{e(f.via)}</code></span>' if f.via else ""
                w(f'<tr class="finding {e(f.status.value)}"><td>{_badge(f.status.value)}</td>'
                  f'<td class="addr"><code>{e(f.address)}</code></td><td class="mono">{e(f.module or "(root)")}</td>'
                  f'<td class="mono">{e(f.path or "")}</td><td class="val mono">{e(value)}</td>'
                  f'<td>{e(f.message)}{via}</td></tr>')
            w("</tbody></table>")
            if len(problems) > FAIL_ROWS_LIMIT:
                w(f'<p class="note">+{len(problems) - FAIL_ROWS_LIMIT} more; the JSON report lists every finding.</p>')
        waived = by_status.get("waived", [])
        if waived:
            w("<table><thead><tr><th>Status</th><th>Resource</th><th>Approved by</th><th>Expires</th>"
              "<th>Justification</th></tr></thead><tbody>")
            for f in waived:
                wv = f.waiver or {}
                w(f'<tr><td>{_badge("waived")}</td><td class="addr"><code>{e(f.address)}</code></td>'
                  f'<td>{e(wv.get("approved_by", ""))}</td><td>{e(wv.get("expires", ""))}</td>'
                  f'<td>{e(wv.get("justification", ""))}</td></tr>')
            w("</tbody></table>")
        for status, label in (("pass", "pass"), ("not_applicable", "not applicable")):
            group = by_status.get(status, [])
            if not group:
                continue
            cls = "passline" if status == "pass" else "note"
            shown = group[:PASS_LIST_LIMIT]
            more = len(group) - len(shown)
            items = "".join(f"<li><code>{e(f.address)}</code>"
                            + (f' <span class="muted">({e(f.message)})</span>' if status == "not_applicable" else "")
                            + "</li>" for f in shown)
            if more:
                items += f'<li class="muted">+{more} more</li>'
            w(f'<details><summary><span class="{cls}">{"✓" if status == "pass" else "–"} {len(group)} '
              f'resource(s) {label}</span></summary><ul>{items}</ul></details>')
        w("</div>")

    def _waivers(self, result: "CheckResult", w: Any) -> None:
        today = result.today
        w('<h2 id="waivers">Waivers</h2>')
        rows = ([("applied", x) for x in result.waivers_applied] + [("expired", x) for x in result.waivers_expired]
                + [("unused", x) for x in result.waivers_unused])
        if not rows:
            w('<p class="note">No waivers in the policy data.</p>')
            return
        used: dict[tuple[str, str], int] = defaultdict(int)
        for f in result.findings:
            if f.status is Status.WAIVED and f.waiver:
                used[(f.waiver.get("rule", ""), f.waiver.get("resource", ""))] += 1
        w(f'<p class="note">Waivers expire against {e(today.isoformat())}. An expired waiver no longer applies: its '
          'findings count again. Waivers expiring within '
          f'{EXPIRY_WARNING_DAYS} days are marked.</p>')
        w("<table><thead><tr><th>State</th><th>Rule</th><th>Resources</th><th>Owner (approved by)</th>"
          "<th>Expires</th><th>Justification</th><th>Findings waived</th></tr></thead><tbody>")
        for state, waiver in rows:
            cls = ""
            label = state
            if state == "expired":
                cls = "expired"
                label = "EXPIRED"
            elif waiver.expires - today <= dt.timedelta(days=EXPIRY_WARNING_DAYS):
                cls = "expiring"
                label = f"{state}, expires in {(waiver.expires - today).days} days"
            ticket = f' <span class="muted">({e(waiver.ticket)})</span>' if waiver.ticket else ""
            w(f'<tr class="waiver {cls}"><td><b>{e(label)}</b></td><td class="mono">{e(waiver.rule)}</td>'
              f'<td class="addr"><code>{e(waiver.resource)}</code></td><td>{e(waiver.approved_by)}</td>'
              f'<td>{e(waiver.expires.isoformat())}</td><td>{e(waiver.justification)}{ticket}</td>'
              f'<td>{used.get((waiver.rule, waiver.resource), 0)}</td></tr>')
        w("</tbody></table>")

    @staticmethod
    def _evidence(ev: dict[str, Any], w: Any) -> None:
        plan, policy = ev["plan"], ev["policy"]
        providers = ", ".join(f"{k} {v}" for k, v in plan["provider_versions"].items()) or "none recorded"
        rows = [
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
        for key in sorted(k for k in ev if k not in ("plan", "policy", "tool", "generated_at")):
            from checks.report.markdown import value_text

            rows.append((key, value_text(ev[key], 400)))
        if "generated_at" in ev:
            rows.append(("Generated at", ev["generated_at"]))
        w('<h2 id="evidence">Evidence</h2><dl class="evidence">'
          + "".join(f"<dt>{e(k)}</dt><dd class=\"mono\">{e(v)}</dd>" for k, v in rows) + "</dl>")
