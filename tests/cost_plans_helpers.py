"""Builders of small `terraform show -json` plans for the cost tests (and the cost rule fixtures)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROVIDER = "registry.terraform.io/hashicorp/aws"


def change(address: str, type_: str, after: dict[str, Any], *, name: str | None = None, index: Any = None,
           unknown: dict[str, Any] | None = None, module: str | None = None,
           actions: tuple[str, ...] = ("create",)) -> dict[str, Any]:
    local = address.split(".", 2 * (address.count("module.")))[-1] if module else address
    rc: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name or local.split(".")[1].split("[")[0],
        "provider_name": PROVIDER,
        "change": {"actions": list(actions), "before": None, "after": after,
                   "after_unknown": unknown or {}, "after_sensitive": {}},
    }
    if index is not None:
        rc["index"] = index
    if module:
        rc["module_address"] = module
    return rc


def plan(changes: list[dict[str, Any]], resources: list[dict[str, Any]] | None = None,
         module_calls: dict[str, Any] | None = None, region: str | None = "us-east-1") -> dict[str, Any]:
    root: dict[str, Any] = {"resources": resources or []}
    if module_calls:
        root["module_calls"] = module_calls
    provider: dict[str, Any] = {"name": "aws", "full_name": PROVIDER}
    if region:
        provider["expressions"] = {"region": {"constant_value": region}}
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": provider}, "root_module": root},
    }


def config(address: str, type_: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": type_, "name": name, "expressions": expressions}


def ref(*targets: str) -> dict[str, Any]:
    return {"references": list(targets)}


def budget(name: str, limit: Any, *, unknown: bool = False) -> dict[str, Any]:
    after = {"name": name, "budget_type": "COST", "time_unit": "MONTHLY", "limit_unit": "USD",
             "limit_amount": None if unknown else str(limit)}
    return change(f"aws_budgets_budget.{name}", "aws_budgets_budget", after,
                  unknown={"limit_amount": True} if unknown else None)


def budget_config(name: str) -> dict[str, Any]:
    return config(f"aws_budgets_budget.{name}", "aws_budgets_budget", name,
                  {"limit_amount": ref("var.limit"), "budget_type": {"constant_value": "COST"}})


def node_group(name: str, instance_type: str, desired: int, max_size: int, capacity: str = "ON_DEMAND",
               module: str | None = None, key: str | None = None) -> dict[str, Any]:
    local = f'aws_eks_node_group.{name}' + (f'["{key}"]' if key else "")
    address = f"{module}.{local}" if module else local
    after = {"node_group_name": name, "capacity_type": capacity, "instance_types": [instance_type],
             "scaling_config": [{"desired_size": desired, "min_size": 0, "max_size": max_size}]}
    return change(address, "aws_eks_node_group", after, name=name, index=key, module=module)


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path
