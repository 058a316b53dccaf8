"""Drift: what changed in the real infrastructure behind Terraform's back.

`detect` runs, through the Terraform driver, `terraform plan -refresh-only
-detailed-exitcode -out build/<root>-<env>.drift.tfplan`, turns the plan's `resource_drift`
entries (state before the refresh vs the real values after it) into one row per changed
attribute, writes them as reports/<root>-<env>/drift.json and drift.md, and judges the
refreshed values with the check pipeline, checks.api.run_check (reports/<root>-<env>/refreshed/).

A refresh-only plan JSON carries the refreshed values in `prior_state` and an empty
`planned_values`, so the check runs on build/<root>-<env>.refreshed.plan.json: the same
document with every refreshed resource as a no-op resource change (its `sensitive_values`
as `after_sensitive`), which checks.plan.load reads like any plan.

Values Terraform marks sensitive (before_sensitive / after_sensitive) never reach a report
or the terminal: the row is kept (the attribute changed) with both values masked.

Drift is what the plan reports in `resource_drift` (and changed `output_changes`), not the bare
exit code 2 of `-detailed-exitcode`, which Terraform also returns when a refresh only rewrites
its private per-resource metadata (seen right after an apply on the emulator).

Exit codes (checks.commands.drift): 0 = no drift, 1 = drift, 2 = error.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from checks import values
from checks.api import CheckOptions, run_check
from checks.errors import ToolError
from checks.files import write_atomic
from checks.report.helpers import md_code, md_code_cell

MASK = "(sensitive)"
DELETED = "(deleted outside Terraform)"
ABSENT = "(absent)"


@dataclass(frozen=True)
class DriftItem:
    address: str
    type: str
    attribute: str
    state_value: Any
    real_value: Any
    action: str
    sensitive: bool = False


@dataclass
class DriftResult:
    items: list[DriftItem]
    drifted: bool
    terraform_exit_code: int
    json_report: Path
    markdown_report: Path
    refreshed_plan: Path
    check_code: int

    @property
    def exit_code(self) -> int:
        return 1 if self.drifted else 0

    @property
    def resources(self) -> list[str]:
        return sorted({item.address for item in self.items})


# --------------------------------------------------------------------------------------
# Attribute diff with sensitivity
# --------------------------------------------------------------------------------------
def mask(value: Any, sens: Any) -> Any:
    """`value` with every part marked sensitive replaced by MASK."""
    return values.mask(value, sens, MASK)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def attribute_changes(before: Any, after: Any, before_sens: Any = False, after_sens: Any = False,
                      path: str = "") -> Iterator[tuple[str, Any, Any, bool]]:
    """(attribute path, state value, real value, sensitive) for every leaf that differs;
    maps are walked key by key, lists index by index when their length is unchanged."""
    if before == after:
        return
    if before_sens is True or after_sens is True:
        yield path or "(resource)", MASK, MASK, True
        return
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in sorted(set(before) | set(after)):
            yield from attribute_changes(
                before.get(key, ABSENT), after.get(key, ABSENT),
                values.subtree(before_sens, key), values.subtree(after_sens, key), _join(path, key),
            )
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (b, a) in enumerate(zip(before, after)):
            yield from attribute_changes(b, a, values.subtree(before_sens, index), values.subtree(after_sens, index),
                                         _join(path, index))
        return
    yield path or "(resource)", mask(before, before_sens), mask(after, after_sens), False


def drift_items(plan: Mapping[str, Any]) -> list[DriftItem]:
    """One item per changed attribute of every `resource_drift` entry of a plan JSON."""
    items: list[DriftItem] = []
    for entry in plan.get("resource_drift") or []:
        change = entry.get("change") or {}
        actions = change.get("actions") or ["no-op"]
        action = "-".join(actions)
        if actions == ["no-op"]:
            continue
        address, rtype = entry["address"], entry.get("type", "")
        before, after = change.get("before"), change.get("after")
        if actions == ["delete"] or after is None:
            items.append(DriftItem(address, rtype, "(resource)", "(in state)", DELETED, action))
            continue
        for attribute, state_value, real_value, sensitive in attribute_changes(
            before, after, change.get("before_sensitive") or False, change.get("after_sensitive") or False
        ):
            items.append(DriftItem(address, rtype, attribute, state_value, real_value, action, sensitive))
    for name, change in sorted((plan.get("output_changes") or {}).items()):
        if (change.get("actions") or ["no-op"]) == ["no-op"]:
            continue
        sensitive = bool(change.get("before_sensitive") or change.get("after_sensitive"))
        before, after = (MASK, MASK) if sensitive else (change.get("before"), change.get("after"))
        items.append(DriftItem(f"output.{name}", "output", "(value)", before, after,
                               "-".join(change.get("actions")), sensitive))
    return items


# --------------------------------------------------------------------------------------
# The refreshed values as a plan genai-lz check reads
# --------------------------------------------------------------------------------------
def _state_resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from _state_resources(child)


def refreshed_plan(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The refresh-only plan with the refreshed state as no-op resource changes."""
    values = (plan.get("prior_state") or {}).get("values") or {}
    changes = []
    for res in _state_resources(values.get("root_module") or {}):
        if res.get("mode", "managed") != "managed":
            continue
        rc = {k: res[k] for k in ("address", "mode", "type", "name", "index", "provider_name") if k in res}
        rc["change"] = {
            "actions": ["no-op"],
            "before": res.get("values"),
            "after": res.get("values"),
            "after_unknown": {},
            "before_sensitive": res.get("sensitive_values") or {},
            "after_sensitive": res.get("sensitive_values") or {},
        }
        changes.append(rc)
    doc = {k: plan[k] for k in ("format_version", "terraform_version", "variables", "configuration") if k in plan}
    doc["planned_values"] = values
    doc["prior_state"] = plan.get("prior_state") or {}
    doc["resource_changes"] = changes
    return doc


