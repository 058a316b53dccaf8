"""`genai-lz check --checkov`: checkov's records as findings, in the same gate and reports.

Fixture plans (tests/fixtures/checkov/, real `terraform show -json` output, regenerate.sh):
- trail.plan.json: one CloudTrail trail whose only failing checkov check at `high` is
  CKV_AWS_36 (no log file validation);
- mixed.plan.json: module instances, values unknown at plan time, mapped and unmapped
  checks, and KMS keys that a native rule (tests/fixtures/checkov/policies) also judges.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap

import pytest
import yaml

from checks import engine, plan as plan_module, registry
from checks.integrations import checkov_bridge
from checks.errors import ToolError
from checks.model import Status
from conftest import FIXTURES, POLICIES, REPO, run_cli

HERE = FIXTURES / "checkov"
TRAIL = HERE / "trail.plan.json"
MIXED = HERE / "mixed.plan.json"
AFTER_APPLY = HERE / "afterapply.plan.json"
NATIVE = HERE / "policies"
TODAY = dt.date(2026, 1, 1)


def _subprocess(code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, argv)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


def _validate_report(document: dict) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((POLICIES / "schemas" / "report.schema.json").read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


# --------------------------------------------------------------------------------------
# the gate


def test_only_a_checkov_check_fails_the_gate(tmp_path):
    out = tmp_path / "r.json"
    without = run_cli("check", TRAIL, "--no-builtin", "--fail-on", "high", "--output", out)
    assert without.code == 0, without.err
    result = run_cli("check", TRAIL, "--checkov", "--no-builtin", "--fail-on", "high", "--output", out)
    assert result.code == 1, result.err
    assert "CKV_AWS_36 aws_cloudtrail.fail" in result.err
    document = json.loads(out.read_text())
    _validate_report(document)
    assert document["verdict"]["blocking_findings"] == ["CKV_AWS_36 aws_cloudtrail.fail"]
    finding = next(f for f in document["findings"] if f["rule_id"] == "CKV_AWS_36")
    assert finding["source"] == "checkov" and finding["status"] == "fail" and finding["pillar"] == "security"
    assert finding["title"] == "Ensure CloudTrail log file validation is enabled"
    # log file validation is a logging control, not a GenAI lens practice (checkov.yaml framework SEC04-BP01)
    assert finding["lens"] == [] and finding["severity"] == "high"
    assert finding["evidence"] == {"path": "enable_log_file_validation", "value": False, "via": None}
    checkov = document["evidence"]["checkov"]
    assert checkov["version"] == checkov_bridge.checkov_version() == "3.3.30"
    assert checkov["records"] == 7 and checkov["superseded"] == {}


def test_checkov_unavailable_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "r.json"
    code = """
        import sys
        sys.modules["checkov"] = None  # what a missing installation looks like to `import checkov.x`
        from checks.cli import main
        sys.exit(main(sys.argv[1:]))
    """
    done = _subprocess(code, "check", TRAIL, "--checkov", "--no-builtin", "--fail-on", "high", "--output", out)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "checkov cannot be imported" in lines[0] and "checkov==3.3.30" in lines[0]
    assert not out.exists()


def test_a_checkov_crash_exits_2(monkeypatch, tmp_path):
    checkov_bridge.checkov_version()  # imported before patching a class of it
    from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph

    def crash(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(TerraformLocalGraph, "build_graph", crash)
    result = run_cli("check", TRAIL, "--checkov", "--no-builtin", "--output", tmp_path / "r.json")
    assert result.code == 2
    assert "checkov 3.3.30 failed on" in result.err and "RuntimeError: boom" in result.err
    assert not (tmp_path / "r.json").exists()


def test_a_document_checkov_cannot_read_exits_2(tmp_path):
    """A state document passes our loader, but checkov reads only plans: never a silent pass."""
    plan = json.loads(MIXED.read_text())
    state = {"format_version": "1.0", "terraform_version": plan["terraform_version"],
             "values": {"root_module": plan["planned_values"]["root_module"]}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    result = run_cli("check", path, "--checkov", "--no-builtin", "--output", tmp_path / "r.json")
    assert result.code == 2
    assert "checkov 3.3.30 read no resources from" in result.err


def test_without_the_flag_checkov_is_never_imported(tmp_path):
    code = """
        import sys
        from checks.cli import main
        codes = [main(["check", sys.argv[1], "--quiet", "--output", sys.argv[2]]), main(["rules", "--format", "json"])]
        loaded = sorted(m for m in sys.modules if m == "checkov" or m.startswith("checkov."))
        print(codes, len(loaded), file=sys.stderr)
        sys.exit(3 if loaded else 0)
    """
    done = _subprocess(code, TRAIL, tmp_path / "r.json")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.json").is_file()


def test_checkov_makes_no_network_call(tmp_path):
    code = """
        import socket, sys
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(repr(args[:2]))
            raise OSError("network disabled by the test")
        socket.socket.connect = socket.socket.connect_ex = refuse
        socket.getaddrinfo = socket.create_connection = refuse
        from checks.cli import main
        code = main(["check", sys.argv[1], "--checkov", "--no-builtin", "--quiet", "--output", sys.argv[2]])
        print("attempts:", attempts, file=sys.stderr)
        sys.exit(10 + code if attempts else code)
    """
    done = _subprocess(code, MIXED, tmp_path / "r.json")
    assert done.returncode == 1, done.stderr


# --------------------------------------------------------------------------------------
# findings


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The mixed plan through the engine with a native rule that supersedes CKV_AWS_7."""
    document = yaml.safe_load((POLICIES / "checkov.yaml").read_text())
    document["checks"]["CKV_AWS_7"]["superseded_by"] = "LZ-TST-001"
    mapping = tmp_path_factory.mktemp("mapping") / "checkov.yaml"
    mapping.write_text(yaml.safe_dump(document))
    plan = plan_module.load(MIXED)
    policy = engine.load_policy_data()
    rules = registry.load_rules([NATIVE], include_builtin=False)
    findings, evidence = checkov_bridge.run(plan, policy.params, rules, mapping_file=mapping)
    result = engine.check(plan, rules, policy, extra_findings=findings, today=TODAY)
    return result, evidence


