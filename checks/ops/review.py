"""What `make plan` prints for review: Terraform's add/change/destroy summary, the
resources it replaces or destroys (by address), and where the full human-readable plan is.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

_SUMMARY_RE = re.compile(r"^(Plan: \d+ to (?:import, \d+ to )?add, \d+ to change, \d+ to destroy\.|No changes\..*)$",
                         re.MULTILINE)
SHOWN = 25  # addresses listed per kind; the plan text has them all


def changes(plan: Mapping[str, Any]) -> dict[str, list[str]]:
    """Managed resource addresses by what the plan does to them: create, update, replace, delete."""
    out: dict[str, list[str]] = {"create": [], "update": [], "replace": [], "delete": []}
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change.get("change", {}).get("actions", [])
        if "delete" in actions and "create" in actions:
            kind = "replace"
        elif actions in (["create"], ["update"], ["delete"]):
            kind = actions[0]
        else:
            continue
        out[kind].append(change["address"])
    return {kind: sorted(addresses) for kind, addresses in out.items()}


def summary_line(plan: Mapping[str, Any], text: str) -> str:
    """Terraform's own "Plan: N to add, N to change, N to destroy." line (computed from the
    JSON the same way when the text has none)."""
    match = _SUMMARY_RE.search(text or "")
    if match:
        return match.group(1).strip()
    found = changes(plan)
    add = len(found["create"]) + len(found["replace"])
    destroy = len(found["delete"]) + len(found["replace"])
    if not add and not destroy and not found["update"]:
        return "No changes. Your infrastructure matches the configuration."
    return f"Plan: {add} to add, {len(found['update'])} to change, {destroy} to destroy."


def review_lines(plan: Mapping[str, Any], text: str) -> list[str]:
    """The summary, then every resource to replace or destroy (the ones to look at first)."""
    found = changes(plan)
    lines = [summary_line(plan, text)]
    for kind, verb in (("replace", "REPLACE"), ("delete", "DESTROY")):
        addresses = found[kind]
        for address in addresses[:SHOWN]:
            lines.append(f"  {verb:8} {address}")
        if len(addresses) > SHOWN:
            lines.append(f"  ... and {len(addresses) - SHOWN} more to {verb.lower()} (see the plan text)")
    return lines
