"""The cost section of the reports: Markdown, HTML (inline SVG bars) and a plain-text table.

Each function takes the estimate as data (``checks.cost.Estimate.to_dict()``, which is
also what the JSON report holds under ``cost``) and returns a fragment.
"""
from __future__ import annotations

from typing import Any

from checks.report.helpers import display_path, money, terminal_text
from checks.report.helpers import md_cell as _cell
from checks.report.helpers import md_code as _code

_STATUS_LABEL = {"priced": "priced", "not_priced": "NOT PRICED", "usage_required": "usage required"}


def _budget_lines(cost: dict[str, Any]) -> list[str]:
    out = []
    total_planned, total_max = cost["totals"]["planned"], cost["totals"]["maximum"]
    for b in cost.get("budgets", []):
        if b["limit"] is None:
            out.append(f"{b['address']}: limit unknown at plan time ({b.get('reason', '')})")
        else:
            share = 100 * total_planned / b["limit"] if b["limit"] else 0
            out.append(f"{b['address']}: {money(b['limit'])} {b['unit']}/month; planned {money(total_planned)} "
                       f"({share:.0f} %), maximum {money(total_max)} ({total_max / b['limit']:.1f} x)"
                       if b["limit"] else f"{b['address']}: limit 0")
    return out


def _header(cost: dict[str, Any]) -> str:
    return (f"{cost['currency']} per month in {cost['region']}, {cost['hours_per_month']:g} h a month "
            f"({cost['hours_per_month_source']}); prices {display_path(cost['prices']['file'])} version "
            f"{cost['prices']['version']}; usage {display_path(cost['usage']['file']) or 'none'}")


def markdown(cost: dict[str, Any]) -> str:
    t = cost["totals"]
    out = ["## Monthly cost estimate", "", _cell(_header(cost)) + ".", "",
           f"**Planned {money(t['planned'])}**, maximum the plan allows **{money(t['maximum'])}**"
           f"{'' if t['complete'] else ' (lower bounds: some resources are not priced)'}.", ""]
    if cost.get("budgets"):
        out += ["Budgets:", ""] + [f"- {_cell(line)}" for line in _budget_lines(cost)] + [""]
    out += ["| module | planned | maximum | share of maximum |", "|---|---:|---:|---|"]
    top = max([m["maximum"] for m in cost["modules"]] or [0]) or 1
    for m in cost["modules"]:
        bar = "█" * max(1, round(20 * m["maximum"] / top)) if m["maximum"] else ""
        out.append(f"| {_code(m['module'])} | {money(m['planned'])} | {money(m['maximum'])} | {bar} |")
    out += ["", "| resource | status | planned | maximum | detail |", "|---|---|---:|---:|---|"]
    for r in cost["resources"]:
        detail = r.get("reason") or r["description"]
        out.append(f"| {_code(r['address'])} | {_cell(_STATUS_LABEL.get(r['status'], r['status']))} | {money(r['planned'])} "
                   f"| {money(r['maximum'])} | {_cell(detail)} |")
    if cost.get("free"):
        out += ["", "No charge of their own: " + _cell(", ".join(f"{t} x{n}" for t, n in cost["free"].items())) + "."]
    out += ["", "Assumptions:", ""] + [f"- {_cell(a)}" for a in cost["assumptions"]]
    if cost.get("notes"):
        out += [""] + [f"> {_cell(n)}" for n in cost["notes"]]
    return "\n".join(out)


# The chart's text is monospace at 12 px: at most 0.625 em (7.5 px) a character in any
# monospace font, so the SVG is sized to its longest label and value and no text overflows.
CHAR_W = 7.5
LABEL_CHARS = 48  # a longer module address is cut to this, with the full text as its <title>


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _bars(modules: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of the bar chart: one row per module, planned over maximum, scaled to the largest;
    the width fits the longest label and value text."""
    row, bar_w, gap = 22, 280, 10
    top = max([m["maximum"] for m in modules] or [0]) or 1
    labels = [_label(str(m["module"])) for m in modules]
    values = [f"{money(m['planned'])} / {money(m['maximum'])}" for m in modules]
    label_w = round(max([len(t) for t in labels] or [0]) * CHAR_W) + gap
    value_w = round(max([len(t) for t in values] or [0]) * CHAR_W) + gap
    rows = [{**m, "label": label, "value": value, "y": 8 + i * row, "w_max": bar_w * m["maximum"] / top,
             "w_plan": bar_w * m["planned"] / top} for i, (m, label, value) in enumerate(zip(modules, labels, values))]
    return {"width": label_w + bar_w + gap + value_w, "height": row * max(1, len(modules)) + 24,
            "label_w": label_w, "bar_w": bar_w, "gap": gap, "rows": rows}


def html(cost: dict[str, Any]) -> str:
    """The section as HTML, rendered by the Jinja2 template templates/cost.html (autoescape on)."""
    from checks.report.helpers import jinja_environment

    env = jinja_environment()
    return env.get_template("cost.html").render(
        header=_header(cost), totals=cost["totals"], budget_lines=_budget_lines(cost) if cost.get("budgets") else [],
        bars=_bars(cost["modules"]), modules=cost["modules"], resources=cost["resources"],
        free=", ".join(f"{k} x{n}" for k, n in cost["free"].items()) if cost.get("free") else "",
        assumptions=cost["assumptions"], notes=cost.get("notes", []), STATUS_LABEL=_STATUS_LABEL,
    )


def table(cost: dict[str, Any]) -> str:
    """Plain-text table for the terminal (`genai-lz cost`): plan strings with their control
    characters shown escaped."""
    t_ = terminal_text
    rows = [(t_(r["address"]), t_(_STATUS_LABEL.get(r["status"], r["status"])), money(r["planned"]),
             money(r["maximum"]), t_(r.get("reason") or r["description"])) for r in cost["resources"]]
    head = ("resource", "status", "planned", "maximum", "detail")
    widths = [min(90, max([len(head[i])] + [len(row[i]) for row in rows])) for i in range(4)]

    def fmt(row: tuple[str, ...]) -> str:
        return (f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}  {row[4]}")

    out = [f"Monthly cost estimate: {t_(_header(cost))}", "", fmt(head), fmt(tuple("-" * w for w in widths) + ("-" * 6,))]
    out += [fmt(row) for row in rows]
    out += ["", "per module:"]
    out += [f"  {t_(m['module']):<{widths[0]}}  {money(m['planned']):>12}  {money(m['maximum']):>12}" for m in cost["modules"]]
    for root in cost["roots"]:
        out.append(f"account root {root['root']}: planned {money(root['planned'])}, maximum {money(root['maximum'])}")
    t = cost["totals"]
    out.append(f"TOTAL planned {money(t['planned'])}  maximum {money(t['maximum'])}"
               f"{'' if t['complete'] else '  (lower bounds: some resources are not priced)'}")
    out += [f"budget {line}" for line in _budget_lines(cost)]
    if cost.get("free"):
        out.append("no charge of their own: " + ", ".join(f"{k} x{n}" for k, n in cost["free"].items()))
    out += ["assumptions:"] + [f"  - {a}" for a in cost["assumptions"]]
    out += [f"note: {n}" for n in cost.get("notes", [])]
    return "\n".join(out) + "\n"
