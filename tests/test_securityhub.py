"""`genai-lz publish securityhub`: ASFF from a report, dry run, and the round trip through
the local emulator (moto server on 127.0.0.1, started for the test and stopped by pid):
findings read back with GetFindings, a rerun updates instead of duplicating, fixed findings
are archived, more than 100 findings go in several batches."""
from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from checks.integrations import securityhub
from checks.model import finding_fingerprint
from conftest import FIXTURES, run_cli

PLAN = FIXTURES / "report" / "plan.json"
ACCOUNT = "123456789012"  # the emulator's account for non-STS credentials
REQUIRED = ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "UpdatedAt",
            "Severity", "Title", "Description", "Resources")


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hub") / "report.json"
    run = run_cli("check", PLAN, "--output", out, "--today", "2026-01-15", "--workspace", "fixture-dev", "-q")
    assert run.code == 1, run.err
    return out


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _failing(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["status"] in ("fail", "unknown")]


def test_dry_run_writes_asff_with_the_required_fields(tmp_path, report_path):
    out = tmp_path / "asff.json"
    run = run_cli("publish", "securityhub", report_path, "--dry-run", out, "--account-id", "222222222222",
                  "--region", "eu-west-1")
    assert run.code == 0, run.err
    report = _load(report_path)
    findings = _load(out)["Findings"]
    failing = _failing(report)
    assert len(findings) == len(failing) > 0
    for finding, f in zip(findings, failing):
        assert all(finding.get(k) for k in REQUIRED), finding
        assert finding["SchemaVersion"] == "2018-10-08"
        assert finding["ProductArn"] == "arn:aws:securityhub:eu-west-1:222222222222:product/222222222222/default"
        assert finding["AwsAccountId"] == "222222222222" and finding["GeneratorId"] == f"genai-lz/{f['rule_id']}"
        assert finding["Id"] == f"genai-lz/fixture-dev/{finding_fingerprint(f['rule_id'], f['address'])}"
        assert finding["Severity"]["Label"] == securityhub.SEVERITY_LABEL[f["severity"]]
        assert finding["Compliance"]["Status"] == {"fail": "FAILED", "unknown": "WARNING"}[f["status"]]
        assert finding["Compliance"].get("RelatedRequirements", []) == f["lens"]
        assert finding["RecordState"] == "ACTIVE"
        resource = finding["Resources"][0]
        assert resource["Type"] == "Other" and resource["Id"] == f["address"]
        assert resource["Details"]["Other"]["TerraformAddress"] == f["address"]
        assert all("/" in t and t.count("/") == 2 for t in finding["Types"])
        assert len(finding["Title"]) <= 256 and len(finding["Description"]) <= 1024
        assert finding["CreatedAt"].endswith("Z")
    again = tmp_path / "again.json"
    assert run_cli("publish", "securityhub", report_path, "--dry-run", again, "--account-id", "222222222222",
                   "--region", "eu-west-1").code == 0
    assert [f["Id"] for f in _load(again)["Findings"]] == [f["Id"] for f in findings]  # stable ids


def _plan_with_a_known_arn(report_path) -> tuple[dict, dict, str]:
    """(the report's first failing finding, the plan with that resource's ARN known at plan
    time, the ARN)."""
    target = _failing(_load(report_path))[0]
    plan = json.loads(PLAN.read_text(encoding="utf-8"))
    arn = "arn:aws:s3:::known-at-plan-time"
    for rc in plan["resource_changes"]:
        if rc["address"] == target["address"]:
            rc["change"]["after"]["arn"] = arn
            (rc["change"].get("after_unknown") or {}).pop("arn", None)
    return target, plan, arn


def test_planned_arn_is_the_resource_id_when_the_plan_knows_it(tmp_path, report_path):
    target, plan, arn = _plan_with_a_known_arn(report_path)
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    run = run_cli("check", plan_path, "--output", tmp_path / "r.json", "--today", "2026-01-15", "-q")
    assert run.code == 1, run.err
    arns = securityhub.planned_arns(_load(tmp_path / "r.json"), None)  # the plan the report names, same sha256
    assert arns == {target["address"]: arn}
    findings = securityhub.to_asff(_load(tmp_path / "r.json"), account_id=ACCOUNT, region="us-east-1",
                                   now=dt.datetime.now(dt.timezone.utc), arns=arns)
    resource = next(f["Resources"][0] for f in findings if f["Resources"][0]["Details"]["Other"]["TerraformAddress"] == target["address"])
    assert resource["Id"] == arn and resource["Type"] == securityhub.ASFF_TYPES.get(target["resource_type"], "Other")
    # another plan than the one judged is refused
    bad = run_cli("publish", "securityhub", report_path, "--plan", plan_path, "--dry-run", tmp_path / "x.json",
                  "--account-id", ACCOUNT, "--region", "us-east-1")
    assert bad.code == 2 and "is not the sha256 of the plan the report judged" in bad.err


