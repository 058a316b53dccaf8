"""`genai-lz aggregate`: the organization posture from the landing zone's own reports.

The reports are made by `genai-lz check` on the plans `make lz-plans` writes
(build/workload-dev.plan.json, build/workload-prod.plan.json,
build/organization-management.plan.json): the posture's counts must add up to theirs.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from checks.report import aggregate
from conftest import REPO, run_cli

WORKSPACES = {"workload-dev": "222222222222", "workload-prod": "333333333333", "organization-management": "111111111111"}
PLANS = {name: REPO / "build" / f"{name}.plan.json" for name in WORKSPACES}
TODAY = "2026-06-01"
STATUSES = ("pass", "fail", "unknown", "waived", "not_applicable")

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in PLANS.values()),
                                reason="needs the landing zone's plans: make lz-plans (or genai-lz tf plan --target offline)")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """One report folder per workspace (json + html), as `make audit` writes them."""
    base = tmp_path_factory.mktemp("reports")
    # The landing zone's own plans pass every rule; dev is checked against a tightened policy
    # (log retention of ten years, as a regulated team might ask) so that it has real failures
    # (LZ-OPS-001 on its log groups) for the trend and the hostile-input tests.
    params = yaml.safe_load((REPO / "policies" / "params.yaml").read_text(encoding="utf-8"))
    params["logs"]["min_retention_days"] = 3653
    tightened = base / "params-tightened.yaml"
    tightened.write_text(yaml.safe_dump(params), encoding="utf-8")
    out = {}
    for name, account in WORKSPACES.items():
        folder = base / name
        extra = ("--params", tightened) if name == "workload-dev" else ()
        run = run_cli("check", PLANS[name], "--format", "json", "--format", "html", "--output", folder,
                      "--workspace", name, "--account-id", account, "--today", TODAY, "-q", *extra)
        assert run.code in (0, 1), run.err
        out[name] = folder / "report.json"
    return out


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, document: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _aggregate(tmp_path: Path, *paths, extra=()):
    out = tmp_path / "organization"
    run = run_cli("aggregate", *paths, "-o", out, "--today", TODAY, *extra)
    return run, out


def test_counts_add_up_to_the_per_plan_reports(tmp_path, reports):
    run, out = _aggregate(tmp_path, *reports.values())
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == ["posture.html", "posture.json", "posture.md"]
    doc = _load(out / "posture.json")
    assert aggregate.load_previous(str(out / "posture.json"))["kind"] == "genai-lz-aggregate"  # valid against its schema
    per_plan = {name: _load(path) for name, path in reports.items()}
    assert [w["name"] for w in doc["workspaces"]] == sorted(WORKSPACES, key=WORKSPACES.get)  # by account
    for ws in doc["workspaces"]:
        report = per_plan[ws["name"]]
        assert ws["account_id"] == WORKSPACES[ws["name"]]
        for pillar, counts in report["summary"]["by_pillar"].items():
            assert {s: ws["by_pillar"][pillar][s] for s in STATUSES} == counts, (ws["name"], pillar)
        assert ws["by_status"] == report["summary"]["by_status"]
        assert ws["gate_passed"] is report["verdict"]["passed"] and ws["blocking"] == report["verdict"]["blocking"]
        assert ws["evidence"]["plan_sha256"] == report["evidence"]["plan"]["sha256"]
        assert ws["evidence"]["pack_version"] == report["evidence"]["policy"]["pack_version"]
        # the cell links reach the per-plan reports
        assert (out / ws["html"]).resolve() == reports[ws["name"]].with_suffix(".html").resolve()
        assert (out / ws["report"]).resolve() == reports[ws["name"]].resolve()
        failing = [f for f in report["findings"] if f["status"] in ("fail", "unknown")]
        for pillar in doc["pillars"]:
            worst = max((f["severity"] for f in failing if f["pillar"] == pillar),
                        key=["info", "low", "medium", "high", "critical"].index, default=None)
            assert ws["by_pillar"][pillar]["worst_severity"] == worst
        assert len(ws["open_findings"]) == sum(1 for f in report["findings"] if f["status"] in ("fail", "unknown", "waived"))
    for status in STATUSES:
        assert doc["totals"]["by_status"][status] == sum(r["summary"]["by_status"][status] for r in per_plan.values())
    assert doc["totals"]["gates_failed"] == sum(1 for r in per_plan.values() if not r["verdict"]["passed"])
    # the most widely failing rules: workspaces counted per rule
    expected = {}
    for report in per_plan.values():
        for rule in {f["rule_id"] for f in report["findings"] if f["status"] in ("fail", "unknown")}:
            expected[rule] = expected.get(rule, 0) + 1
    assert {r["rule_id"]: r["workspaces"] for r in doc["top_failing_rules"]} == dict(
        sorted(expected.items(), key=lambda kv: -kv[1])[: aggregate.TOP_RULES])
    assert doc["failing_rules"] == len(expected)
    workspaces_counts = [r["workspaces"] for r in doc["top_failing_rules"]]
    assert workspaces_counts == sorted(workspaces_counts, reverse=True)
    # lens coverage: every best practice of the lens, failing counts consistent with the findings
    lens_ids = {row["id"] for row in per_plan["workload-dev"]["lens_coverage"]}
    assert {row["id"] for row in doc["lens_coverage"]} == lens_ids
    for row in doc["lens_coverage"]:
        failing_in = sum(1 for r in per_plan.values()
                         if any(row["id"] in f["lens"] and f["status"] in ("fail", "unknown") for f in r["findings"]))
        assert row["failing"] == failing_in, row["id"]
    md = (out / "posture.md").read_text(encoding="utf-8")
    assert all(f"[{name}](<" in md for name in WORKSPACES)
    assert "## Evidence" in md and per_plan["workload-dev"]["evidence"]["plan"]["sha256"] in md
    assert doc["trend"] is None


def test_workspace_name_falls_back_to_the_plan_file(tmp_path, reports):
    doc = _load(reports["workload-dev"])
    del doc["evidence"]["workspace"]
    twin = copy.deepcopy(doc)
    run, out = _aggregate(tmp_path, _write(tmp_path / "a" / "report.json", doc), _write(tmp_path / "b" / "report.json", twin))
    assert run.code == 0, run.err
    names = [w["name"] for w in _load(out / "posture.json")["workspaces"]]
    assert names == ["workload-dev", "workload-dev#2"]


def _first(doc: dict, status: str) -> dict:
    return next(f for f in doc["findings"] if f["status"] == status)


def test_trend_against_a_modified_previous_aggregate(tmp_path, reports):
    run, out = _aggregate(tmp_path, *reports.values())
    assert run.code == 0, run.err
    previous = _load(out / "posture.json")
    dev_prev = next(w for w in previous["workspaces"] if w["name"] == "workload-dev")
    # (1) a finding failing now was not failing before -> new failure
    gone_from_previous = next(f for f in dev_prev["open_findings"] if f["status"] == "fail")
    dev_prev["open_findings"].remove(gone_from_previous)
    # (2) a resource that passes now was failing before -> fixed
    dev_now = _load(reports["workload-dev"])
    passing = next(f for f in dev_now["findings"] if f["status"] == "pass" and f["pillar"] == "reliability")
    dev_prev["open_findings"].append({k: passing[k] for k in ("rule_id", "title", "source", "pillar", "lens", "severity",
                                                               "address", "message")} | {"status": "fail"})
    # (3) a workspace audited before and not now -> its failures count as fixed
    ghost = copy.deepcopy(dev_prev)
    ghost["name"] = "workload-sandbox"
    ghost["open_findings"] = [f for f in ghost["open_findings"] if f["status"] == "fail"][:2]
    previous["workspaces"].append(ghost)
    # (4) a finding waived now that was failing -> newly waived (in a modified current report)
    # (the prod plan passes every rule: a finding that passes now is made failing in the previous
    # aggregate and waived in the current report)
    prod_now = _load(reports["workload-prod"])
    waived = next(f for f in prod_now["findings"] if f["status"] == "pass" and f["address"] != "(root module)")
    prod_prev = next(w for w in previous["workspaces"] if w["name"] == "workload-prod")
    prod_prev["open_findings"].append({k: waived[k] for k in ("rule_id", "title", "source", "pillar", "lens", "severity",
                                                               "address", "message")} | {"status": "fail"})
    waived["status"] = "waived"
    waived["waiver"] = {"rule": waived["rule_id"], "resource": waived["address"], "justification": "migration",
                        "approved_by": "alice@example.com", "expires": "2026-06-20"}
    prod_now["waivers"]["applied"].append(waived["waiver"])
    prod_path = _write(tmp_path / "prod" / "report.json", prod_now)
    old = _write(tmp_path / "previous.json", previous)

    run, out2 = _aggregate(tmp_path / "second", reports["workload-dev"], prod_path, reports["organization-management"],
                           extra=("--previous", old))
    assert run.code == 1, run.err  # a new failure since the previous audit
    trend = _load(out2 / "posture.json")["trend"]
    rows = {r["name"]: r for r in trend["workspaces"]}
    dev = rows["workload-dev"]
    assert [(e["rule_id"], e["address"]) for e in dev["new_failures"]] == [
        (gone_from_previous["rule_id"], gone_from_previous["address"])]
    assert [(e["rule_id"], e["address"], e["status"]) for e in dev["fixed"]] == [
        (passing["rule_id"], passing["address"], "pass")]
    assert dev["by_pillar"][gone_from_previous["pillar"]]["new_failures"] == 1
    assert dev["by_pillar"]["reliability"]["fixed"] == 1
    prod = rows["workload-prod"]
    assert prod["state"] == "audited" and prod["totals"] == {"new_failures": 0, "fixed": 0, "newly_waived": 1}
    assert prod["newly_waived"][0]["address"] == waived["address"] and prod["newly_waived"][0]["was"] == "fail"
    assert prod["by_pillar"][waived["pillar"]]["newly_waived"] == 1
    assert rows["workload-sandbox"]["state"] == "removed" and rows["workload-sandbox"]["totals"]["fixed"] == 2
    assert rows["organization-management"]["totals"] == {"new_failures": 0, "fixed": 0, "newly_waived": 0}
    assert trend["totals"] == {"new_failures": 1, "fixed": 3, "newly_waived": 1}
    md = (out2 / "posture.md").read_text(encoding="utf-8")
    assert "**1 new failure(s)**, 3 fixed, 1 newly waived" in md
    # the waiver expiring within 30 days of --today is listed, once, with its workspace
    waivers = _load(out2 / "posture.json")["waivers"]
    assert [(w["rule"], w["days_left"], w["workspaces"]) for w in waivers] == [(waived["rule_id"], 19, ["workload-prod"])]


def test_waivers_expiring_within_30_days_across_the_org(tmp_path, reports):
    docs = [_load(reports["workload-dev"]), _load(reports["workload-prod"])]
    soon = {"rule": "LZ-SEC-001", "resource": "module.a.*", "justification": "vendor <b>fix</b>",
            "approved_by": "bob@example.com", "expires": "2026-06-11"}
    later = {**soon, "resource": "module.b.*", "expires": "2026-08-01"}
    expired = {**soon, "resource": "module.c.*", "expires": "2026-05-01"}
    for doc in docs:
        doc["waivers"] = {"applied": [soon], "unused": [later], "expired": [expired]}
    paths = [_write(tmp_path / f"r{i}" / "report.json", d) for i, d in enumerate(docs)]
    run, out = _aggregate(tmp_path, *paths)
    assert run.code == 0, run.err
    waivers = _load(out / "posture.json")["waivers"]
    assert [(w["resource"], w["state"], w["days_left"], w["workspaces"]) for w in waivers] == [
        ("module.c.*", "expired", -31, ["workload-dev", "workload-prod"]),
        ("module.a.*", "expiring", 10, ["workload-dev", "workload-prod"])]
    html = (out / "posture.html").read_text(encoding="utf-8")
    assert "vendor &lt;b&gt;fix&lt;/b&gt;" in html and "<b>fix</b>" not in html


@pytest.mark.parametrize("content, message", [
    (b'{"hello": "world"}', "not a genai-lz JSON report"),
    (b"not json at all", "not JSON"),
    (b'{"schema_version": "1.0", "findings": "x"}', "not a genai-lz JSON report"),
])
def test_a_non_report_input_exits_2_and_writes_nothing(tmp_path, reports, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    run, out = _aggregate(tmp_path, reports["workload-dev"], bad)
    assert run.code == 2 and message in run.err and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err and not out.exists()


def test_missing_input_and_bad_previous_exit_2(tmp_path, reports):
    run, _ = _aggregate(tmp_path, tmp_path / "nope.json")
    assert run.code == 2 and "no such file" in run.err
    run, out = _aggregate(tmp_path, reports["workload-dev"], extra=("--previous", reports["workload-prod"]))
    assert run.code == 2 and "not a genai-lz aggregate" in run.err and not out.exists()


def test_mixed_rule_pack_versions_are_refused_unless_allowed(tmp_path, reports):
    other = _load(reports["workload-prod"])
    other["evidence"]["policy"]["pack_version"] = "0.9.0"
    path = _write(tmp_path / "old-pack" / "report.json", other)
    run, out = _aggregate(tmp_path, reports["workload-dev"], path)
    assert run.code == 2 and "rule-pack version 0.9.0 differs" in run.err and "--allow-mixed-versions" in run.err
    assert not out.exists()
    run, out = _aggregate(tmp_path, reports["workload-dev"], path, extra=("--allow-mixed-versions",))
    assert run.code == 0, run.err
    doc = _load(out / "posture.json")
    current = _load(reports["workload-dev"])["evidence"]["policy"]["pack_version"]
    assert doc["policy"]["pack_versions"] == {"0.9.0": ["workload-prod"], current: ["workload-dev"]}
    assert "Mixed rule-pack versions" in (out / "posture.md").read_text(encoding="utf-8")


HOSTILE = '<script>alert("x")</script> | `code` [link](http://evil) \x1b[31m\x00'
SECRET = "SUPER-SECRET-PLAN-VALUE-42"


def test_no_markup_control_character_or_sensitive_value_reaches_an_output(tmp_path, reports):
    doc = _load(reports["workload-dev"])
    doc["evidence"]["workspace"]["name"] = "ws" + HOSTILE
    for f in doc["findings"]:
        if f["status"] in ("fail", "unknown"):
            f["title"] = f["message"] = HOSTILE
            f["address"] = f["address"] + HOSTILE
            f["evidence"]["value"] = SECRET  # an evidence value is never carried into the posture
    doc["waivers"]["applied"] = [{"rule": HOSTILE, "resource": HOSTILE, "justification": HOSTILE,
                                  "approved_by": HOSTILE, "expires": "2026-06-02"}]
    doc["lens_coverage"][0]["url"] = "javascript:alert(1)"
    path = _write(tmp_path / "javascript:alert(2)" / "report.json", doc)
    prev_run, prev = _aggregate(tmp_path / "p", reports["workload-dev"])
    assert prev_run.code == 0
    run, out = _aggregate(tmp_path, path, extra=("--previous", prev / "posture.json"))
    assert run.code == 1, run.err  # the renamed workspace is new: its failures are new
    for name in ("posture.json", "posture.md", "posture.html"):
        data = (out / name).read_bytes()
        text = data.decode("utf-8")
        assert SECRET not in text, name
        assert "\x1b" not in text and "\x00" not in text, name
        assert "<script>" not in text or name.endswith(".json"), name  # JSON is data: a string stays as it was
        assert not any(ord(ch) < 0x20 and ch not in "\n" for ch in text), name
    md = (out / "posture.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in md and "\\|" in md and "\\[link\\]" in md
    html = (out / "posture.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in html and "\\x1b[31m" in html
    assert 'href="javascript:' not in html and 'href="../javascript:alert(2)/report.json"' in html


def test_markdown_cells_are_escaped_once():
    # escaping md_cell's output again freed the brackets (\\[ is a backslash and a live [)
    assert aggregate.md("![x](https://evil.example/p.png) <b>\t|") == "!\\[x\\](https://evil.example/p.png) &lt;b&gt;\\\\x09\\|"


def test_no_report_is_an_error_and_control_characters_are_shown_escaped():
    from checks.errors import LzError

    with pytest.raises(LzError, match="no report given"):
        aggregate.aggregate([])
    assert aggregate.clean("a\x1bb\u2028c") == "a\\x1bb\\u2028c"


def test_benchmark_reports_aggregate(tmp_path, reports):
    """The benchmark's generated reports (tests/benchmarks/aggregate.py) go through the timed command."""
    from tests.benchmarks import aggregate as bench
    from tests.benchmarks import run as bench_run

    paths = bench.build(4, reports["workload-dev"], tmp_path / "bench")
    assert bench.build(4, reports["workload-dev"], tmp_path / "bench") == paths  # cached
    measured = bench_run.timed(bench.aggregate_cmd(paths, tmp_path / "org"))
    assert measured.exit_code == 0 and measured.rss_mb > 0
    doc = _load(tmp_path / "org" / "posture.json")
    assert [w["name"] for w in doc["workspaces"]] == [f"account-{i:05d}" for i in range(4)]
    assert doc["totals"]["by_status"]["fail"] > 4 * _load(reports["workload-dev"])["summary"]["by_status"]["fail"]
