"""The organization's posture: many JSON reports (one per root/env/account) joined into one
(`genai-lz aggregate REPORT.json... [-o DIR] [--previous OLD_AGGREGATE.json]`).

What the aggregate holds (schema: policies/schemas/aggregate.schema.json):

* ``workspaces``: one row per input report (its name and account, from the report's
  ``evidence.workspace`` when `genai-lz tf check` / `check --workspace` recorded it, else the
  plan file's name), with status counts and the worst failing severity per pillar (the
  matrix), the gate verdict, a link to the per-plan report (relative to the output
  directory), the evidence (plan sha256, tool, policy pack, lens, params and waivers
  sha256) and its open findings (fail, unknown, waived: what the next trend compares);
* ``top_failing_rules``: the rules failing (fail or unknown) in the most workspaces;
* ``waivers``: the waivers expiring within :data:`EXPIRY_DAYS` days of ``today`` (and the
  expired ones) across the organization, each with the workspaces that carry it;
* ``lens_coverage``: per lens best practice, its coverage state and in how many
  workspaces its rules fail, are waived, or pass;
* ``trend`` (with a previous aggregate): per workspace and pillar, the new failures, fixed
  and newly waived findings since then, computed by :func:`checks.report.diff.compare`.

Reports from different rule-pack versions are refused unless ``allow_mixed_versions``:
their counts are not comparable. Reports are read one at a time and only their summary is
kept, so a thousand reports aggregate in seconds. Strings from the reports are cleaned of
control characters once, on the way in; the HTML is rendered with autoescape on and the
Markdown escapes markup, so nothing a plan carried reaches an output as markup.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from checks.errors import LzError
from checks.model import PILLARS, SEVERITIES, report_pillars, workspace_name
from checks.report.diff import FAILING, compare, load_report

AGGREGATE_SCHEMA_VERSION = "1.0"
KIND = "genai-lz-aggregate"
EXPIRY_DAYS = 30
TOP_RULES = 20
WHERE_LIMIT = 20  # workspaces named per failing rule / lens practice (the count has them all)
STATUSES = ("pass", "fail", "unknown", "waived", "not_applicable")
OPEN = ("fail", "unknown", "waived")
FORMATS = {"json": "posture.json", "markdown": "posture.md", "html": "posture.html"}
# a best practice in one workspace: failing beats waived beats passing
_BP_STATE = {"fail": "failing", "unknown": "failing", "waived": "waived", "pass": "passing"}
_BP_RANK = {"failing": 3, "waived": 2, "passing": 1}


def clean(value: Any) -> str:
    """Text with every control character (tab too) shown as an escape (never raw in an output)."""
    from checks.report.helpers import escape_controls

    return escape_controls(value if isinstance(value, str) else str(value)).replace("\t", "\\x09")


@lru_cache(maxsize=1)
def _envelope_validator() -> Any:
    """report.schema.json without its per-finding and cost parts, compiled: what the
    aggregate reads of a report besides the findings, checked at a fraction of the cost."""
    import json

    import fastjsonschema

    from checks.schema import SCHEMAS_DIR

    schema = json.loads((SCHEMAS_DIR / "report.schema.json").read_text(encoding="utf-8"))
    schema["properties"]["findings"] = {"type": "array", "items": {"type": "object"}}
    schema["properties"].pop("cost", None)
    return fastjsonschema.compile(schema)


_FINDING_TEXT = ("rule_id", "title", "pillar", "severity", "address", "resource_type", "module", "status", "message")


def _quick_valid(document: Any) -> bool:
    """True when ``document`` has everything the aggregate reads, in the report schema's
    types; False sends it to the full schema, which words the error (or accepts it)."""
    import fastjsonschema

    try:
        _envelope_validator()(document)
    except fastjsonschema.JsonSchemaException:
        return False
    for f in document["findings"]:
        if not all(type(f.get(k)) is str for k in _FINDING_TEXT) or not f["rule_id"] or not f["address"] \
                or f["status"] not in STATUSES or f["severity"] not in SEVERITIES \
                or type(f.get("lens")) is not list or not all(type(x) is str for x in f["lens"]) \
                or type(f.get("evidence")) is not dict or ("waiver" in f and type(f["waiver"]) is not dict) \
                or type(f.get("source", "")) is not str:
            return False
    return True


def _empty_counts() -> dict[str, Any]:
    return {**{s: 0 for s in STATUSES}, "worst_severity": None}


def _worse(a: str | None, b: str) -> str:
    return b if a is None or SEVERITIES.index(b) > SEVERITIES.index(a) else a


def _link(target: Path, out_dir: Path | None) -> str:
    """``target`` relative to the output directory (posix), or absolute without one."""
    if out_dir is None:
        return target.resolve().as_uri()
    relative = Path(os.path.relpath(target.resolve(), out_dir.resolve())).as_posix()
    return relative if relative.startswith(".") else f"./{relative}"  # never read as a scheme (javascript:...)


def _open_finding(f: dict[str, Any]) -> dict[str, Any]:
    entry = {"rule_id": clean(f["rule_id"]), "title": clean(f["title"]), "source": clean(f.get("source", "native")),
             "pillar": clean(f["pillar"]), "lens": [clean(x) for x in f["lens"]], "severity": f["severity"],
             "address": clean(f["address"]), "status": f["status"], "message": clean(f["message"])}
    if f.get("waiver"):
        entry["waiver"] = {k: clean(v) for k, v in f["waiver"].items()}
    return entry


def _as_report(ws: dict[str, Any] | None) -> dict[str, Any]:
    """A workspace row of an aggregate as the report :func:`compare` reads (open findings only)."""
    if ws is None:
        return {"evidence": {"plan": {"source": "(not audited)", "sha256": "-"}},
                "verdict": {"passed": True, "blocking": 0}, "findings": []}
    return {"evidence": {"plan": {"source": ws["evidence"]["plan_source"], "sha256": ws["evidence"]["plan_sha256"]}},
            "verdict": {"passed": ws["gate_passed"], "blocking": ws["blocking"]}, "findings": ws["open_findings"]}


class _Builder:
    """Folds reports in one at a time; :meth:`document` is the aggregate."""

    def __init__(self, today: dt.date, out_dir: Path | None, previous: dict[str, Any] | None) -> None:
        self.today = today
        self.out_dir = out_dir
        self.previous = {ws["name"]: ws for ws in previous["workspaces"]} if previous else None
        self.previous_doc = previous
        self.workspaces: list[dict[str, Any]] = []
        self.names: set[str] = set()
        self.versions: dict[str, list[str]] = defaultdict(list)
        self.rules: dict[str, dict[str, Any]] = {}
        self.waivers: dict[tuple[str, ...], dict[str, Any]] = {}
        self.coverage: dict[str, dict[str, Any]] = {}
        self.trend: list[dict[str, Any]] = []
        self.pillars: set[str] = set(PILLARS)

    # ------------------------------------------------------------------ one report
    def add(self, path: Path, doc: dict[str, Any]) -> None:
        ev = doc["evidence"]
        recorded = ev.get("workspace") if isinstance(ev.get("workspace"), dict) else {}
        name = clean(workspace_name(ev))
        base, n = name, 2
        while name in self.names:  # two reports of the same plan file name: keep both
            name, n = f"{base}#{n}", n + 1
        self.names.add(name)
        account = recorded.get("account_id")
        by_pillar: dict[str, dict[str, Any]] = defaultdict(_empty_counts)
        open_findings: list[dict[str, Any]] = []
        failing_rules: dict[str, int] = defaultdict(int)
        bp_state: dict[str, str] = {}
        for f in doc["findings"]:
            status, pillar = f["status"], clean(f["pillar"])
            cell = by_pillar[pillar]
            cell[status] += 1
            if status in OPEN:
                open_findings.append(_open_finding(f))
            if status in FAILING:
                cell["worst_severity"] = _worse(cell["worst_severity"], f["severity"])
                failing_rules[f["rule_id"]] += 1
                rule = self.rules.get(f["rule_id"])
                if rule is None:
                    rule = self.rules[f["rule_id"]] = {
                        "rule_id": clean(f["rule_id"]), "title": clean(f["title"]), "pillar": pillar,
                        "severity": f["severity"], "lens": [clean(x) for x in f["lens"]], "source": clean(f.get("source", "native")),
                        "workspaces": 0, "fail": 0, "unknown": 0, "where": []}
                rule[status] += 1
            state = _BP_STATE.get(status)
            if state:
                for bp in f["lens"]:
                    if _BP_RANK[state] > _BP_RANK.get(bp_state.get(bp, ""), 0):
                        bp_state[bp] = state
        for rule_id in failing_rules:
            rule = self.rules[rule_id]
            rule["workspaces"] += 1
            if len(rule["where"]) < WHERE_LIMIT:
                rule["where"].append(name)
        for row in doc["lens_coverage"]:
            entry = self.coverage.get(row["id"])
            if entry is None:
                entry = self.coverage[row["id"]] = {
                    "id": clean(row["id"]), "pillar": clean(row["pillar"]), "title": clean(row["title"]),
                    "risk": clean(row["risk"]), "state": row["state"], "rules": [clean(r) for r in row["rules"]],
                    "url": clean(row["url"]) if str(row["url"]).startswith(("https://", "http://")) else "",
                    "failing": 0, "waived": 0, "passing": 0, "failing_in": []}
            state = bp_state.get(row["id"])
            if state:
                entry[state] += 1
                if state == "failing" and len(entry["failing_in"]) < WHERE_LIMIT:
                    entry["failing_in"].append(name)
        self._waivers(doc, name)
        self.pillars.update(by_pillar)
        policy, plan = ev["policy"], ev["plan"]
        self.versions[clean(policy["pack_version"])].append(name)
        html_report = path.with_suffix(".html")
        ws = {
            "name": name,
            "account_id": clean(account) if account else None,
            "root": clean(recorded["root"]) if recorded.get("root") else None,
            "env": clean(recorded["env"]) if recorded.get("env") else None,
            "report": _link(path, self.out_dir),
            "html": _link(html_report, self.out_dir) if html_report.is_file() else None,
            "gate_passed": bool(doc["verdict"]["passed"]),
            "blocking": int(doc["verdict"]["blocking"]),
            "by_pillar": dict(by_pillar),
            "by_status": {s: sum(c[s] for c in by_pillar.values()) for s in STATUSES},
            "evidence": {
                "plan_source": clean(plan["source"]), "plan_sha256": plan["sha256"],
                "terraform_version": clean(plan["terraform_version"]),
                "tool": clean(f"{ev['tool']['name']} {ev['tool']['version']}"),
                "pack_version": clean(policy["pack_version"]),
                "lens": clean(f"{policy['lens']['name']} ({policy['lens']['version']})"),
                "params_sha256": policy["params_sha256"], "waivers_sha256": policy["waivers_sha256"],
                "generated_at": clean(ev["generated_at"]) if ev.get("generated_at") else None,
            },
            "open_findings": open_findings,
        }
        self.workspaces.append(ws)
        if self.previous is not None:
            self._trend(ws, doc)

    def _waivers(self, doc: dict[str, Any], name: str) -> None:
        for state in ("applied", "unused", "expired"):
            for w in doc["waivers"][state]:
                try:
                    expires = dt.date.fromisoformat(w["expires"])
                except (TypeError, ValueError):
                    continue
                days = (expires - self.today).days
                if days > EXPIRY_DAYS:
                    continue
                key = tuple(clean(w.get(k, "")) for k in ("rule", "resource", "approved_by", "expires", "justification"))
                entry = self.waivers.get(key)
                if entry is None:
                    entry = self.waivers[key] = {
                        "rule": key[0], "resource": key[1], "approved_by": key[2], "expires": key[3],
                        "justification": key[4], "ticket": clean(w["ticket"]) if w.get("ticket") else None,
                        "days_left": days, "state": "expired" if days < 0 else "expiring", "workspaces": []}
                if name not in entry["workspaces"]:
                    entry["workspaces"].append(name)

    def _trend(self, ws: dict[str, Any], doc: dict[str, Any]) -> None:
        assert self.previous is not None
        before = self.previous.pop(ws["name"], None)
        diff = compare(_as_report(before), doc)
        self.trend.append(self._trend_row(ws["name"], ws["account_id"], "added" if before is None else "audited", diff))

    @staticmethod
    def _trend_row(name: str, account: str | None, state: str, diff: dict[str, Any]) -> dict[str, Any]:
        keys = ("new_failures", "fixed", "newly_waived")
        by_pillar: dict[str, dict[str, int]] = defaultdict(lambda: {k: 0 for k in keys})
        lists: dict[str, list[dict[str, Any]]] = {}
        for key in keys:
            lists[key] = []
            for entry in diff[key]:
                by_pillar[clean(entry["pillar"])][key] += 1
                lists[key].append({k: (clean(v) if isinstance(v, str) else v) for k, v in entry.items()
                                   if k in ("rule_id", "title", "pillar", "severity", "address", "status", "was", "message")})
        return {"name": name, "account_id": account, "state": state, "by_pillar": dict(by_pillar),
                "totals": {k: len(lists[k]) for k in keys}, **lists}

    # ------------------------------------------------------------------ the aggregate
    def document(self, allow_mixed: bool, timestamp: bool) -> dict[str, Any]:
        pillars = report_pillars(self.pillars)
        for ws in self.workspaces:
            for p in pillars:
                ws["by_pillar"].setdefault(p, _empty_counts())
            ws["by_pillar"] = {p: ws["by_pillar"][p] for p in pillars}
        self.workspaces.sort(key=lambda w: (w["account_id"] or "~", w["name"]))
        totals_by_pillar = {p: {s: sum(w["by_pillar"][p][s] for w in self.workspaces) for s in STATUSES} for p in pillars}
        rules = sorted(self.rules.values(), key=lambda r: (-r["workspaces"], -(r["fail"] + r["unknown"]),
                                                           -SEVERITIES.index(r["severity"]), r["rule_id"]))
        doc: dict[str, Any] = {
            "schema_version": AGGREGATE_SCHEMA_VERSION,
            "kind": KIND,
            "today": self.today.isoformat(),
            "policy": {"pack_versions": {v: sorted(names) for v, names in sorted(self.versions.items())},
                       "mixed_versions_allowed": allow_mixed},
            "pillars": pillars,
            "totals": {
                "workspaces": len(self.workspaces),
                "accounts": len({w["account_id"] for w in self.workspaces if w["account_id"]}),
                "gates_passed": sum(1 for w in self.workspaces if w["gate_passed"]),
                "gates_failed": sum(1 for w in self.workspaces if not w["gate_passed"]),
                "by_status": {s: sum(t[s] for t in totals_by_pillar.values()) for s in STATUSES},
                "by_pillar": totals_by_pillar,
            },
            "workspaces": self.workspaces,
            "top_failing_rules": rules[:TOP_RULES],
            "failing_rules": len(rules),
            "waivers": sorted(self.waivers.values(), key=lambda w: (w["days_left"], w["rule"], w["resource"])),
            "expiry_days": EXPIRY_DAYS,
            "lens_coverage": sorted(self.coverage.values(), key=lambda r: (-r["failing"], r["id"])),
            "trend": self._trend_document(),
        }
        if timestamp:
            doc["generated_at"] = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        return doc

    def _trend_document(self) -> dict[str, Any] | None:
        if self.previous is None or self.previous_doc is None:
            return None
        rows = list(self.trend)
        for name, before in sorted(self.previous.items()):  # audited last time, not now
            rows.append(self._trend_row(name, before.get("account_id"), "removed", compare(_as_report(before), _as_report(None))))
        rows.sort(key=lambda r: (-(r["totals"]["new_failures"]), r["name"]))
        prev = self.previous_doc
        return {
            "previous": {"generated_at": prev.get("generated_at"), "today": prev["today"],
                         "workspaces": len(prev["workspaces"]), "sha256": prev.get("_sha256")},
            "totals": {k: sum(r["totals"][k] for r in rows) for k in ("new_failures", "fixed", "newly_waived")},
            "workspaces": rows,
        }


def load_previous(path: str) -> dict[str, Any]:
    """A previous aggregate (posture.json), validated against aggregate.schema.json."""
    from checks.schema import load_json_document

    document, data = load_json_document(
        path, "aggregate.schema.json", f"--previous {path}", "a genai-lz aggregate (posture.json)",
        "it is the posture.json of an earlier `genai-lz aggregate`")
    document["_sha256"] = hashlib.sha256(data).hexdigest()
    return document


def aggregate(paths: Sequence[str | Path], *, allow_mixed_versions: bool = False, today: dt.date | None = None,
              out_dir: str | Path | None = None, previous: dict[str, Any] | None = None,
              timestamp: bool = False) -> dict[str, Any]:
    """The aggregate of the JSON reports at ``paths`` (LzError for an invalid report or
    mixed rule-pack versions without ``allow_mixed_versions``)."""
    if not paths:
        raise LzError("no report given: pass the JSON reports of `genai-lz check` (e.g. reports/*/report.json)")
    builder = _Builder(today or dt.date.today(), Path(out_dir) if out_dir is not None else None, previous)
    first_version: tuple[str, str] | None = None
    for raw in paths:
        path = Path(raw)
        doc = load_report(str(path), _quick_valid)
        version = doc["evidence"]["policy"]["pack_version"]
        if first_version is None:
            first_version = (version, str(path))
        elif version != first_version[0] and not allow_mixed_versions:
            raise LzError(f"{path}: rule-pack version {clean(version)} differs from {clean(first_version[0])} of "
                          f"{first_version[1]}: the counts are not comparable; re-check the plans with one version "
                          "or pass --allow-mixed-versions")
        builder.add(path, doc)
    return builder.document(allow_mixed_versions, timestamp)


# ---------------------------------------------------------------------- rendering
def md(value: Any) -> str:
    """Text safe in a Markdown table cell (checks.report.helpers.md_cell: one line, HTML as
    entities, Markdown punctuation escaped once: a second escape would free the brackets)."""
    from checks.report.helpers import md_cell

    return md_cell(clean(value))


def _cell_text(cell: dict[str, Any]) -> str:
    parts = [f"{cell[s]} {label}" for s, label in (("fail", "fail"), ("unknown", "unknown"), ("waived", "waived"))
             if cell[s]]
    text = ", ".join(parts) if parts else ("pass" if cell["pass"] else "-")
    if cell["worst_severity"]:
        text += f" (worst {cell['worst_severity']})"
    return text


def to_markdown(doc: dict[str, Any]) -> str:
    from checks.model import pillar_title

    t = doc["totals"]
    pillars = doc["pillars"]
    out = ["# GenAI Lens: organization posture", "",
           f"{t['workspaces']} workspaces ({t['accounts']} accounts): {t['gates_passed']} gates passed, "
           f"{t['gates_failed']} failed. Findings: " + ", ".join(f"{t['by_status'][s]} {s}" for s in STATUSES) + ".",
           f"Waivers are judged against {doc['today']}."]
    versions = doc["policy"]["pack_versions"]
    if len(versions) > 1:
        out.append(f"\n**Mixed rule-pack versions** ({', '.join(md(v) for v in versions)}): counts are not comparable.")
    out += ["", "## Posture: workspaces x pillars", "",
            "| workspace | account | gate | " + " | ".join(md(pillar_title(p)) for p in pillars) + " |",
            "|---|---|---|" + "---|" * len(pillars)]
    for ws in doc["workspaces"]:
        link = ws["html"] or ws["report"]
        gate = "passed" if ws["gate_passed"] else f"FAILED ({ws['blocking']})"
        out.append(f"| [{md(ws['name'])}](<{md(link)}>) | {md(ws['account_id'] or '-')} | {gate} | "
                   + " | ".join(_cell_text(ws["by_pillar"][p]) for p in pillars) + " |")
    out += ["", f"## Rules failing most widely ({doc['failing_rules']} rules fail somewhere)", ""]
    if doc["top_failing_rules"]:
        out += ["| rule | title | pillar | severity | workspaces | fail | unknown | lens |", "|---|---|---|---|---:|---:|---:|---|"]
        for r in doc["top_failing_rules"]:
            out.append(f"| {md(r['rule_id'])} | {md(r['title'])} | {md(pillar_title(r['pillar']))} | {r['severity']} | "
                       f"{r['workspaces']} | {r['fail']} | {r['unknown']} | {md(', '.join(r['lens']))} |")
    else:
        out.append("No rule fails in any workspace.")
    out += ["", f"## Waivers expiring within {doc['expiry_days']} days", ""]
    if doc["waivers"]:
        out += ["| state | expires | days left | rule | resources | approved by | justification | workspaces |",
                "|---|---|---:|---|---|---|---|---|"]
        for w in doc["waivers"]:
            out.append(f"| {w['state']} | {md(w['expires'])} | {w['days_left']} | {md(w['rule'])} | {md(w['resource'])} | "
                       f"{md(w['approved_by'])} | {md(w['justification'])} | {md(', '.join(w['workspaces']))} |")
    else:
        out.append("None.")
    trend = doc.get("trend")
    if trend:
        tt = trend["totals"]
        out += ["", "## Since the previous audit", "",
                f"Previous aggregate: {trend['previous']['workspaces']} workspaces, judged against "
                f"{md(trend['previous']['today'])}. **{tt['new_failures']} new failure(s)**, {tt['fixed']} fixed, "
                f"{tt['newly_waived']} newly waived.", "",
                "| workspace | state | pillar | new failures | fixed | newly waived |", "|---|---|---|---:|---:|---:|"]
        for row in trend["workspaces"]:
            for pillar, c in sorted(row["by_pillar"].items()):
                out.append(f"| {md(row['name'])} | {row['state']} | {md(pillar_title(pillar))} | {c['new_failures']} | "
                           f"{c['fixed']} | {c['newly_waived']} |")
        news = [(row["name"], e) for row in trend["workspaces"] for e in row["new_failures"]]
        if news:
            out += ["", "### New failures", "", "| workspace | severity | rule | resource | was | message |",
                    "|---|---|---|---|---|---|"]
            for name, e in news[:500]:
                out.append(f"| {md(name)} | {e['severity']} | {md(e['rule_id'])} | {md(e['address'])} | "
                           f"{md(e['was'] or 'new')} | {md(e['message'])} |")
    out += ["", "## Lens coverage across the organization", "",
            "| best practice | title | pillar | coverage | failing in | waived in | passing in | rules |",
            "|---|---|---|---|---:|---:|---:|---|"]
    from checks.report.helpers import COVERAGE_LABEL

    for row in doc["lens_coverage"]:
        out.append(f"| {md(row['id'])} | {md(row['title'])} | {md(pillar_title(row['pillar']))} | "
                   f"{COVERAGE_LABEL.get(row['state'], row['state'])} | {row['failing']} | {row['waived']} | "
                   f"{row['passing']} | {md(', '.join(row['rules']))} |")
    out += ["", "## Evidence", "",
            "| workspace | plan | plan sha256 | terraform | tool | rule pack | lens | params sha256 | waivers sha256 |",
            "|---|---|---|---|---|---|---|---|---|"]
    for ws in doc["workspaces"]:
        e = ws["evidence"]
        out.append(f"| {md(ws['name'])} | {md(e['plan_source'])} | {e['plan_sha256']} | {md(e['terraform_version'])} | "
                   f"{md(e['tool'])} | {md(e['pack_version'])} | {md(e['lens'])} | {e['params_sha256'][:12]} | "
                   f"{e['waivers_sha256'][:12]} |")
    return "\n".join(out) + "\n"


def to_html(doc: dict[str, Any]) -> str:
    from checks.report.helpers import COVERAGE_LABEL, jinja_environment

    env = jinja_environment()
    return env.get_template("aggregate.html").render(
        doc=doc, STATUSES=STATUSES, COVERAGE_LABEL=COVERAGE_LABEL, SEVERITY_RANK={s: i for i, s in enumerate(SEVERITIES)})


def render(doc: dict[str, Any]) -> dict[str, bytes]:
    """file name -> bytes, for every format."""
    import orjson

    public = {k: v for k, v in doc.items() if not k.startswith("_")}
    return {
        FORMATS["json"]: orjson.dumps(public, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n",
        FORMATS["markdown"]: to_markdown(doc).encode("utf-8"),
        FORMATS["html"]: to_html(doc).encode("utf-8"),
    }


def write(doc: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Render every format, then move them into place together (checks.files.write_all_atomic:
    nothing half-written, no temp file left on an error or a signal)."""
    from checks.files import write_all_atomic

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise LzError(f"-o {out_dir}: exists and is not a directory")
    rendered = render(doc)
    try:
        return write_all_atomic([(out / name, data) for name, data in rendered.items()])
    except OSError as exc:
        raise LzError(f"cannot write the aggregate to {out_dir}: {exc.strerror or exc}; nothing was replaced") from None
