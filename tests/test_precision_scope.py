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
from precision_helpers import RULES, check, load, statuses

ACCOUNT_LEVEL = {"LZ-SEC-021", "LZ-SEC-022"}


def test_account_level_rules_are_marked_in_metadata():
    marked = {rid for rid, meta in RULES.items() if meta.applies_to == "account"}
    # no trail, no GuardDuty, no budget / budget action, no anomaly monitor, no alarms, no Bedrock /
    # SageMaker endpoint, no guardrail, no invocation logging
    assert {"LZ-SEC-021", "LZ-SEC-022", "LZ-COST-001", "LZ-COST-002", "LZ-COST-003", "LZ-OPS-003",
            "LZ-SEC-001", "LZ-SEC-002", "LZ-SEC-013", "LZ-SEC-014"} <= marked
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
