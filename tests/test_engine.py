"""checks.registry + checks.engine: loading rules, waivers, unknowns, the verdict."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from checks import engine, plan as plan_module, registry
from checks.errors import DataFileError, PolicyError
from checks.model import Status
from checks.values import MASK

from conftest import FIXTURES

REFS = FIXTURES / "plans" / "refs.json"

RULE_TEMPLATE = '''
from checks import Result, rule, plan_rule, UNKNOWN

@rule(id="{id}", title="t", pillar="{pillar}", lens=["{lens}"], severity="{severity}",
      resource_types=("{rtype}",), remediation="fix it", rationale="because")
def check(r, plan, params):
{body}
'''


def write_rule(root: Path, id: str, body: str, pillar: str = "security", lens: str = "GENSEC01-BP02",
               severity: str = "high", rtype: str = "aws_cloudwatch_log_group", folder: str | None = None) -> Path:
    target = root / pillar / (folder or f"{id}_test")
    target.mkdir(parents=True)
    (target / "rule.py").write_text(RULE_TEMPLATE.format(id=id, pillar=pillar, lens=lens, severity=severity,
                                                          rtype=rtype, body=textwrap.indent(body, "    ")))
    return target


def run(rules_dir: Path, waivers: Path | None = None, today: dt.date = dt.date(2026, 6, 1), **kw):
    rules = registry.load_rules([rules_dir], include_builtin=False)
    policy = engine.load_policy_data(None, waivers)
    return engine.check(plan_module.load(REFS), rules, policy, today=today, **kw)


def test_unknown_value_never_passes(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.passed("has key", path="kms_key_id")')
    result = run(tmp_path)
    (finding,) = result.findings
    assert finding.status is Status.UNKNOWN
    assert not result.verdict.passed  # unknown at high fails by default
    assert run(tmp_path, unknown_fails=False).verdict.passed


def test_reference_decides_an_unknown_value(tmp_path):
    body = ('key = r.references("kms_key_id", "aws_kms_key")\n'
            'return Result.passed("key from " + key[0].address, path="kms_key_id", via=key[0].address)')
    write_rule(tmp_path, "T-SEC-001", body)
    (finding,) = run(tmp_path).findings
    assert finding.status is Status.PASS and finding.via == "aws_kms_key.logs"


def test_rule_error_is_unknown_not_pass(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.passed("x") if r.get("kms_key_id") else None')
    result = run(tmp_path)
    (finding,) = result.findings
    assert finding.status is Status.UNKNOWN and "could not decide" in finding.message
    assert result.rule_errors and "TypeError" in result.rule_errors[0]


def test_sensitive_value_is_masked_in_evidence_and_message(tmp_path):
    body = 'return Result.failed("value is " + r.get("value"), path="value")'
    write_rule(tmp_path, "T-SEC-001", body, rtype="aws_ssm_parameter")
    (finding,) = run(tmp_path).findings
    assert finding.value == MASK
    assert "s3cr3t" not in finding.message and MASK in finding.message


def test_gate_severity(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.failed("bad")', severity="medium")
    assert run(tmp_path).verdict.passed  # medium < high
    assert not run(tmp_path, fail_on="medium").verdict.passed
    assert not run(tmp_path, fail_on="low").verdict.passed


def _waivers(tmp_path: Path, expires: str, rule: str = "T-SEC-*", resource: str = "aws_cloudwatch_log_group.*") -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(textwrap.dedent(f"""\
        waivers:
          - rule: "{rule}"
            resource: "{resource}"
            justification: "Accepted until the logging account exists"
            approved_by: "security-lead@example.com"
            expires: {expires}
        """))
    return path


def test_waiver_applies_until_it_expires(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.failed("bad")')
    waived = run(rules, _waivers(tmp_path, "2026-12-31"))
    assert waived.verdict.passed
    assert waived.findings[0].status is Status.WAIVED
    assert waived.findings[0].waiver["approved_by"] == "security-lead@example.com"
    assert len(waived.waivers_applied) == 1
    expired = run(rules, _waivers(tmp_path, "2026-01-31"))
    assert not expired.verdict.passed
    assert expired.findings[0].status is Status.FAIL and "waiver expired" in expired.findings[0].message
    assert len(expired.waivers_expired) == 1


def test_unused_waiver_is_reported(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.passed("ok")')
    result = run(rules, _waivers(tmp_path, "2026-12-31", resource="aws_s3_bucket.*"))
    assert len(result.waivers_unused) == 1


def test_bad_waiver_file_names_file_and_path(tmp_path):
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n  - rule: X\n    resource: '*'\n    approved_by: me\n    expires: 2026-01-01\n")
    with pytest.raises(DataFileError) as err:
        engine.load_policy_data(None, path)
    assert str(path) in str(err.value) and "waivers[0]" in str(err.value) and "justification" in str(err.value)


def test_bad_params_file(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("gate: {fail_on: extreme}\n")
    with pytest.raises(DataFileError) as err:
        engine.load_policy_data(path, None)
    assert "params.yaml" in str(err.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lens": "GENSEC99-BP09"}, "not in the lens catalog"),
        ({"pillar": "speed"}, "pillar"),
        ({"severity": "urgent"}, "severity"),
        ({"folder": "WRONG_name"}, "folder name"),
    ],
)
def test_registry_refuses_bad_metadata(tmp_path, kwargs, message):
    write_rule(tmp_path, "T-SEC-001", "return None", **kwargs)
    with pytest.raises(PolicyError, match=message):
        registry.load_rules([tmp_path], include_builtin=False)


def test_registry_refuses_duplicate_ids(tmp_path):
    write_rule(tmp_path, "T-SEC-001", "return None")
    write_rule(tmp_path, "T-SEC-001", "return None", folder="T-SEC-001_again")
    with pytest.raises(PolicyError, match="duplicate rule id T-SEC-001"):
        registry.load_rules([tmp_path], include_builtin=False)


def test_registry_refuses_broken_rule_file(tmp_path):
    folder = write_rule(tmp_path, "T-SEC-001", "return None")
    (folder / "rule.py").write_text("def broken(:\n")
    with pytest.raises(PolicyError, match="fails to load"):
        registry.load_rules([tmp_path], include_builtin=False)


def test_extra_policy_dir_adds_to_builtin(tmp_path):
    write_rule(tmp_path, "ORG-SEC-001", "return None")
    ids = {m.id for m in registry.load_rules([tmp_path])}
    assert "ORG-SEC-001" in ids and "LZ-SEC-001" in ids


def test_plan_rule_without_address_is_about_the_root(tmp_path):
    folder = tmp_path / "security" / "T-SEC-002_plan"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(textwrap.dedent('''
        from checks import Result, plan_rule

        @plan_rule(id="T-SEC-002", title="t", pillar="security", lens=["GENSEC03-BP01"], severity="high",
                   resource_types=("aws_cloudtrail",), remediation="add a trail")
        def check(plan, params):
            """The plan has a trail."""
            if not plan.has_type("aws_cloudtrail"):
                return Result.failed("no CloudTrail trail in the plan")
    '''))
    result = run(tmp_path)
    (finding,) = result.findings
    assert finding.address == "(root module)" and finding.status is Status.FAIL


def test_coverage_lists_every_best_practice(tmp_path):
    write_rule(tmp_path, "T-SEC-001", "return None")
    coverage = run(tmp_path).coverage()
    assert len(coverage) == len(registry.load_lens().best_practices)
    states = {row["id"]: row["state"] for row in coverage}
    assert states["GENSEC01-BP02"] == "assessed"
    assert states["GENOPS01-BP01"] == "not_assessable_from_plan"


def test_every_shipped_schema_is_a_valid_json_schema():
    """Run time uses fastjsonschema; the schemas themselves are checked here, once."""
    import json

    from jsonschema.validators import validator_for

    from checks.schema import SCHEMAS_DIR, _fast_validator

    for path in sorted(SCHEMAS_DIR.glob("*.json")):
        schema = json.loads(path.read_text())
        validator_for(schema).check_schema(schema)
        assert _fast_validator(path.name) is not None, f"{path.name} does not compile with fastjsonschema"
