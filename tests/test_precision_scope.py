"""Issue 23, scope: a module plan checked with scope stack is not a workload account.

The plan is the terraform-aws-modules/vpc pattern (tests/fixtures/tf/precision_locals):
a VPC module and nothing else. Checked as an account, the account-level absence rules fail
it (no trail, no GuardDuty); checked as a stack they are not_applicable with the reason,
decided by the engine from the rules' ``applies_to="account"`` metadata, and every report
format states the scope.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from checks.errors import PolicyError
from checks.report import write_reports
from precision_helpers import RULES, check, from_document, load, statuses

ACCOUNT_LEVEL = {"LZ-SEC-021", "LZ-SEC-022"}


def test_account_level_rules_are_marked_in_metadata():
    marked = {rid for rid, meta in RULES.items() if meta.applies_to == "account"}
    # no trail, no GuardDuty, no budget / budget action, no anomaly monitor, no alarms, no Bedrock /
    # SageMaker endpoint, no invocation logging. LZ-SEC-013 judges the invoke permissions a stack shows
    # (and accepts a guardrail defined elsewhere when every path names one), so it applies to stacks too
    assert {"LZ-SEC-021", "LZ-SEC-022", "LZ-COST-001", "LZ-COST-002", "LZ-COST-003", "LZ-OPS-003",
            "LZ-SEC-001", "LZ-SEC-002", "LZ-SEC-014"} <= marked
    assert "LZ-SEC-013" not in marked
    assert all(RULES[r].to_dict()["applies_to"] == "account" for r in marked)


def test_module_plan_fails_account_rules_under_account_scope():
    result = check(load("precision_locals"), ACCOUNT_LEVEL, scope="account")
    assert set(statuses(result, "LZ-SEC-021").values()) == {"fail"}
    assert set(statuses(result, "LZ-SEC-022").values()) == {"fail"}
    assert result.verdict.scope == "account" and not result.verdict.passed


def test_module_plan_under_stack_scope_is_not_applicable_with_reason():
    result = check(load("precision_locals"), ACCOUNT_LEVEL, scope="stack")
    for rule_id in ACCOUNT_LEVEL:
        assert set(statuses(result, rule_id).values()) == {"not_applicable"}, rule_id
    assert all("scope stack" in f.message for f in result.findings)
    assert result.verdict.scope == "stack" and result.verdict.passed


def test_resource_rules_still_apply_under_stack_scope():
    result = check(load("precision_managed_policies"), ["LZ-SEC-010"], scope="stack")
    assert "fail" in statuses(result, "LZ-SEC-010").values()


def test_scope_defaults_from_params_and_rejects_other_words():
    assert check(load("precision_locals"), ACCOUNT_LEVEL, params={"scope": "stack"}).verdict.scope == "stack"
    assert check(load("precision_locals"), ACCOUNT_LEVEL).verdict.scope == "account"
    with pytest.raises(PolicyError):
        check(load("precision_locals"), ACCOUNT_LEVEL, scope="module")


def test_every_report_format_states_the_scope(tmp_path):
    result = check(load("precision_locals"), ACCOUNT_LEVEL, scope="stack")
    written = {p.suffix: p for p in write_reports(result, ["json", "markdown", "html", "sarif", "junit"], str(tmp_path))}
    assert json.loads(written[".json"].read_text())["verdict"]["scope"] == "stack"
    assert "**Scope**: `stack`" in written[".md"].read_text()
    assert "scope stack" in written[".html"].read_text()
    sarif = json.loads(written[".sarif"].read_text())
    assert sarif["runs"][0]["invocations"][0]["properties"]["scope"] == "stack"
    props = {p.get("name"): p.get("value") for p in ET.parse(written[".xml"]).iter("property")}
    assert props["gate.scope"] == "stack"


def test_cli_scope_option(cli, tmp_path):
    from precision_helpers import PLANS

    run = cli("check", PLANS / "precision_locals.json", "--scope", "stack", "--output", tmp_path / "r.json")
    assert "scope stack" in run.err
    assert json.loads((tmp_path / "r.json").read_text())["verdict"]["scope"] == "stack"


def test_guardrail_named_by_every_invoke_path_may_live_in_another_stack():
    """A stack whose invoke policies all carry a bedrock:GuardrailIdentifier condition enforces the
    account's guardrail even though the guardrail resource is planned elsewhere; one unguarded path
    (or none shown) and the missing guardrail fails the plan."""
    import json

    from conftest import REPO

    fixture = REPO / "policies" / "security" / "LZ-SEC-013_bedrock_guardrail_present" / "pass.json"
    doc = json.loads(fixture.read_text())
    keep = {"aws_iam_policy.pass"}  # the two guarded invoke policies (for_each), no guardrail

    def only(resources):
        return [r for r in resources if r["address"].split("[")[0] in keep]

    doc["resource_changes"] = only(doc["resource_changes"])
    doc["planned_values"]["root_module"] = {"resources": only(doc["planned_values"]["root_module"]["resources"])}
    doc.pop("configuration", None)
    result = check(from_document(doc), ["LZ-SEC-013"], scope="stack")
    found = statuses(result, "LZ-SEC-013")
    assert found and set(found.values()) == {"pass"}, found

    fail_doc = json.loads((fixture.parent / "fail.json").read_text())
    keep = {"aws_iam_policy.fail"}  # an unguarded invoke policy, no guardrail in this stack
    fail_doc["resource_changes"] = only(fail_doc["resource_changes"])
    fail_doc["planned_values"]["root_module"] = {"resources": only(fail_doc["planned_values"]["root_module"]["resources"])}
    fail_doc.pop("configuration", None)
    result = check(from_document(fail_doc), ["LZ-SEC-013"], scope="stack")
    assert set(statuses(result, "LZ-SEC-013").values()) == {"fail"}
