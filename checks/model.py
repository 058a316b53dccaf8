"""The rule shape, results and findings.

A rule is a function decorated with :func:`rule` (runs once per resource of its types)
or :func:`plan_rule` (runs once per plan, e.g. "the plan has a budget"). The decorator
keeps the rule's metadata with its logic; the registry finds decorated functions in the
rule folders.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

__all__ = [
    "PILLARS",
    "SEVERITIES",
    "SCOPES",
    "Status",
    "Result",
    "RuleMeta",
    "Finding",
    "rule",
    "plan_rule",
    "severity_rank",
]

PILLARS: tuple[str, ...] = (
    "security",
    "reliability",
    "performance_efficiency",
    "cost_optimization",
    "sustainability",
    "operational_excellence",
)
PILLAR_TITLES: dict[str, str] = {
    "security": "Security",
    "reliability": "Reliability",
    "performance_efficiency": "Performance efficiency",
    "cost_optimization": "Cost optimization",
    "sustainability": "Sustainability",
    "operational_excellence": "Operational excellence",
}
OTHER_PILLAR = "other"
PILLAR_TITLES[OTHER_PILLAR] = "Other checkov findings"
SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
# What a plan is checked as: a whole workload account, or one stack / module of an account.
SCOPES: tuple[str, ...] = ("account", "stack")
APPLIES_TO: tuple[str, ...] = ("any", "account")


def report_pillars(present: Iterable[str]) -> list[str]:
    """The six lens pillars in lens order, then any other group findings carry (checkov's)."""
    extra = sorted(set(present) - set(PILLARS))
    return list(PILLARS) + extra


def pillar_title(pillar: str) -> str:
    return PILLAR_TITLES.get(pillar, pillar.replace("_", " ").capitalize())


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class Status(str, enum.Enum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"
    NOT_APPLICABLE = "not_applicable"

    def __str__(self) -> str:  # pragma: no cover - cosmetic
        return self.value


_NO_VALUE: Any = object()


@dataclass(frozen=True, slots=True)
class Result:
    """What a rule says about one resource (or, for a plan rule, about ``address``).

    ``path`` names the attribute the verdict rests on (dotted); the engine reads its
    planned value for the evidence, masked when sensitive. ``via`` names the resource a
    configuration reference resolved to, when the verdict rests on that reference because
    the value itself is unknown at plan time.
    """

    status: Status
    message: str
    path: str | None = None
    value: Any = _NO_VALUE
    via: str | None = None
    address: str | None = None

    @classmethod
    def passed(cls, message: str, path: str | None = None, value: Any = _NO_VALUE,
               via: str | None = None, address: str | None = None) -> "Result":
        return cls(Status.PASS, message, path, value, via, address)

    @classmethod
    def failed(cls, message: str, path: str | None = None, value: Any = _NO_VALUE,
               via: str | None = None, address: str | None = None) -> "Result":
        return cls(Status.FAIL, message, path, value, via, address)

    @classmethod
    def unknown(cls, message: str, path: str | None = None, address: str | None = None) -> "Result":
        return cls(Status.UNKNOWN, message, path, _NO_VALUE, None, address)

    @classmethod
    def not_applicable(cls, message: str, address: str | None = None) -> "Result":
        return cls(Status.NOT_APPLICABLE, message, None, _NO_VALUE, None, address)

    @property
    def has_value(self) -> bool:
        return self.value is not _NO_VALUE


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    title: str
    pillar: str
    lens: tuple[str, ...]
    severity: str
    resource_types: tuple[str, ...]
    remediation: str
    rationale: str
    scope: str  # "resource" or "plan"
    func: Callable[..., Any] = field(repr=False, compare=False)
    source: str = "native"
    folder: str = ""
    help_uri: str = ""
    superseded_by: str | None = None
    applies_to: str = "any"  # "account": an account-level rule, not_applicable under --scope stack
    # Well-Architected Framework best practices (policies/lens/wa-framework.yaml) the rule
    # implements, for rules (or parts of rules) no Generative AI Lens best practice fits
    framework: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "pillar": self.pillar,
            "lens": list(self.lens),
            "framework": list(self.framework),
            "severity": self.severity,
            "resource_types": list(self.resource_types),
            "scope": self.scope,
            "applies_to": self.applies_to,
            "source": self.source,
            "remediation": self.remediation,
            "rationale": self.rationale,
        }


def _decorate(scope: str, id: str, title: str, pillar: str, lens: Iterable[str], severity: str,
              resource_types: Iterable[str], remediation: str, rationale: str,
              applies_to: str = "any", framework: Iterable[str] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__lz_rule__ = RuleMeta(  # type: ignore[attr-defined]
            id=id,
            title=title,
            pillar=pillar,
            lens=tuple(lens),
            severity=severity,
            resource_types=tuple(resource_types),
            remediation=remediation.strip(),
            rationale=(rationale or func.__doc__ or "").strip(),
            scope=scope,
            func=func,
            applies_to=applies_to,
            framework=tuple(framework),
        )
        return func

    return wrap


def rule(*, id: str, title: str, pillar: str, severity: str, resource_types: Iterable[str], remediation: str,
         lens: Iterable[str] = (), framework: Iterable[str] = (), rationale: str = "",
         applies_to: str = "any") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A per-resource rule: ``check(resource, plan, params) -> Result | None``.

    Returning None means "nothing to say" (no finding); use
    ``Result.not_applicable`` to record that the rule looked and did not apply.
    ``applies_to="account"`` marks a rule about what a whole workload account must have
    (a trail, a budget, an endpoint in its VPC): the engine makes it not_applicable when the
    plan is checked with ``--scope stack`` (a module or one stack of an account).
    ``lens`` names Generative AI Lens best practices (policies/lens/genai-lens.yaml),
    ``framework`` Well-Architected Framework ones (policies/lens/wa-framework.yaml) for what
    no lens best practice covers; a rule names at least one of either.
    """
    return _decorate("resource", id, title, pillar, lens, severity, resource_types, remediation, rationale,
                     applies_to, framework)


def plan_rule(*, id: str, title: str, pillar: str, severity: str, remediation: str,
              lens: Iterable[str] = (), framework: Iterable[str] = (), resource_types: Iterable[str] = (),
              rationale: str = "", applies_to: str = "any") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A per-plan rule: ``check(plan, params) -> Result | Iterable[Result]``.

    A result without ``address`` is about the plan as a whole (the root module).
    ``resource_types`` lists the types the rule looks at (for the catalog); ``lens``,
    ``framework`` and ``applies_to`` as for :func:`rule`.
    """
    return _decorate("plan", id, title, pillar, lens, severity, resource_types, remediation, rationale, applies_to,
                     framework)


@dataclass(slots=True)
class Finding:
    """One verdict of one rule on one resource, as reports show it."""

    rule_id: str
    title: str
    pillar: str
    lens: tuple[str, ...]
    severity: str
    address: str
    resource_type: str
    module: str
    status: Status
    message: str
    path: str | None = None
    value: Any = None
    via: str | None = None
    source: str = "native"
    remediation: str = ""
    waiver: Mapping[str, Any] | None = None
    # Well-Architected Framework best practices of the rule or the mapped checkov check
    framework: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "title": self.title,
            "source": self.source,
            "pillar": self.pillar,
            "lens": list(self.lens),
            "severity": self.severity,
            "address": self.address,
            "resource_type": self.resource_type,
            "module": self.module,
            "status": self.status.value,
            "message": self.message,
            "evidence": {"path": self.path, "value": self.value, "via": self.via},
        }
        if self.waiver is not None:
            data["waiver"] = dict(self.waiver)
        return data


def finding_fingerprint(rule_id: str, address: str) -> str:
    """A finding's identity across runs (rule id + resource address): SARIF's
    partialFingerprints and the stable Security Hub finding ids are made from it."""
    import hashlib

    return hashlib.sha256(f"{rule_id}\x00{address}".encode("utf-8")).hexdigest()


def workspace_name(evidence: Mapping[str, Any]) -> str:
    """The name of the root/env/account a JSON report judged: ``evidence.workspace.name``
    when the check recorded one, else the plan file's name without ``.plan.json``."""
    recorded = evidence.get("workspace")
    if isinstance(recorded, Mapping) and isinstance(recorded.get("name"), str) and recorded["name"]:
        return recorded["name"]
    name = str(evidence["plan"]["source"]).replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".plan.json", ".json"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