EXPECTED = {
    # native rule LZ-TST-001 judges every KMS key; CKV_AWS_7 on the same keys is dropped
    ("LZ-TST-001", "aws_kms_key.logs", "pass"),
    ("LZ-TST-001", 'module.store["fail"].aws_kms_key.this', "fail"),
    ("LZ-TST-001", 'module.store["pass"].aws_kms_key.this', "pass"),
    ("CKV2_AWS_64", "aws_kms_key.logs", "fail"),
    ("CKV2_AWS_64", 'module.store["fail"].aws_kms_key.this', "fail"),
    ("CKV2_AWS_64", 'module.store["pass"].aws_kms_key.this', "fail"),
    ("CKV_AWS_227", "aws_kms_key.logs", "pass"),
    ("CKV_AWS_227", 'module.store["fail"].aws_kms_key.this', "pass"),
    ("CKV_AWS_227", 'module.store["pass"].aws_kms_key.this', "pass"),
    ("CKV_AWS_33", "aws_kms_key.logs", "pass"),
    ("CKV_AWS_33", 'module.store["fail"].aws_kms_key.this', "pass"),
    ("CKV_AWS_33", 'module.store["pass"].aws_kms_key.this', "pass"),
    ("CKV2_AWS_11", "aws_vpc.main", "fail"),
    ("CKV2_AWS_12", "aws_vpc.main", "fail"),
    ("CKV_AWS_24", "aws_security_group.fail", "fail"),
    ("CKV_AWS_24", "aws_security_group.app", "pass"),
    ("CKV_AWS_25", "aws_security_group.fail", "pass"),
    ("CKV_AWS_25", "aws_security_group.app", "pass"),
    ("CKV_AWS_260", "aws_security_group.fail", "pass"),
    ("CKV_AWS_260", "aws_security_group.app", "pass"),
    ("CKV_AWS_277", "aws_security_group.fail", "pass"),
    ("CKV_AWS_277", "aws_security_group.app", "pass"),
    ("CKV_AWS_382", "aws_security_group.fail", "pass"),
    ("CKV_AWS_382", "aws_security_group.app", "pass"),
    # checkov passes these without seeing the CIDR: unknown at plan time
    ("CKV_AWS_24", "aws_vpc_security_group_ingress_rule.unknown", "unknown"),
    ("CKV_AWS_25", "aws_vpc_security_group_ingress_rule.unknown", "unknown"),
    ("CKV_AWS_260", "aws_vpc_security_group_ingress_rule.unknown", "unknown"),
    ("CKV_AWS_277", "aws_vpc_security_group_ingress_rule.unknown", "unknown"),
    # kms_key_id is unknown but refers to a key of the plan: the check only asks that it is set
    ("CKV_AWS_158", "aws_cloudwatch_log_group.unknown", "pass"),
    ("CKV_AWS_66", "aws_cloudwatch_log_group.unknown", "pass"),
    ("CKV_AWS_338", "aws_cloudwatch_log_group.unknown", "pass"),
    ("CKV_AWS_41", "aws.default", "pass"),
    # not in policies/checkov.yaml: the "other" group
    ("CKV2_AWS_19", "aws_eip.bastion", "fail"),
    ("CKV2_AWS_5", "aws_security_group.app", "fail"),
    ("CKV2_AWS_5", "aws_security_group.fail", "fail"),
    ("CKV_AWS_23", "aws_security_group.app", "pass"),
    ("CKV_AWS_23", "aws_security_group.fail", "pass"),
    ("CKV_AWS_23", "aws_vpc_security_group_ingress_rule.unknown", "pass"),
}


