"""Engine boundaries and nested data no other test tries (issue 21): a waiver that expires
today, a waiver of an unknown finding, secrets inside nested blocks scrubbed from messages,
a `|` inside a Markdown table cell."""
from __future__ import annotations

import datetime as dt
import json

from checks import engine, plan as plan_module, registry
from checks.model import Status
from checks.report import writer_for
from checks.values import MASK
from cost_plans_helpers import change, plan
from conftest import FIXTURES
from test_engine import _waivers, run, write_rule

TODAY = dt.date(2026, 6, 1)


# -- waivers --------------------------------------------------------------------------------


def test_a_waiver_that_expires_today_still_applies(tmp_path):
    """`expires` is the last day the waiver holds: on that day the finding is waived, the day
    after it fails again."""
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.failed("bad")')
    waivers = _waivers(tmp_path, TODAY.isoformat())
    today = run(rules, waivers, today=TODAY)
    assert [f.status for f in today.findings] == [Status.WAIVED] and today.verdict.passed
    assert len(today.waivers_applied) == 1 and today.waivers_expired == []
    tomorrow = run(rules, waivers, today=TODAY + dt.timedelta(days=1))
    assert [f.status for f in tomorrow.findings] == [Status.FAIL] and not tomorrow.verdict.passed
    assert f"waiver expired on {TODAY.isoformat()}" in tomorrow.findings[0].message
    assert tomorrow.waivers_applied == [] and len(tomorrow.waivers_expired) == 1


def test_an_unknown_finding_can_be_waived(tmp_path):
    """A value known only after apply blocks the gate at high; an accepted, dated waiver lets it
    through as waived (and it never turns into a pass)."""
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.unknown("kms key known only after apply")')
    blocked = run(rules, today=TODAY)
    assert [f.status for f in blocked.findings] == [Status.UNKNOWN] and not blocked.verdict.passed
    waived = run(rules, _waivers(tmp_path, "2026-12-31"), today=TODAY)
    (finding,) = waived.findings
    assert finding.status is Status.WAIVED and waived.verdict.passed
    assert finding.waiver["approved_by"] == "security-lead@example.com"


