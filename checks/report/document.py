"""The report as data: what the JSON report holds and the other writers read from.

Deterministic: the same plan, rules and policy data give the same document; the
generation time is added only when ``options["timestamp"]`` is set.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from checks.model import PILLAR_TITLES, PILLARS, Status

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

REPORT_SCHEMA_VERSION = "1.0"


def tool_version() -> str:
    try:
        from importlib.metadata import version

        return version("genai-landing-zone")
    except Exception:  # not installed as a distribution (running from a checkout)
        return "0+unknown"


def evidence(result: "CheckResult", options: dict[str, Any]) -> dict[str, Any]:
    from checks.report.helpers import display_path

    plan = result.plan
    data: dict[str, Any] = {
        "plan": {
            "source": display_path(plan.source),
            "sha256": plan.sha256,
            "kind": plan.kind,
            "format_version": plan.format_version,
            "terraform_version": plan.terraform_version,
            "provider_versions": plan.provider_versions,
            "resources": len(plan.resources),
            "deleted": len(plan.deleted),
        },
        "policy": {
            "pack_version": result.policy_pack_version,
            "lens": {"name": result.lens.name, "version": result.lens.version},
            "rules": len(result.rules),
            "params_file": display_path(result.policy.params_file),
            "params_sha256": result.policy.params_sha256,
            "waivers_file": display_path(result.policy.waivers_file),
            "waivers_sha256": result.policy.waivers_sha256,
        },
        "tool": {"name": "genai-lz", "version": tool_version()},
    }
    if options.get("timestamp"):
        data["generated_at"] = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    for key, value in sorted(result.extra.get("evidence", {}).items()):
        data[key] = value
    return data


def summary(result: "CheckResult") -> dict[str, Any]:
    by_pillar = result.counts()
    by_status = {s.value: 0 for s in Status}
    for statuses in by_pillar.values():
        for status, count in statuses.items():
            by_status[status] += count
    return {
        "by_pillar": {p: by_pillar[p] for p in PILLARS} | {p: c for p, c in by_pillar.items() if p not in PILLARS},
        "by_status": by_status,
        "pillar_titles": dict(PILLAR_TITLES),
    }


def waivers(result: "CheckResult") -> dict[str, list[dict[str, Any]]]:
    """Each waiver by state, with the number of findings it covered (``findings``)."""
    out: dict[str, list[dict[str, Any]]] = {"applied": [], "expired": [], "unused": []}
    for state, waiver, covered in result.waiver_use():
        out[state].append({**waiver.to_dict(), "findings": covered})
    return out


def _findings(result: "CheckResult") -> list[dict[str, Any]]:
    """Each finding with the framework best practices of its rule or mapped checkov check
    (traceable when no lens practice fits)."""
    return [f.to_dict() | {"framework": list(f.framework)} for f in result.findings]


def build_document(result: "CheckResult", options: dict[str, Any] | None = None) -> dict[str, Any]:
    options = options or {}
    document: dict[str, Any] = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "evidence": evidence(result, options),
        "verdict": result.verdict.to_dict(),
        "summary": summary(result),
        "findings": _findings(result),
        "waivers": waivers(result),
        "lens_coverage": result.coverage(),
        "framework_coverage": result.framework_coverage(),
        "rule_errors": list(result.rule_errors),
    }
    for key, value in sorted(result.extra.items()):
        if key != "evidence":
            document[key] = value
    return document
