"""The coverage matrix: per best practice, the rules that check it, or the evidence to ask for.

Two catalogs (policies/lens/): every best practice of the Generative AI Lens, with the rules
that check it (``assessed``); a practice no rule checks is a process control not visible in
a plan (``not_assessable_from_plan``) or one a plan could show but no rule checks yet
(``not_covered``). Each row carries the catalog's evidence text: what an auditor should ask
for instead of a plan check, or beyond it (a plan shows configuration, never the process
around it). The Well-Architected Framework table lists the framework best practices the
rules implement where no lens practice fits. `genai-lz coverage` and every report read
these rows; nothing here depends on a plan.
"""
from __future__ import annotations

from typing import Any, Iterable

from checks.model import RuleMeta
from checks.registry import Framework, Lens

ASSESSED = "assessed"
NOT_COVERED = "not_covered"
PROCESS = "not_assessable_from_plan"
STATES = (ASSESSED, NOT_COVERED, PROCESS)
# how reports and the command word the states
STATE_LABEL = {ASSESSED: "checked by rules", NOT_COVERED: "plan-assessable, no rule yet",
               PROCESS: "process control, not visible in a plan"}


def _rules_by_id(rules: Iterable[RuleMeta], attribute: str) -> dict[str, list[str]]:
    by_bp: dict[str, list[str]] = {}
    for meta in rules:
        for bp in getattr(meta, attribute, ()):
            by_bp.setdefault(bp, []).append(meta.id)
    return {bp: sorted(set(ids)) for bp, ids in by_bp.items()}


def lens_matrix(rules: Iterable[RuleMeta], lens: Lens) -> list[dict[str, Any]]:
    """One row per lens best practice, in catalog order."""
    by_bp = _rules_by_id(rules, "lens")
    rows: list[dict[str, Any]] = []
    for bp_id, practice in lens.best_practices.items():
        checked_by = by_bp.get(bp_id, [])
        if checked_by:
            state = ASSESSED
        elif practice.get("plan_assessable"):
            state = NOT_COVERED
        else:
            state = PROCESS
        rows.append({"id": bp_id, "pillar": practice["pillar"], "title": practice["title"], "risk": practice["risk"],
                     "state": state, "rules": checked_by, "evidence": lens.evidence(bp_id), "url": lens.url(bp_id)})
    return rows


def framework_matrix(rules: Iterable[RuleMeta], framework: Framework) -> list[dict[str, Any]]:
    """One row per framework best practice some rule implements (catalog order)."""
    by_bp = _rules_by_id(rules, "framework")
    return [{"id": bp_id, "pillar": practice["pillar"], "title": practice["title"], "rules": by_bp[bp_id],
             "url": framework.url(bp_id)}
            for bp_id, practice in framework.best_practices.items() if bp_id in by_bp]


def counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """state -> number of lens best practices (every state present)."""
    table = {state: 0 for state in STATES}
    for row in rows:
        table[row["state"]] += 1
    return table
