"""The five report formats end to end on a real `terraform show -json` plan.

tests/fixtures/report/tfroot is a small Terraform root (a module called with for_each, a
commented-out block, a heredoc that looks like a block, an SSM parameter with a sensitive
value); tests/fixtures/report/plan.json is its plan. The tests run `genai-lz check` with
every format at once, then validate SARIF against the OASIS SARIF 2.1.0 schema, JUnit
against the JUnit XSD and JSON against the report schema, and check locations, waivers,
checkov findings and that no sensitive value leaks into any format.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_cli

REPORT_FIXTURES = FIXTURES / "report"
PLAN = REPORT_FIXTURES / "plan.json"
TF_ROOT = REPORT_FIXTURES / "tfroot"
SECRET = "PLANTED-SECRET-7f3a9c"
FORMATS = ("json", "markdown", "html", "sarif", "junit")
EXTENSIONS = {"json": "json", "markdown": "md", "html": "html", "sarif": "sarif", "junit": "xml"}
TODAY = "2026-01-15"


def sarif_validator():
    from jsonschema import Draft4Validator

    schema = json.loads((FIXTURES / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def junit_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(FIXTURES / "junit.xsd"))


def write_secret_policy(root: Path) -> Path:
    """A rule pack with one rule that reads the sensitive SSM value and puts it everywhere it can."""
    folder = root / "security" / "LZ-TST-001_reads_secret"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(textwrap.dedent('''
        from checks import Result, rule

        @rule(id="LZ-TST-001", title="Test rule that reads a sensitive value", pillar="security",
              lens=["GENSEC01-BP02"], severity="high", resource_types=("aws_ssm_parameter",),
              remediation="Do not put secrets in plans.", rationale="exercises masking")
        def check(param, plan, params):
            value = param.get("value")
            return Result.failed(f"the parameter value is {value}", path="value", value=value)
    '''), encoding="utf-8")
    return root


def write_waivers(path: Path) -> Path:
    path.write_text(textwrap.dedent('''
        waivers:
          - rule: LZ-REL-001
            resource: aws_vpc.shared
            justification: "shared VPC subnets come from <script>alert('x')</script> the network account"
            approved_by: alice@example.com
            expires: "2026-02-01"
            ticket: NET-42
          - rule: LZ-SEC-001
            resource: module.net["b"].*
            justification: temporary exception for the migration window
            approved_by: bob@example.com
            expires: "2025-12-31"
    '''), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def all_reports(tmp_path_factory) -> dict[str, Path]:
    """`genai-lz check` with all five formats, waivers and the secret-reading rule."""
    tmp = tmp_path_factory.mktemp("reports")
    policies = write_secret_policy(tmp / "policies")
    waivers = write_waivers(tmp / "waivers.yaml")
    out = tmp / "out"
    args = ["check", PLAN, "--policies", policies, "--waivers", waivers, "--today", TODAY, "--tf-root", TF_ROOT,
            "--output", out, "--timestamp", "-q"]
    for fmt in FORMATS:
        args += ["--format", fmt]
    run = run_cli(*args)
    assert run.code == 1, run.err  # the fixture fails the gate
    return {fmt: out / f"report.{EXTENSIONS[fmt]}" for fmt in FORMATS}


def test_all_formats_written_atomically(all_reports):
    out = next(iter(all_reports.values())).parent
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in all_reports.values())  # no temp files left
    for path in all_reports.values():
        assert path.stat().st_size > 200


def test_no_sensitive_value_in_any_format(all_reports):
    assert SECRET in PLAN.read_text(encoding="utf-8")  # the plan really carries it
    for fmt, path in all_reports.items():
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text, f"the sensitive value leaked into the {fmt} report"
    report = json.loads(all_reports["json"].read_text(encoding="utf-8"))
    finding = next(f for f in report["findings"] if f["rule_id"] == "LZ-TST-001")
    assert finding["evidence"]["value"] == "(sensitive value)"
    assert "(sensitive value)" in finding["message"]


def test_json_report_valid(all_reports):
    from checks.schema import first_error

    assert first_error("report.schema.json", json.loads(all_reports["json"].read_text(encoding="utf-8"))) is None


def test_sarif_valid_and_located(all_reports):
    sarif = json.loads(all_reports["sarif"].read_text(encoding="utf-8"))
    errors = sorted(sarif_validator().iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    report = json.loads(all_reports["json"].read_text(encoding="utf-8"))
    failing = {(f["rule_id"], f["address"]) for f in report["findings"] if f["status"] == "fail"}
    results = {(r["ruleId"], r["properties"]["address"]): r for r in run["results"]}
    assert failing and failing <= results.keys()
    for (rule_id, address), res in results.items():
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == rule_id
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        path = REPO / loc["artifactLocation"]["uri"]
        line = path.read_text(encoding="utf-8").splitlines()[loc["region"]["startLine"] - 1]
        if address == "(root module)":  # a plan-level finding: the root module's main.tf, line 1
            assert (loc["artifactLocation"]["uri"], loc["region"]["startLine"]) == ("tests/fixtures/report/tfroot/main.tf", 1)
            continue
        rtype, name = re.sub(r"\[[^\]]*\]", "", address).split(".")[-2:]
        assert line.startswith(f'resource "{rtype}" "{name}"'), (address, path, line)
        assert res["properties"]["location_exact"] is True
    # a root resource points at the root's file, a resource of the for_each module at the module's file
    secret_param = results[("LZ-TST-001", "aws_ssm_parameter.api_token")]
    assert secret_param["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/fixtures/report/tfroot/main.tf"
    module_vpc = [r for (rid, a), r in results.items() if a == 'module.net["a"].aws_vpc.this']
    assert module_vpc and all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                              == "tests/fixtures/report/tfroot/modules/net/main.tf" for r in module_vpc)
    # rules: help text, lens tags, GitHub's security-severity
    sec = rules["LZ-SEC-001"]
    assert "GENSEC01-BP02" in sec["properties"]["tags"] and "security" in sec["properties"]["tags"]
    assert float(sec["properties"]["security-severity"]) >= 7.0
    assert sec["helpUri"].startswith("https://docs.aws.amazon.com/wellarchitected/")
    assert "Remediation" in sec["help"]["markdown"]


def test_sarif_lists_every_unknown_finding_as_open(tmp_path):
    """What the gate could not decide reaches code scanning: every unknown finding of the JSON
    report is a SARIF result of kind "open" (level "none", SARIF 2.1.0 §3.27.10), blocking
    ones and others, schema-valid; fails keep kind "fail" and their level."""
    plan = FIXTURES / "checkov" / "afterapply.plan.json"
    out = tmp_path / "out"
    run = run_cli("check", plan, "--checkov", "--fail-on", "critical", "--format", "sarif", "--format", "json",
                  "--output", out, "-q")
    assert run.code == 1, run.err  # CKV_AWS_277 (critical) is unknown and unknown counts as a failure
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(sarif))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    unknown = {(f["rule_id"], f["address"]) for f in report["findings"] if f["status"] == "unknown"}
    results = sarif["runs"][0]["results"]
    open_results = {(r["ruleId"], r["properties"]["address"]): r for r in results if r["kind"] == "open"}
    assert len(unknown) >= 8 and set(open_results) == unknown
    assert {r["level"] for r in open_results.values()} == {"none"}
    blocking = {k for k, r in open_results.items() if r["properties"]["blocking"]}
    assert blocking == {k for k in unknown if k[0] == "CKV_AWS_277"}
    for key, res in open_results.items():
        assert res["message"]["text"].startswith("[unknown at plan time, " + (
            "blocks the gate]" if key in blocking else "does not block the gate]"))
    assert all(r["kind"] == "fail" and r["level"] != "none" for r in results if r["properties"]["status"] == "fail")


def test_sarif_waived_results_are_suppressed(all_reports):
    run = json.loads(all_reports["sarif"].read_text(encoding="utf-8"))["runs"][0]
    waived = [r for r in run["results"] if r["properties"]["status"] == "waived"]
    assert [r["properties"]["address"] for r in waived] == ["aws_vpc.shared"]
    suppression = waived[0]["suppressions"][0]
    assert suppression["status"] == "accepted" and "alice@example.com" in suppression["justification"]
    # the expired waiver does not apply: module.net["b"] still fails LZ-SEC-001, unsuppressed
    expired = [r for r in run["results"] if r["ruleId"] == "LZ-SEC-001" and r["properties"]["address"].startswith('module.net["b"]')]
    assert expired and "suppressions" not in expired[0]


def test_junit_valid_and_mapped(all_reports):
    import xml.etree.ElementTree as ET

    junit_schema().validate(str(all_reports["junit"]))
    report = json.loads(all_reports["json"].read_text(encoding="utf-8"))
    tree = ET.parse(all_reports["junit"])
    cases = {(c.get("classname").rsplit(".", 1)[-1], c.get("name")): c for c in tree.iter("testcase")}
    assert len(cases) == len(report["findings"])
    gate = report["verdict"]["gate"]
    ranks = ["info", "low", "medium", "high", "critical"]
    for f in report["findings"]:
        case = cases[(f["rule_id"], f["address"])]
        blocking_unknown = (f["status"] == "unknown" and gate["unknown_fails"]
                            and ranks.index(f["severity"]) >= ranks.index(gate["fail_on"]))
        if f["status"] == "fail" or blocking_unknown:
            assert case.find("failure") is not None, f
        elif f["status"] == "pass":
            assert len(case) == 0
        else:
            assert case.find("skipped") is not None, f
    root = tree.getroot()
    assert int(root.get("tests")) == len(report["findings"])
    assert int(root.get("failures")) == sum(1 for c in cases.values() if c.find("failure") is not None)


def test_markdown_and_html_show_waivers(all_reports):
    html = all_reports["html"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="waiver expired"' in html and "bob@example.com" in html
    assert 'class="waiver expiring"' in html  # alice's expires 17 days after TODAY
    md = all_reports["markdown"].read_text(encoding="utf-8")
    assert "alice@example.com" in md and "expired 2025-12-31" in md


def test_sarif_unresolvable_location_falls_back_to_plan(tmp_path):
    out = tmp_path / "r.sarif"
    pretty = tmp_path / "plan.json"
    pretty.write_text(json.dumps(json.loads(PLAN.read_text(encoding="utf-8")), indent=2), encoding="utf-8")
    run = run_cli("check", pretty, "--format", "sarif", "--output", out, "--tf-root", tmp_path, "-q")
    assert run.code == 1, run.err
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(sarif))
    results = sarif["runs"][0]["results"]
    assert results
    lines = pretty.read_text(encoding="utf-8").splitlines()
    for res in results:
        loc = res["locations"][0]["physicalLocation"]
        assert Path(loc["artifactLocation"]["uri"]).name == "plan.json"
        assert res["properties"]["location_exact"] is False and "not found in the configuration" in res["message"]["text"]
        if res["properties"]["address"] == "(root module)":  # not in the plan file: its first line
            assert loc["region"]["startLine"] == 1
        else:
            assert json.dumps(res["properties"]["address"]) in lines[loc["region"]["startLine"] - 1]


def _result_with(findings_extra=(), extra=None):
    from checks import engine, plan as plan_module, registry

    plan = plan_module.load(PLAN)
    result = engine.check(plan, registry.load_rules(), engine.load_policy_data(), today=dt.date(2026, 1, 15),
                          extra_findings=list(findings_extra))
    result.extra.update(extra or {})
    return result


def test_checkov_findings_in_every_format():
    from checks.model import Finding, Status
    from checks.report import writer_for

    ckv = Finding(rule_id="CKV_AWS_130", title="Ensure VPC subnets do not assign public IP by default", pillar="other",
                  lens=(), severity="medium", address="aws_vpc.shared", resource_type="aws_vpc", module="",
                  status=Status.FAIL, message="checkov check failed", source="checkov",
                  remediation="See the checkov policy index.")
    result = _result_with([ckv], {"evidence": {"checkov": {"version": "3.3.30"}}})
    sarif = json.loads(writer_for("sarif").render(result))
    assert not list(sarif_validator().iter_errors(sarif))
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "CKV_AWS_130")
    assert rule["helpUri"].startswith("https://www.checkov.io/") and "checkov" in rule["properties"]["tags"]
    assert any(r["ruleId"] == "CKV_AWS_130" for r in sarif["runs"][0]["results"])
    html = writer_for("html").render(result).decode("utf-8")
    assert 'id="pillar-other"' in html and "CKV_AWS_130" in html and "3.3.30" in html
    junit = writer_for("junit").render(result)
    assert b'classname="genai-lz.other.CKV_AWS_130"' in junit


def test_cost_section_inserted_only_when_estimated():
    """The real cost section (checks/report/cost_section.py) of the real estimate of the plan."""
    from checks import api
    from checks.report import cost_section, writer_for

    without = writer_for("html").render(_result_with()).decode("utf-8")
    assert 'id="cost"' not in without
    cost = api.estimate_cost(PLAN).to_dict()
    assert [r["address"] for r in cost["resources"]] == [
        "aws_ssm_parameter.api_token", 'module.net["a"].aws_vpc_endpoint.bedrock_runtime[0]']
    result = _result_with(extra={"cost": cost})
    html = writer_for("html").render(result).decode("utf-8")
    fragment = cost_section.html(cost)
    assert fragment in html and html.count('id="cost"') == 1  # the fragment's own section, not wrapped twice
    assert html.index('id="findings"') < html.index('id="cost"')  # findings lead, the cost follows
    assert '<details class="cost-resources">' in fragment  # the per-resource table folded
    assert "Monthly cost estimate" in fragment and "aws_ssm_parameter.api_token" in fragment
    markdown = writer_for("markdown").render(result).decode("utf-8")
    assert cost_section.markdown(cost) in markdown
    assert "| `aws_ssm_parameter.api_token` | NOT PRICED | - | - | no cost model for aws_ssm_parameter |" in markdown


DEV_PLAN = REPO / "build" / "workload-dev.plan.json"


def test_dev_plan_sarif_and_junit(tmp_path, monkeypatch):
    """The landing zone's own dev plan: it passes the gate; valid SARIF/JUnit, every resource
    result on its block. `make test` plans it first (`make lz-plans`): missing is a failure."""
    assert DEV_PLAN.is_file(), "build/workload-dev.plan.json not there: run `make lz-plans` first (make test does)"
    monkeypatch.chdir(REPO)  # the root module directory is guessed (terraform/workload)
    out = tmp_path / "out"
    run = run_cli("check", DEV_PLAN, "--format", "sarif", "--format", "junit", "--output", out, "-q")
    assert run.code == 0, run.err
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator().iter_errors(sarif))
    junit_schema().validate(str(out / "report.xml"))
    run_ = sarif["runs"][0]
    assert run_["properties"]["tf_root"] == "terraform/workload"
    for res in run_["results"]:
        loc = res["locations"][0]["physicalLocation"]
        text = (REPO / loc["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()
        address = res["properties"]["address"]
        if address == "(root module)":
            assert loc["artifactLocation"]["uri"] == "terraform/workload/main.tf"
            continue
        assert res["properties"]["location_exact"], address
        _, rtype, name = re.sub(r"\[[^\]]*\]", "", address).rsplit(".", 2)
        assert text[loc["region"]["startLine"] - 1].strip().startswith(f'resource "{rtype}" "{name}"'), address