def test_bad_inputs_exit_2(tmp_path, report_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a report"}', encoding="utf-8")
    run = run_cli("publish", "securityhub", bad, "--dry-run", tmp_path / "o.json", "--account-id", ACCOUNT, "--region", "us-east-1")
    assert run.code == 2 and "not a genai-lz JSON report" in run.err
    run = run_cli("publish", "securityhub", report_path, "--dry-run", tmp_path / "o.json", "--region", "us-east-1")
    assert run.code == 2 and "--account-id" in run.err
    run = run_cli("publish", "securityhub", report_path, "--dry-run", tmp_path / "o.json", "--account-id", "12", "--region", "x")
    assert run.code == 2 and "12-digit" in run.err
    assert not (tmp_path / "o.json").exists()
    assert run_cli("publish").code == 2


# ------------------------------------------------------------------ the emulator round trip
@pytest.fixture()
def hub(tmp_path, monkeypatch):
    """A moto server of our own (state under tmp_path, stopped by its pid), the SDK environment pointed at it."""
    pytest.importorskip("moto", reason="the emulator extra (moto[server]) is a dev dependency")
    from checks.ops import emulator

    monkeypatch.setattr(emulator, "state_dir", lambda: tmp_path / "emulator")
    running, _ = emulator.up(timeout=60)
    try:
        for key, value in emulator.emulator_env(running).items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        import boto3

        yield boto3.session.Session(region_name="us-east-1").client("securityhub", endpoint_url=running.endpoint)
    finally:
        emulator.down()


def _all_findings(client) -> dict[str, dict]:
    found = {}
    for page in client.get_paginator("get_findings").paginate():
        for f in page["Findings"]:
            found[f["Id"]] = f
    return found


def _publish(path: Path):
    return run_cli("publish", "securityhub", path, "--region", "us-east-1")


def test_round_trip_through_the_emulator(tmp_path, report_path, hub):
    report = _load(report_path)
    failing = _failing(report)
    first = _publish(report_path)
    assert first.code == 0, first.err
    assert f"{len(failing)} active (0 updated), 0 archived" in first.err
    found = _all_findings(hub)
    assert len(found) == len(failing)
    ids = {f"genai-lz/fixture-dev/{finding_fingerprint(f['rule_id'], f['address'])}": f for f in failing}
    assert set(found) == set(ids)
    for fid, finding in found.items():
        assert finding["RecordState"] == "ACTIVE" and finding["AwsAccountId"] == ACCOUNT
        assert finding["Compliance"].get("RelatedRequirements", []) == ids[fid]["lens"]
    created = {fid: f["CreatedAt"] for fid, f in found.items()}

    # a rerun updates the same findings: no duplicate, CreatedAt kept
    again = _publish(report_path)
    assert again.code == 0 and f"{len(failing)} active ({len(failing)} updated), 0 archived" in again.err
    found = _all_findings(hub)
    assert len(found) == len(failing)
    assert {fid: f["CreatedAt"] for fid, f in found.items()} == created

    # one failure fixed: it is archived (Compliance PASSED), the others stay active
    fixed_report = copy.deepcopy(report)
    fixed = next(f for f in fixed_report["findings"] if f["status"] == "fail")
    fixed["status"] = "pass"
    fixed_path = tmp_path / "fixed.json"
    fixed_path.write_text(json.dumps(fixed_report), encoding="utf-8")
    third = _publish(fixed_path)
    assert third.code == 0 and f"{len(failing) - 1} active" in third.err and "1 archived" in third.err, third.err
    found = _all_findings(hub)
    fixed_id = f"genai-lz/fixture-dev/{finding_fingerprint(fixed['rule_id'], fixed['address'])}"
    assert found[fixed_id]["RecordState"] == "ARCHIVED" and found[fixed_id]["Compliance"]["Status"] == "PASSED"
    assert found[fixed_id]["CreatedAt"] == created[fixed_id]
    assert sum(1 for f in found.values() if f["RecordState"] == "ACTIVE") == len(failing) - 1
    # archived stays archived on the next run (nothing more to archive)
    fourth = _publish(fixed_path)
    assert fourth.code == 0 and "0 archived" in fourth.err


def test_more_than_100_findings_go_in_batches(tmp_path, report_path, hub):
    report = _load(report_path)
    template = _failing(report)[0]
    report["findings"] = [dict(template, address=f"aws_s3_bucket.many[{i}]") for i in range(230)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    run = _publish(path)
    assert run.code == 0 and "230 active (0 updated), 0 archived as fixed, in 3 batch(es)" in run.err, run.err
    assert len(_all_findings(hub)) == 230


def test_the_demo_step_publishes_every_checked_report(tmp_path, report_path, hub, monkeypatch, capsys):
    from checks.ops import demo, emulator
    from checks.ops.workspace import Workspace

    monkeypatch.setattr(Workspace, "report_dir", property(lambda self: tmp_path / "reports" / self.name))
    run = demo.Demo(["dev", "prod"], out=sys.stdout)
    run.emu = emulator.status()
    expected = 0
    for row in run.rows:
        report = _load(report_path)
        report["evidence"]["workspace"] = {"name": row.ws.name}
        expected += len(_failing(report))
        (row.ws.report_dir).mkdir(parents=True)
        (row.ws.report_dir / "report.json").write_text(json.dumps(report), encoding="utf-8")
    run.step("publish the findings to Security Hub (ASFF)", run._publish_findings)
    found = _all_findings(hub)
    assert len(found) == expected
    assert {f["ProductFields"]["genai-lz/Workspace"] for f in found.values()} == {r.ws.name for r in run.rows}
    assert [r.ws.label for r in run.rows] == ["organization/management", "log-archive/log-archive", "audit/audit",
                                              "workload/dev", "workload/prod"]
    said = capsys.readouterr().out
    assert all(f"{r.ws.label}:" in said for r in run.rows), said


def test_a_broken_aws_configuration_is_exit_2_not_a_crash(tmp_path, report_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[profile broken\nregion", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    run = run_cli("publish", "securityhub", report_path, "--region", "us-east-1")
    assert run.code == 2 and "Unable to parse config file" in run.err and "Traceback" not in run.err


def test_a_relative_plan_name_is_found_from_another_directory(tmp_path, monkeypatch, report_path):
    """The report names its plan relative to where the check ran; `publish` run from another
    directory finds it through the report's own location (same sha256), not through cwd."""
    target, plan, arn = _plan_with_a_known_arn(report_path)
    project = tmp_path / "project"
    (project / "build").mkdir(parents=True)
    (project / "build" / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    monkeypatch.chdir(project)
    run = run_cli("check", "build/plan.json", "--output", "reports/dev/r.json", "--today", "2026-01-15", "-q")
    assert run.code == 1, run.err
    written = project / "reports" / "dev" / "r.json"
    assert _load(written)["evidence"]["plan"]["source"] == "build/plan.json"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert securityhub.planned_arns(_load(written), None) == {}  # not in this directory
    import builtins
    import io
    import os

    opened: list[str] = []  # the plan found is opened once, by the plan reader (size limit, regular files)
    for module, name in ((os, "open"), (builtins, "open"), (io, "open")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda path, *a, _o=original, **k: (
            opened.append(str(path)) if str(path).endswith("plan.json") else None) or _o(path, *a, **k))
    assert securityhub.planned_arns(_load(written), None, str(written)) == {target["address"]: arn}
    monkeypatch.undo()
    assert len(opened) == 1, opened
    monkeypatch.chdir(elsewhere)
    out = elsewhere / "asff.json"
    assert run_cli("publish", "securityhub", written, "--dry-run", out, "--account-id", ACCOUNT,
                   "--region", "us-east-1").code == 0
    assert arn in {f["Resources"][0]["Id"] for f in _load(out)["Findings"]}
    # a file of that name with other bytes is not taken for the plan
    (project / "build" / "plan.json").write_text(json.dumps(plan) + "\n", encoding="utf-8")
    assert securityhub.planned_arns(_load(written), None, str(written)) == {}
