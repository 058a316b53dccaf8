"""Run one rule of the pack on its own fixture with one value changed (tests/test_strength_*.py).

A fixture edited in place keeps everything else the rule reads (references, configuration,
companions) as the pack's fixture has it, so each test changes exactly one fact.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable

from checks import engine, plan as plan_module, registry
from checks.model import Finding

RULES = {m.id: m for m in registry.load_rules()}
POLICY = engine.load_policy_data()
_DOCS: dict[Path, dict[str, Any]] = {}


def fixture(rule_id: str, name: str = "pass.json") -> dict[str, Any]:
    """A fresh copy of the rule's fixture document."""
    path = Path(RULES[rule_id].folder) / name
    if path not in _DOCS:
        _DOCS[path] = json.loads(path.read_text(encoding="utf-8"))
    return copy.deepcopy(_DOCS[path])


def change_of(doc: dict[str, Any], address: str) -> dict[str, Any]:
    (found,) = [rc["change"] for rc in doc["resource_changes"] if rc["address"] == address]
    return found


def edit(doc: dict[str, Any], address: str, update: Callable[[dict[str, Any]], None],
         unknown: dict[str, Any] | None = None) -> dict[str, Any]:
    """Apply ``update`` to the planned ``after`` of ``address`` (and merge ``unknown`` into
    its after_unknown); planned_values is dropped, as the engine reads resource_changes."""
    change = change_of(doc, address)
    update(change["after"])
    if unknown:
        change["after_unknown"] = {**(change.get("after_unknown") or {}), **unknown}
    doc.pop("planned_values", None)
    return doc


def findings(rule_id: str, doc: dict[str, Any], today: dt.date = dt.date(2026, 1, 1),
             params: dict[str, Any] | None = None) -> dict[str, Finding]:
    """The rule's findings on ``doc`` by address (``params``: replaces policies/params.yaml);
    a rule error fails the test."""
    plan = plan_module.loads(json.dumps(doc))
    policy = POLICY if params is None else dataclasses.replace(POLICY, params=params)
    result = engine.check(plan, [RULES[rule_id]], policy, today=today)
    assert result.rule_errors == [], result.rule_errors
    return {f.address: f for f in result.findings}


def configure(doc: dict[str, Any], address: str, attribute: str, expression: dict[str, Any]) -> dict[str, Any]:
    """Set the configuration expression of a root-module resource's attribute (a value known
    only after apply counts only where the configuration sets it)."""
    resources = doc["configuration"]["root_module"].setdefault("resources", [])
    (found,) = [r for r in resources if r["address"] == address]
    found.setdefault("expressions", {})[attribute] = expression
    return doc