def test_exact_findings_and_no_duplicate_with_the_superseding_native_rule(mixed):
    result, evidence = mixed
    got = [(f.rule_id, f.address, f.status.value) for f in result.findings]
    assert len(got) == len(set(got))
    assert set(got) == EXPECTED
    assert not [f for f in result.findings if f.rule_id == "CKV_AWS_7"]
    assert evidence["checkov"]["superseded"] == {"CKV_AWS_7": {"by": "LZ-TST-001", "records": 3}}
    assert evidence["checkov"]["unmapped_checks"] == ["CKV2_AWS_19", "CKV2_AWS_5", "CKV_AWS_23"]


def test_without_the_native_rule_the_checkov_check_stays():
    plan = plan_module.load(MIXED)
    findings, evidence = checkov_bridge.run(plan, engine.load_policy_data().params, [])
    rotation = {(f.address, f.status.value) for f in findings if f.rule_id == "CKV_AWS_7"}
    assert rotation == {("aws_kms_key.logs", "pass"), ('module.store["fail"].aws_kms_key.this', "fail"),
                        ('module.store["pass"].aws_kms_key.this', "pass")}
    assert evidence["checkov"]["superseded"] == {}


def test_finding_fields(mixed):
    result, _ = mixed
    by_key = {(f.rule_id, f.address): f for f in result.findings}
    unknown = by_key[("CKV_AWS_24", "aws_vpc_security_group_ingress_rule.unknown")]
    assert unknown.source == "checkov" and unknown.resource_type == "aws_vpc_security_group_ingress_rule"
    assert unknown.message.startswith("cidr_ipv4 is known only after apply")
    assert unknown.path == "from_port, to_port, cidr_ipv4, cidr_ipv6"
    assert unknown.value["from_port"] == 22
    via = by_key[("CKV_AWS_158", "aws_cloudwatch_log_group.unknown")]
    assert via.via == "aws_kms_key.logs" and via.path == "kms_key_id"
    module = by_key[("CKV2_AWS_64", 'module.store["fail"].aws_kms_key.this')]
    assert module.module == 'module.store["fail"]' and module.resource_type == "aws_kms_key"
    other = by_key[("CKV2_AWS_5", "aws_security_group.fail")]
    assert (other.pillar, other.severity, other.lens) == ("other", "low", ())
    assert "https://github.com/bridgecrewio/checkov/blob/3.3.30/checkov/terraform/checks/graph_checks/aws/" \
        in other.remediation
    failing = by_key[("CKV_AWS_24", "aws_security_group.fail")]
    assert failing.value["ingress.0.cidr_blocks"] == ["0.0.0.0/0"]
    assert failing.path.startswith("ingress.0.from_port")


