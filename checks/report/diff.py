"""What changed between two JSON reports, for PR reviewers (`genai-lz diff OLD.json NEW.json`).

Findings are matched by (rule id, resource address), native and checkov alike. A finding
is *failing* when its status is ``fail`` or ``unknown`` (the rule could not show the
resource complies). Categories:

* new failures: failing in NEW, and absent, passing, not applicable or waived in OLD;
* fixed: failing in OLD, and passing or not applicable in NEW (or the resource is gone);
* newly waived: waived in NEW, not waived in OLD;
* still failing: failing in both.

A file that is not a genai-lz JSON report (policies/schemas/report.schema.json) is an LzError.
"""
from __future__ import annotations

from typing import Any, Callable

FAILING = ("fail", "unknown")


def load_report(path: str, quick_check: Callable[[Any], bool] | None = None) -> dict[str, Any]:
    """The JSON report at ``path``, validated against report.schema.json (LzError when it is
    not one). ``quick_check``: a faster test a caller trusts for the parts it reads; the
    schema words the error (and decides) only when it fails."""
    from checks.schema import load_json_document

    missing = f"write it with `genai-lz check PLAN.json --format json --output {path}`"
    document, _ = load_json_document(path, "report.schema.json", path, "a genai-lz JSON report", missing, quick_check)
    return document


def _key(finding: dict[str, Any]) -> tuple[str, str]:
    return finding["rule_id"], finding["address"]


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The diff as data (what ``--format json`` prints)."""
    before = {_key(f): f for f in old["findings"]}
    after = {_key(f): f for f in new["findings"]}
    new_failures, fixed, newly_waived, still_failing = [], [], [], []
    for key, f in after.items():
        prev = before.get(key)
        prev_status = prev["status"] if prev else None
        if f["status"] in FAILING:
            if prev_status in FAILING:
                still_failing.append(_entry(f, prev_status))
            else:
                new_failures.append(_entry(f, prev_status))
        elif f["status"] == "waived" and prev_status != "waived":
            newly_waived.append(_entry(f, prev_status))
        elif f["status"] in ("pass", "not_applicable") and prev_status in FAILING:
            fixed.append(_entry(f, prev_status))
    for key, prev in before.items():
        if key not in after and prev["status"] in FAILING:
            entry = _entry(prev, prev["status"])
            entry["status"] = "gone"
            entry["message"] = "the resource (or the finding) is no longer in the plan"
            fixed.append(entry)
    order = lambda e: (e["rule_id"], e["address"])  # noqa: E731
    return {
        "old": _side(old),
        "new": _side(new),
        "new_failures": sorted(new_failures, key=order),
        "fixed": sorted(fixed, key=order),
        "newly_waived": sorted(newly_waived, key=order),
        "still_failing": sorted(still_failing, key=order),
        "cost": cost_delta(old, new),
    }


def cost_delta(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """Monthly cost before and after (planned and at maximum capacity); None when either
    report has no cost section."""
    before, after = (r.get("cost", {}).get("totals") for r in (old, new))
    if not before or not after:
        return None
    delta: dict[str, Any] = {"currency": new["cost"].get("currency", "USD"),
                             "complete": bool(before.get("complete")) and bool(after.get("complete"))}
    for key in ("planned", "maximum"):
        a, b = before.get(key), after.get(key)
        delta[key] = {"old": a, "new": b,
                      "delta": round(b - a, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else None}
    return delta


def _side(report: dict[str, Any]) -> dict[str, Any]:
    plan = report["evidence"]["plan"]
    return {"plan": plan["source"], "sha256": plan["sha256"], "gate_passed": report["verdict"]["passed"],
            "blocking": report["verdict"]["blocking"]}


def _entry(f: dict[str, Any], was: str | None) -> dict[str, Any]:
    entry = {"rule_id": f["rule_id"], "title": f["title"], "source": f.get("source", "native"),
             "pillar": f["pillar"], "severity": f["severity"], "address": f["address"], "status": f["status"],
             "was": was, "message": f["message"]}
    if f.get("waiver"):
        entry["waiver"] = f["waiver"]
    return entry


def to_markdown(diff: dict[str, Any]) -> str:
    from checks.report.helpers import md_cell as cell
    from checks.report.helpers import md_code as code

    def gate(side: dict[str, Any]) -> str:
        return "passed" if side["gate_passed"] else f"FAILED ({side['blocking']} blocking)"

    out = ["# genai-lz: compliance changes", "",
           f"- Old: {code(diff['old']['plan'])} (sha256 {code(diff['old']['sha256'][:12])}): gate {gate(diff['old'])}",
           f"- New: {code(diff['new']['plan'])} (sha256 {code(diff['new']['sha256'][:12])}): gate {gate(diff['new'])}",
           "",
           f"**{len(diff['new_failures'])} new failure(s)**, {len(diff['fixed'])} fixed, "
           f"{len(diff['newly_waived'])} newly waived, {len(diff['still_failing'])} still failing."]
    cost = diff.get("cost")
    if cost:
        out += ["", "## Monthly cost", "", "| | old | new | change |", "|---|---:|---:|---:|"]
        for key, label in (("planned", "planned capacity"), ("maximum", "maximum capacity")):
            row = cost[key]
            change = f"{row['delta']:+,.2f}" if row["delta"] is not None else "n/a"
            out.append(f"| {label} | {row['old']:,.2f} | {row['new']:,.2f} | {change} {cell(cost['currency'])} |"
                       if row["old"] is not None and row["new"] is not None else f"| {label} | n/a | n/a | n/a |")
        if not cost["complete"]:
            out.append("\nSome resources are not priced in one of the plans: the figures are lower bounds.")
    sections = (("New failures", "new_failures"), ("Fixed", "fixed"), ("Newly waived", "newly_waived"),
                ("Still failing", "still_failing"))
    for title, key in sections:
        rows = diff[key]
        out += ["", f"## {title} ({len(rows)})", ""]
        if not rows:
            out.append("None.")
            continue
        if key == "newly_waived":
            out += ["| severity | rule | resource | was | approved by | expires | justification |", "|---|---|---|---|---|---|---|"]
            for r in rows:
                w = r.get("waiver") or {}
                out.append(f"| {cell(r['severity'])} | {cell(r['rule_id'])} {cell(r['title'])} | {code(r['address'])} | "
                           f"{cell(r['was'] or 'new')} | {cell(w.get('approved_by', ''))} | {cell(w.get('expires', ''))} | "
                           f"{cell(w.get('justification', ''))} |")
        else:
            out += ["| severity | rule | resource | status | was | message |", "|---|---|---|---|---|---|"]
            for r in rows:
                out.append(f"| {cell(r['severity'])} | {cell(r['rule_id'])} {cell(r['title'])} | {code(r['address'])} | "
                           f"{cell(r['status'])} | {cell(r['was'] or 'new')} | {cell(r['message'])} |")
    return "\n".join(out) + "\n"


def render(diff: dict[str, Any], format: str) -> bytes:
    """The diff as ``markdown`` or ``json`` bytes."""
    if format == "json":
        import orjson

        return orjson.dumps(diff, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    return to_markdown(diff).encode("utf-8")