def test_a_waiver_for_another_rule_leaves_an_unknown_blocking(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.unknown("known only after apply")')
    result = run(rules, _waivers(tmp_path, "2026-12-31", rule="T-SEC-002"), today=TODAY)
    assert [f.status for f in result.findings] == [Status.UNKNOWN] and not result.verdict.passed
    assert len(result.waivers_unused) == 1


def test_a_pass_is_never_waived(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.passed("fine")')
    result = run(rules, _waivers(tmp_path, "2026-12-31"), today=TODAY)
    assert [f.status for f in result.findings] == [Status.PASS] and result.waivers_applied == []


# -- secrets in nested blocks ---------------------------------------------------------------

SECRET = "NESTED-s3cr3t-91c2"
DEEPER = "DEEPER-t0ken-5ab7"


def _model_plan() -> plan_module.Plan:
    after = {"name": "m", "primary_container": [{
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1",
        "environment": {"API_KEY": SECRET, "MODE": "serve"},
        "model_data_source": [{"s3_data_source": [{"s3_uri": DEEPER, "compression_type": "None"}]}],
    }]}
    rc = change("aws_sagemaker_model.m", "aws_sagemaker_model", after)
    rc["change"]["after_sensitive"] = {"primary_container": [{
        "environment": {"API_KEY": True},
        "model_data_source": [{"s3_data_source": [{"s3_uri": True}]}],
    }]}
    return plan_module.loads(json.dumps(plan([rc])))


def test_secrets_in_nested_blocks_never_reach_a_message_or_a_value(tmp_path):
    body = ('c = r.get("primary_container")\n'
            'return Result.failed("container is " + repr(c), path="primary_container")')
    write_rule(tmp_path, "T-SEC-001", body, rtype="aws_sagemaker_model")
    rules = registry.load_rules([tmp_path], include_builtin=False)
    result = engine.check(_model_plan(), rules, engine.load_policy_data(), today=TODAY)
    (finding,) = result.findings
    assert finding.status is Status.FAIL
    assert "serve" in finding.message  # the rule did put the block into its message
    text = finding.message + json.dumps(finding.value, default=str)
    assert SECRET not in text and DEEPER not in text
    assert MASK in finding.message
    for fmt in ("json", "markdown", "html", "sarif", "junit"):
        rendered = writer_for(fmt).render(result)
        assert SECRET.encode() not in rendered and DEEPER.encode() not in rendered, fmt


# -- Markdown ------------------------------------------------------------------------------


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row, split on the pipes that are not escaped."""
    cells, current, escaped = [], "", False
    for char in row.strip()[1:-1]:
        if char == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += char
        escaped = char == "\\" and not escaped
    return [*cells, current]


def test_a_pipe_in_a_message_stays_inside_its_markdown_cell(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.failed("allowed: a|b || c\\nnext line")')
    result = run(tmp_path, today=TODAY)
    markdown = writer_for("markdown").render(result).decode("utf-8")
    rows = [line for line in markdown.splitlines()
            if line.startswith("| ") and "T-SEC-001" in line and "allowed" in line]
    assert rows, markdown
    for row in rows:
        cells = _cells(row)
        # the newline is shown escaped, its backslash escaped for Markdown (renders as \x0a): a control
        # character never reaches a report raw
        assert cells[-1].strip() == "allowed: a\\|b \\|\\| c\\\\x0anext line", row
        assert len(cells) == 6, row  # severity, rule, lens best practice, resource, evidence, message


# -- survivors of `make mutate` on checks/engine.py ---------------------------------------


def test_counts_are_the_findings_per_pillar_and_status():
    from collections import Counter

    from strength_helpers import RULES, fixture
    plan = plan_module.loads(json.dumps(fixture("LZ-SEC-010", "fail.json")))
    result = engine.check(plan, [RULES["LZ-SEC-010"], RULES["LZ-OPS-001"]], engine.load_policy_data(), today=TODAY)
    expected = Counter((f.pillar, f.status.value) for f in result.findings)
    table = result.counts()
    assert {(p, s): n for p, row in table.items() for s, n in row.items() if n} == dict(expected)
    assert set(table) >= {"security", "reliability"} and all(len(row) == len(Status) for row in table.values())


def test_waiver_ticket_only_when_given():
    waiver = engine.Waiver("T-*", "aws_x.*", "because", "lead@example.com", TODAY)
    assert "ticket" not in waiver.to_dict()
    with_ticket = engine.Waiver("T-*", "aws_x.*", "because", "lead@example.com", TODAY, "SEC-123")
    assert with_ticket.to_dict()["ticket"] == "SEC-123"


def test_the_scope_asked_for_wins_over_params():
    assert engine.resolve_scope("stack", {}) == "stack"
    assert engine.resolve_scope("stack", {"scope": "account"}) == "stack"
    assert engine.resolve_scope(None, {"scope": "stack"}) == "stack"
    assert engine.resolve_scope(None, {}) == "account"


def test_the_first_matching_waiver_applies_and_the_second_is_unused(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.failed("bad")')
    path = tmp_path / "waivers.yaml"
    path.write_text(_waivers(tmp_path, "2026-12-31").read_text() + (
        '  - rule: "T-SEC-001"\n    resource: "*"\n    justification: "A second, broader exception"\n'
        '    approved_by: "other@example.com"\n    expires: 2026-12-31\n'))
    result = run(rules, path, today=TODAY)
    (finding,) = result.findings
    assert finding.status is Status.WAIVED and finding.waiver["approved_by"] == "security-lead@example.com"
    assert [w.approved_by for w in result.waivers_applied] == ["security-lead@example.com"]
    assert [w.approved_by for w in result.waivers_unused] == ["other@example.com"]


def test_passes_and_not_applicable_never_block_even_when_unknown_fails(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.passed("fine")')
    write_rule(tmp_path, "T-SEC-002", 'return Result.not_applicable("not here")')
    result = run(tmp_path, today=TODAY, unknown_fails=True, fail_on="low")
    assert {f.status for f in result.findings} == {Status.PASS, Status.NOT_APPLICABLE}
    assert result.verdict.passed and result.verdict.blocking == []


def test_an_account_rule_on_a_stack_is_not_applicable_on_each_resource(tmp_path):
    folder = tmp_path / "security" / "T-SEC-001_account"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(
        "from checks import Result, rule\n\n"
        '@rule(id="T-SEC-001", title="t", pillar="security", lens=["GENSEC01-BP02"], severity="high",\n'
        '      resource_types=("aws_cloudwatch_log_group",), remediation="fix it", rationale="because",\n'
        '      applies_to="account")\n'
        "def check(r, plan, params):\n"
        '    return Result.failed("bad")\n')
    result = run(tmp_path, today=TODAY, scope="stack")
    assert [(f.address, f.status) for f in result.findings] == [("aws_cloudwatch_log_group.app", Status.NOT_APPLICABLE)]
    assert result.verdict.passed and result.verdict.scope == "stack"


def test_unknown_fails_when_params_do_not_say(tmp_path):
    """An organisation's params without gate.unknown_fails: unknown at the gate severity
    still fails (the design's default), it never passes."""
    import dataclasses

    write_rule(tmp_path, "T-SEC-001", 'return Result.unknown("known only after apply")')
    rules = registry.load_rules([tmp_path], include_builtin=False)
    policy = engine.load_policy_data()
    bare = dataclasses.replace(policy, params={k: v for k, v in policy.params.items() if k != "gate"})
    result = engine.check(plan_module.load(FIXTURES / "plans" / "refs.json"), rules, bare, today=TODAY)
    assert [f.status for f in result.findings] == [Status.UNKNOWN]
    assert not result.verdict.passed and result.verdict.unknown_fails and result.verdict.fail_on == "high"


def test_policy_data_is_read_only():
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        engine.load_policy_data().params = {}  # type: ignore[misc]


def test_rule_timings_lie_within_the_check(tmp_path):
    """The profile's per-rule time is a part of the check's own time: never negative, never more."""
    import time

    write_rule(tmp_path, "T-SEC-001", 'return Result.passed("fine")')
    started = time.perf_counter()
    result = run(tmp_path, today=TODAY, profile=True)
    elapsed = time.perf_counter() - started
    assert set(result.rule_timings) == {"T-SEC-001"}
    assert 0 <= result.rule_timings["T-SEC-001"] <= elapsed
    assert 0 <= result.timings["rules"] <= elapsed and 0 <= result.timings["waivers+verdict"] <= elapsed
    assert run(tmp_path, today=TODAY).rule_timings == {}  # no profile, no per-rule times


def test_a_plan_rule_finding_on_a_resource_is_scrubbed_like_one(tmp_path):
    """A plan rule that names a resource (Result address=): the finding is that resource's,
    and its sensitive values are scrubbed from the message as for a per-resource rule."""
    folder = tmp_path / "security" / "T-SEC-002_plan"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(
        "from checks import Result, plan_rule\n\n"
        '@plan_rule(id="T-SEC-002", title="t", pillar="security", lens=["GENSEC03-BP01"], severity="high",\n'
        '           resource_types=("aws_ssm_parameter",), remediation="fix it")\n'
        "def check(plan, params):\n"
        '    (p,) = plan.of_type("aws_ssm_parameter")\n'
        '    return Result.failed("parameter holds " + p.get("value"), address=p.address)\n')
    (finding,) = run(tmp_path, today=TODAY).findings
    assert finding.address == "aws_ssm_parameter.secret" and finding.resource_type == "aws_ssm_parameter"
    assert "s3cr3t" not in finding.message and MASK in finding.message


def test_the_evidence_is_the_planned_value_at_the_path(tmp_path):
    write_rule(tmp_path, "T-SEC-001", 'return Result.failed("never expires", path="retention_in_days")')
    (finding,) = run(tmp_path, today=TODAY).findings
    assert finding.path == "retention_in_days" and finding.value == 0


def test_a_pass_before_a_failure_does_not_stop_the_waivers(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.passed("fine")', folder="T-SEC-001_a")
    write_rule(rules, "T-SEC-002", 'return Result.failed("bad")', folder="T-SEC-002_b")
    result = run(rules, _waivers(tmp_path, "2026-12-31", rule="T-SEC-002"), today=TODAY)
    assert [(f.rule_id, f.status) for f in result.findings] == [("T-SEC-001", Status.PASS), ("T-SEC-002", Status.WAIVED)]


def test_two_expired_waivers_are_named_once(tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "T-SEC-001", 'return Result.failed("bad")')
    path = tmp_path / "waivers.yaml"
    path.write_text(_waivers(tmp_path, "2026-01-31").read_text() + (
        '  - rule: "T-SEC-001"\n    resource: "*"\n    justification: "An older exception"\n'
        '    approved_by: "other@example.com"\n    expires: 2026-02-28\n'))
    (finding,) = run(rules, path, today=TODAY).findings
    assert finding.status is Status.FAIL and finding.message == "bad (waiver expired on 2026-01-31)"


def test_a_waiver_is_read_only():
    import dataclasses

    import pytest

    waiver = engine.Waiver("T-*", "aws_x.*", "because", "lead@example.com", TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        waiver.expires = TODAY + dt.timedelta(days=365)  # type: ignore[misc]


def test_counts_of_a_pillar_outside_the_lens(tmp_path):
    from checks.model import Finding

    write_rule(tmp_path, "T-SEC-001", 'return Result.failed("bad")')
    other = Finding(rule_id="CKV_AWS_1", title="t", pillar="other", lens=(), severity="low", address="aws_x.y",
                    resource_type="aws_x", module="", status=Status.PASS, message="ok", source="checkov",
                    remediation="r")
    table = run(tmp_path, today=TODAY, extra_findings=[other]).counts()
    assert table["other"] == {s.value: (1 if s is Status.PASS else 0) for s in Status}
    assert table["security"]["fail"] == 1


def _account_plan_rule(root, applies_to: str) -> None:
    folder = root / "security" / "T-SEC-002_plan"
    folder.mkdir(parents=True)
    (folder / "rule.py").write_text(
        "from checks import Result, plan_rule\n\n"
        '@plan_rule(id="T-SEC-002", title="t", pillar="security", lens=["GENSEC03-BP01"], severity="high",\n'
        f'           resource_types=("aws_cloudwatch_log_group",), remediation="fix it", applies_to="{applies_to}")\n'
        "def check(plan, params):\n"
        '    return Result.failed("bad")\n')


def test_an_account_plan_rule_on_a_stack_is_one_not_applicable_finding(tmp_path):
    _account_plan_rule(tmp_path, "account")
    result = run(tmp_path, today=TODAY, scope="stack")
    assert [(f.address, f.status) for f in result.findings] == [("(root module)", Status.NOT_APPLICABLE)]


def test_a_rule_for_any_scope_still_runs_on_a_stack(tmp_path):
    _account_plan_rule(tmp_path, "any")
    result = run(tmp_path, today=TODAY, scope="stack")
    assert [(f.address, f.status) for f in result.findings] == [("(root module)", Status.FAIL)]