def test_unknown_findings_gate_like_native_ones(tmp_path):
    base = ["check", MIXED, "--checkov", "--no-builtin", "--fail-on", "critical", "--output", tmp_path / "r.json"]
    failed = run_cli(*base)
    assert failed.code == 1  # CKV_AWS_277 (critical) unknown on the ingress rule
    assert "UNKNOWN critical CKV_AWS_277 aws_vpc_security_group_ingress_rule.unknown" in " ".join(failed.err.split())
    assert run_cli(*base, "--unknown", "pass").code == 0


CIDR_CHECKS = ("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277")


def test_an_attribute_known_only_after_apply_is_unknown_for_every_check_that_reads_it():
    """Same evidence, same verdict: the ingress CIDR of afterapply.plan.json comes from an
    Elastic IP. checkov's records name the CIDR on the ingress rule but no key on the
    security group's inline block (it passed there, reading the CIDR as absent): both must
    come out unknown, like the native LZ-SEC-016, while a known CIDR still decides."""
    plan = plan_module.load(AFTER_APPLY)
    policy = engine.load_policy_data()
    rules = registry.load_rules()
    findings, _ = checkov_bridge.run(plan, policy.params, rules)
    result = engine.check(plan, rules, policy, extra_findings=findings, today=TODAY)
    status = {(f.rule_id, f.address): f for f in result.findings}
    for address in ("aws_security_group.unknown", "aws_vpc_security_group_ingress_rule.unknown"):
        assert status[("LZ-SEC-016", address)].status is Status.UNKNOWN
        for check in CIDR_CHECKS:
            finding = status[(check, address)]
            assert finding.status is Status.UNKNOWN, (check, address, finding.message)
            assert "known only after apply" in finding.message and "cidr" in (finding.path or "")
    assert status[("CKV_AWS_24", "aws_security_group.known")].status is Status.PASS
    assert status[("CKV_AWS_23", "aws_security_group.unknown")].status is Status.PASS  # the description is known
    reference, _ = checkov_bridge.run(plan, policy.params, rules, reference=True)
    assert [(f.rule_id, f.address, f.status) for f in reference] == [(f.rule_id, f.address, f.status) for f in findings]


def test_default_severity_of_unmapped_checks_comes_from_params(tmp_path):
    params = yaml.safe_load((POLICIES / "params.yaml").read_text())
    params["checkov"] = {"default_severity": "critical"}
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    result = run_cli("check", MIXED, "--checkov", "--no-builtin", "--params", path, "--fail-on", "critical",
                     "--unknown", "pass", "--output", tmp_path / "r.json")
    assert result.code == 1
    blocking = json.loads((tmp_path / "r.json").read_text())["verdict"]["blocking_findings"]
    assert sorted(blocking) == ["CKV2_AWS_19 aws_eip.bastion", "CKV2_AWS_5 aws_security_group.app",
                                "CKV2_AWS_5 aws_security_group.fail"]


