"""Shared helpers of the tests/test_precision_*.py regression tests (issue 23 bug classes)."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any, Iterable

from checks import engine, plan as plan_module, registry
from checks.engine import CheckResult

PLANS = Path(__file__).resolve().parent / "fixtures" / "plans"
RULES = {m.id: m for m in registry.load_rules()}
POLICY = engine.load_policy_data()
TODAY = dt.date(2026, 6, 1)


def load(name: str) -> Any:
    """A planned fixture of tests/fixtures/tf/<name> (tests/fixtures/build_precision_plans.py)."""
    return plan_module.load(PLANS / f"{name}.json")


def document(name: str) -> dict[str, Any]:
    return json.loads((PLANS / f"{name}.json").read_text(encoding="utf-8"))


def from_document(doc: dict[str, Any]) -> Any:
    return plan_module.loads(json.dumps(doc))


def check(plan: Any, rule_ids: Iterable[str] | None = None, scope: str | None = None,
          params: dict[str, Any] | None = None) -> CheckResult:
    rules = [RULES[r] for r in rule_ids] if rule_ids is not None else list(RULES.values())
    policy = POLICY
    if params is not None:
        merged = copy.deepcopy(dict(POLICY.params))
        merged.update(params)
        policy = engine.PolicyData(merged, POLICY.params_file, POLICY.params_sha256, POLICY.waivers,
                                   POLICY.waivers_file, POLICY.waivers_sha256)
    return engine.check(plan, rules, policy, today=TODAY, scope=scope)


def statuses(result: CheckResult, rule_id: str) -> dict[str, str]:
    """address -> status of one rule's findings."""
    return {f.address: f.status.value for f in result.findings if f.rule_id == rule_id}


def messages(result: CheckResult, rule_id: str) -> dict[str, str]:
    return {f.address: f.message for f in result.findings if f.rule_id == rule_id}
