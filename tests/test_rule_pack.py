"""Every rule folder: metadata, and the exact passing / failing addresses of its fixtures.

Fixture convention (policies/<pillar>/<RULE_ID>_<slug>/):
- pass.json: the rule passes on every resource of its types named ``pass`` and on
  nothing else, and fails nowhere (plan rules with no such resource pass on the root);
- fail.json: the rule fails on exactly the resources of its types named ``fail`` (plan
  rules with no such resource fail on the root module);
- unknown results, in either fixture: exactly the resources of the rule's types named
  ``unknown`` or ``unknown_<why>`` (a value known only after apply, or a reference that
  leaves the plan); a pass fixture has none, so a mutation that turns unknown into pass
  or fail is seen.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checks import engine, plan as plan_module, registry
from checks.model import PILLARS, SEVERITIES, Status
from checks.plan import ROOT_ADDRESS

RULES = registry.load_rules()
LENS = registry.load_lens()
FRAMEWORK = registry.load_framework()
POLICY = engine.load_policy_data()


def _expected(plan, meta, name):
    types = set(meta.resource_types)
    named = {r.address for r in plan.resources if r.name == name and (not types or r.type in types)}
    if meta.scope == "plan" and not named:
        return {ROOT_ADDRESS}
    return named


def _expected_unknown(plan, meta):
    types = set(meta.resource_types)
    return {r.address for r in plan.resources
            if (r.name == "unknown" or r.name.startswith("unknown_")) and (not types or r.type in types)}


def _addresses(findings, status):
    return {f.address for f in findings if f.status is status}


def _run(meta, fixture: Path):
    plan = plan_module.load(fixture)
    result = engine.check(plan, [meta], POLICY, today=dt.date(2026, 1, 1))
    assert not result.rule_errors, result.rule_errors
    return plan, result.findings


def test_rule_pack_size_and_pillars():
    assert len(RULES) >= 30, f"only {len(RULES)} rules"
    assert {m.pillar for m in RULES} == set(PILLARS)


@pytest.mark.parametrize("meta", RULES, ids=[m.id for m in RULES])
def test_rule_metadata(meta):
    assert meta.pillar in PILLARS
    assert meta.severity in SEVERITIES
    assert meta.lens or meta.framework, f"{meta.id} names no lens or framework best practice"
    assert all(bp in LENS.best_practices for bp in meta.lens)
    assert all(bp in FRAMEWORK.best_practices for bp in meta.framework)
    # the rationale cites the mapping: every lens / framework id the rule names appears in it
    for bp in (*meta.lens, *meta.framework):
        assert bp in meta.rationale, f"{meta.id}: rationale does not cite {bp}"
    assert meta.remediation and meta.title and meta.rationale
    folder = Path(meta.folder)
    assert folder.name.startswith(meta.id + "_") and folder.parent.name == meta.pillar
    assert (folder / "pass.json").is_file() and (folder / "fail.json").is_file()


def test_rule_ids_unique():
    ids = [m.id for m in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("meta", RULES, ids=[m.id for m in RULES])
def test_rule_pass_fixture(meta):
    plan, findings = _run(meta, Path(meta.folder) / "pass.json")
    bad = [(f.address, f.status.value, f.message) for f in findings if f.status in (Status.FAIL, Status.UNKNOWN)]
    assert not bad, bad
    passing = {f.address for f in findings if f.status is Status.PASS}
    assert passing == _expected(plan, meta, "pass")
    assert _expected_unknown(plan, meta) == set(), "a pass fixture declares no unknown resource"


@pytest.mark.parametrize("meta", RULES, ids=[m.id for m in RULES])
def test_rule_fail_fixture(meta):
    plan, findings = _run(meta, Path(meta.folder) / "fail.json")
    failing = {f.address for f in findings if f.status is Status.FAIL}
    assert failing == _expected(plan, meta, "fail"), [(f.address, f.status.value, f.message) for f in findings]
    assert all(f.address.split("[")[0].endswith(".fail") or f.address == ROOT_ADDRESS for f in findings
               if f.status is Status.FAIL)
    unknown = _addresses(findings, Status.UNKNOWN)
    assert unknown == _expected_unknown(plan, meta), [(f.address, f.status.value, f.message) for f in findings]
    assert not _addresses(findings, Status.PASS) & _expected_unknown(plan, meta)


def test_fixtures_declare_unknown_results():
    """The unknown-after-apply cases are part of the pack: most fail fixtures have one."""
    declared = [m.id for m in RULES if _expected_unknown(plan_module.load(Path(m.folder) / "fail.json"), m)]
    assert len(declared) >= 58, declared