def test_waivers_and_fail_on_treat_checkov_findings_like_native_ones(tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(yaml.safe_dump({"waivers": [{
        "rule": "CKV_AWS_36", "resource": "aws_cloudtrail.*", "justification": "validation is done by the org trail",
        "approved_by": "security@example.com", "expires": "2026-06-30"}]}))
    out = tmp_path / "r.json"
    args = ["check", TRAIL, "--checkov", "--no-builtin", "--fail-on", "high", "--today", "2026-01-01", "--output", out]
    assert run_cli(*args, "--waivers", waivers).code == 0
    document = json.loads(out.read_text())
    waived = next(f for f in document["findings"] if f["rule_id"] == "CKV_AWS_36")
    assert waived["status"] == "waived" and waived["waiver"]["approved_by"] == "security@example.com"
    assert run_cli(*args[:-4], "--fail-on", "critical", "--output", out).code == 0
    assert run_cli(*args[:-4], "--fail-on", "medium", "--output", out).code == 1  # CKV2_AWS_10 (medium) too


def test_every_report_format_carries_checkov_findings(tmp_path):
    from checks.report import available_formats

    formats = available_formats()
    argv = ["check", MIXED, "--checkov", "--no-builtin", "--output", tmp_path / "out"]
    for name in formats:
        argv += ["--format", name]
    assert run_cli(*argv).code == 1
    reports = {p.suffix: p.read_text() for p in (tmp_path / "out").iterdir()}
    assert len(reports) == len(formats)
    wanted = [("CKV_AWS_24", "aws_security_group.fail"), ("CKV2_AWS_19", "aws_eip.bastion")]  # mapped, "other"
    for suffix, text in reports.items():
        if suffix in (".json", ".sarif"):
            document = json.loads(text)
            items = document["findings"] if suffix == ".json" else document["runs"][0]["results"]
            units = [json.dumps(item) for item in items]
        else:  # one finding per line (Markdown table row, JUnit testcase, HTML row)
            units = text.splitlines()
        for rule_id, address in wanted:
            assert any(rule_id in u and address in u for u in units), f"{rule_id} {address} missing from the {suffix} report"
    _validate_report(json.loads(reports[".json"]))
    # a check mapped to a Well-Architected Framework practice carries it into the report (lens empty)
    document = json.loads(reports[".json"])
    mapped = next(f for f in document["findings"] if (f["rule_id"], f["address"]) == wanted[0])
    assert (mapped["lens"], mapped["framework"]) == ([], ["SEC05-BP02"])
    unmapped = next(f for f in document["findings"] if (f["rule_id"], f["address"]) == wanted[1])
    assert unmapped["framework"] == []
    row = next(line for line in reports[".md"].splitlines() if "CKV_AWS_24" in line and "aws_security_group.fail" in line)
    assert "SEC05-BP02" in row


def test_rules_catalog_lists_the_mapped_checks():
    result = run_cli("rules", "--checkov", "--format", "json")
    assert result.code == 0, result.err
    rows = [r for r in json.loads(result.out) if r["source"] == "checkov"]
    assert len(rows) == len(checkov_bridge.load_mapping().checks)
    row = next(r for r in rows if r["id"] == "CKV_AWS_36")
    assert row["title"] == "Ensure CloudTrail log file validation is enabled"
    assert (row["pillar"], row["severity"], row["resource_types"]) == ("security", "high", ["aws_cloudtrail"])
    native_keys = set(registry.load_rules()[0].to_dict()) if registry.load_rules() else set(row)
    assert set(row) == native_keys


def test_plan_bytes_checkov_reads_are_the_ones_the_report_names(tmp_path):
    """A plan with a BOM (which checkov would not parse) or changed since loading is handed over as parsed."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + TRAIL.read_bytes())
    plan = plan_module.load(path)
    path.write_text("{}")  # changed on disk after loading: checkov must still judge the loaded plan
    findings, _ = checkov_bridge.run(plan, {}, [])
    assert ("CKV_AWS_36", Status.FAIL) in {(f.rule_id, f.status) for f in findings}


def test_run_raises_tool_error_for_a_plan_checkov_cannot_parse(monkeypatch):
    plan = plan_module.load(TRAIL)
    monkeypatch.setattr(plan, "sha256", "0" * 64)  # forces the parsed-document path
    monkeypatch.setattr(plan, "document", {"format_version": "1.2", "terraform_version": "1.11.4"})
    with pytest.raises(ToolError, match="read no resources"):
        checkov_bridge.run(plan, {}, [])


@pytest.mark.parametrize("key, path", [
    ("ingress/[0]/cidr_blocks", ("ingress", 0, "cidr_blocks")),
    ("rule/*/status", ("rule",)),
    ("policy/Statement[?(@.Effect == Allow)]/Action[*]", ("policy", "Statement")),
    ("policy/[0]/Statement", ("policy", 0, "Statement")),
    ("enable_log_file_validation", ("enable_log_file_validation",)),
])
def test_evaluated_keys_become_plan_paths(key, path):
    assert checkov_bridge._key_path(key) == path


def test_policies_known_only_after_apply_are_judged_through_their_document():
    """checkov alone treats an unknown policy as absent (a silent pass); genai-lz gives it the
    aws_iam_policy_document the policy is built from, with planned ARNs as specific ARNs."""
    plan = plan_module.load(HERE / "iamdoc.plan.json")
    assert plan.get("aws_iam_role_policy.fail").is_unknown("policy")
    findings, evidence = checkov_bridge.run(plan, engine.load_policy_data().params, [])
    status = {(f.rule_id, f.address): f for f in findings}
    star = status[("CKV_AWS_63", "aws_iam_role_policy.fail")]
    assert star.status is Status.FAIL and star.via == "data.aws_iam_policy_document.star"
    assert status[("CKV2_AWS_40", "aws_iam_role_policy.fail")].status is Status.FAIL
    for check in ("CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40"):
        scoped = status[(check, "aws_iam_role_policy.pass")]
        assert scoped.status is Status.PASS and scoped.via == "data.aws_iam_policy_document.scoped"
    assert status[("CKV2_AWS_40", "data.aws_iam_policy_document.star")].status is Status.NOT_APPLICABLE
    assert not [f for f in findings if f.status is Status.UNKNOWN and "iam" in f.resource_type]
    assert evidence["checkov"]["policies_read_from_documents"] == 2


def test_a_policy_with_unknowns_beyond_planned_arns_stays_unknown():
    plan = plan_module.load(HERE / "iamdoc.plan.json")
    doc = json.loads(json.dumps(plan.document))
    for rc in doc["resource_changes"]:
        if rc["address"] == "data.aws_iam_policy_document.star":
            rc["change"]["after_unknown"]["statement"] = [{"actions": True}]
    for module in [doc["configuration"]["root_module"]]:
        for res in module["resources"]:
            if res["address"] == "data.aws_iam_policy_document.star":
                res["expressions"]["statement"][0]["actions"] = {"references": ["var.actions"]}
    changed = plan_module.loads(json.dumps(doc))
    assert "aws_iam_role_policy.fail" not in checkov_bridge._completions(changed)
    assert "aws_iam_role_policy.pass" in checkov_bridge._completions(changed)


def test_findings_of_a_scan_of_another_plan_are_refused():
    """The checkov worker reads the plan file again: when the file changed in between, its
    records are not those of the plan the report names, and the check stops."""
    plan = plan_module.load(HERE / "mixed.plan.json")
    other = checkov_bridge.Scan(records=[], version="3.3.30", completions={}, errors=[], timings={},
                                sha256="0" * 64)
    with pytest.raises(ToolError, match="changed while it was checked"):
        checkov_bridge.findings_of(other, plan, {}, [])
    same = checkov_bridge.Scan(records=[], version="3.3.30", completions={}, errors=[], timings={},
                               sha256=plan.sha256)
    assert checkov_bridge.findings_of(same, plan, {}, [])[0] == []


def test_the_early_part_of_a_workers_scan_maps_to_the_findings_of_the_whole(tmp_path, monkeypatch):
    """The checkov worker posts its resource checks' records while the graph checks still
    run: they lead the whole Scan's records, and mapping them first (then the rest) gives
    the findings of mapping the whole at once. A part of another plan is refused too."""
    from tests.benchmarks import generate

    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    plan = plan_module.load(generate.build("iam-s3", 0, None, tmp_path, units=6))
    rules = registry.load_rules([], include_builtin=True)
    with checkov_bridge.start(lambda: plan) as worker:
        parts = list(worker.parts())
        done = worker.result()
    assert len(parts) == 1 and 0 < len(parts[0].records) < len(done.records)
    assert [r.check_id for r in parts[0].records] == [r.check_id for r in done.records[:len(parts[0].records)]]
    assert any(r.check_id.startswith("CKV2_") for r in done.records[len(parts[0].records):])  # the graph's
    mapper = checkov_bridge.Mapper(plan, {}, rules)
    mapper.add(parts[0])
    assert mapper.finish(done) == checkov_bridge.findings_of(done, plan, {}, rules)
    assert mapper.added == len(done.records)  # each record mapped once
    parts[0].sha256 = "0" * 64
    with pytest.raises(ToolError, match="changed while it was checked"):
        checkov_bridge.Mapper(plan, {}, rules).add(parts[0])