# --------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------
def write_reports(items: Sequence[DriftItem], out_dir: Path, meta: Mapping[str, Any]) -> tuple[Path, Path]:
    """drift.json and drift.md in out_dir (written to temporary files, then renamed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    resources = sorted({i.address for i in items})
    doc = {**meta, "drifted": bool(meta.get("drifted", items)), "resources": resources,
           "items": [asdict(i) for i in items]}
    lines = [
        f"# Drift: {meta.get('root')}/{meta.get('env')} (target {meta.get('target')})",
        "",
        (f"**{len(items)} changed attribute(s) in {len(resources)} resource(s)** outside Terraform."
         if items else "No drift: the real infrastructure matches the state."),
        "",
        f"Refresh-only plan: `{meta.get('plan')}`; refreshed values checked by genai-lz: "
        f"gate {meta.get('check')} (`{meta.get('check_report')}`).",
    ]
    if items:
        lines += ["", "| resource | attribute | state value | real value | action |", "|---|---|---|---|---|"]
        lines += [f"| {md_code(i.address)} | {md_code(i.attribute)} | {md_code_cell(i.state_value)} | {md_code_cell(i.real_value)} | {i.action} |"
                  for i in items]
        lines += ["", "To keep the real values, change the configuration to match and run `make plan` + `make apply`; "
                  "to restore the configured values, run `make plan` + `make apply` as is."]
    json_path, md_path = out_dir / "drift.json", out_dir / "drift.md"
    for path, text in ((json_path, json.dumps(doc, indent=1, sort_keys=True) + "\n"), (md_path, "\n".join(lines) + "\n")):
        write_atomic(path, text)
    return json_path, md_path


# --------------------------------------------------------------------------------------
# The whole operation
# --------------------------------------------------------------------------------------
def detect(runner: Any, report_dir: Path, extra_vars: Mapping[str, str] | None = None,
           check_options: CheckOptions | None = None) -> DriftResult:
    """Refresh-only plan of runner.ws, drift reports and the check of the refreshed values
    (``check_options`` for that check; its formats and output are always JSON and Markdown
    in ``report_dir``/refreshed/)."""
    ws = runner.ws
    plan_file, plan_json, refreshed_json = ws.plan_file(".drift"), ws.plan_json(".drift"), ws.plan_json(".refreshed")
    runner.init()
    result = runner.plan(plan_file, extra_vars, refresh_only=True, detailed_exitcode=True)
    data = runner.write_plan_json(plan_file, plan_json)
    if data.get("errored"):
        raise ToolError(f"the refresh-only plan of {ws.label} is marked errored: see {plan_json}")
    items = drift_items(data)
    write_atomic(refreshed_json, json.dumps(refreshed_plan(data), indent=1, sort_keys=True))
    check_dir = report_dir / "refreshed"
    check = run_check(refreshed_json, replace(check_options or CheckOptions(), formats=("json", "markdown"),
                                              output=check_dir, write=True))
    check_code = check.exit_code
    # Terraform's exit code 2 also fires when a refresh only rewrites what it keeps
    # privately (provider metadata of a freshly applied resource) and shows no change:
    # drift is what the plan reports in resource_drift / output_changes.
    drifted = bool(items)
    json_path, md_path = write_reports(items, report_dir, {
        "root": ws.root, "env": ws.env, "target": ws.target, "drifted": drifted, "terraform_exit_code": result.code,
        "plan": str(plan_file), "check": "passed" if check_code == 0 else "FAILED",
        "check_report": str(check_dir),
    })
    return DriftResult(items, drifted, result.code, json_path, md_path, refreshed_json, check_code)
