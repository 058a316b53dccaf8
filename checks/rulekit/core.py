"""The building blocks every topic module uses: per-plan lookups, lists, references.

Rules import what they need through :mod:`checks.rulekit` so that the same question is
answered in one place; this module holds the questions that are about no topic in
particular (is the value empty? which planned resource does this argument refer to?).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from checks.model import Result
from checks.plan import Plan, Resource
from checks.values import UNKNOWN

T = TypeVar("T")


def plan_index(plan: Any, key: str, build: Callable[[Plan], T]) -> T:
    """``build(plan)`` computed once per plan and key (rules stay linear on large plans);
    kept in the plan's own cache (:meth:`checks.plan.Plan.memo`)."""
    return plan.memo(f"rulekit:{key}", build)


def group_by(plan: Any, type: str, attribute: str) -> dict[str, list[Resource]]:
    """The planned resources of ``type`` grouped by the known string value of ``attribute``."""
    groups: dict[str, list[Resource]] = {}
    for res in plan.of_type(type):
        value = res.get(attribute)
        if isinstance(value, str):
            groups.setdefault(value, []).append(res)
    return groups


def as_list(value: Any) -> list[Any]:
    """``None`` -> ``[]``; a list or tuple -> a list; anything else -> a one-element list."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def is_empty(value: Any) -> bool:
    """None, an empty string, list or map (a value that configures nothing)."""
    return value is None or value in ("", [], {})


def has_unknown(value: Any) -> bool:
    """True when ``value`` is UNKNOWN, a map with an unknown value, or a list with an unknown element."""
    if isinstance(value, Mapping):
        return any(has_unknown(v) for v in value.values())
    return any(v is UNKNOWN for v in (value if isinstance(value, list) else [value]))


def referenced(resource: Resource, path: str, types: str | Iterable[str]) -> Resource | None:
    """The first resource of ``types`` the configuration at ``path`` refers to, if any."""
    found = resource.references(path, types)
    return found[0] if found else None


def data_source(resource: Resource, path: str | Sequence[str | int], type: str) -> Resource | None:
    """The data source of ``type`` read at apply time that the expression at ``path`` refers to.

    Data sources whose arguments are known are read during plan (their result is already
    in the consuming attribute); the others appear in ``resource_changes`` with the
    ``read`` action and partially known arguments, which is what this returns.
    """
    found = [d for d in resource.references(path, type) if d.mode == "data"]
    return found[0] if found else None


def configured(resource: Resource, path: str) -> bool:
    """True when the configuration sets ``path`` (see :meth:`Resource.is_configured`)."""
    return resource.is_configured(path)


def through_local(resource: Resource, path: str) -> bool:
    """True when the configuration expression at ``path`` refers to a ``local.`` value
    (whose definition plan JSON does not carry, so references end there)."""
    node: Any = resource.expressions
    for key in path.split("."):
        if node is None:
            return False
        if key.isdigit():
            continue
        items = node if isinstance(node, list) else [node]
        found = [item[key] for item in items if isinstance(item, Mapping) and key in item]
        node = found[0] if len(found) == 1 else (found or None)
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            refs = item.get("references")
            if isinstance(refs, list) and any(isinstance(r, str) and r.startswith("local.") for r in refs):
                return True
            stack.extend(v for v in item.values() if isinstance(v, (Mapping, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return False


@dataclass(frozen=True)
class Referrers:
    """Resources of one type that refer to a target at one argument (see :func:`referrers`)."""

    traced: list[Resource] = field(default_factory=list)    # by configuration reference
    inferred: list[Resource] = field(default_factory=list)  # through a local value: the only candidate
    open: list[Resource] = field(default_factory=list)      # the trace stops at a local value, undecided

    @property
    def found(self) -> list[Resource]:
        return self.traced + self.inferred


def referrers(target: Resource, type: str, path: str) -> Referrers:
    """Resources of ``type`` whose ``path`` refers to ``target``, also through ``local.`` values.

    Plan JSON does not record the expressions of local values, so a subnet whose ``vpc_id``
    is ``local.vpc_id`` (terraform-aws-modules: ``local.vpc_id = try(aws_vpc.this[0].id,
    "")``) refers to nothing. Where the trace stops at locals of a module whose instance (the
    one the referrer shares) holds exactly one resource of the target's type, the reference
    is inferred to that resource (``inferred``); where it holds several, it is ``open``: a
    rule then says unknown, never fail. Computed once per plan, type and path.
    """
    index = plan_index(target.plan, f"referrers:{type}:{path}:{target.type}",
                       lambda p: _referrer_index(p, type, path, target.type))
    traced, inferred, open_ = index.get(target.address, ([], [], []))
    return Referrers(list(traced), list(inferred), list(open_))


def _referrer_index(plan: Any, type: str, path: str, target_type: str) -> dict[str, tuple[list[Resource], ...]]:
    """target address -> (traced, inferred, open)."""
    index: dict[str, tuple[list[Resource], ...]] = {}

    def slot(address: str) -> tuple[list[Resource], ...]:
        return index.setdefault(address, ([], [], []))

    for res in plan.of_type(type):
        refs = res.references(path, target_type)
        for ref in refs:
            slot(ref.address)[0].append(res)
        if refs or not plan.local_stops(res, path):
            continue
        guess = plan.local_guess(res, path, target_type)
        if len(guess) == 1:
            slot(guess[0].address)[1].append(res)
        elif guess:
            for candidate in guess:
                slot(candidate.address)[2].append(res)
    return index


def about(result: Result, via: str) -> Result:
    """A verdict read on a companion resource (a bucket's encryption configuration, ...),
    restated for the resource the rule judges: the companion's attribute path does not
    apply to it, so the evidence names the companion (or the key it resolved to)."""
    if result.status.value in ("pass", "fail"):
        make = Result.passed if result.status.value == "pass" else Result.failed
        return make(result.message, via=result.via or via)
    if result.status.value == "unknown":
        return Result.unknown(f"{result.message} (on {via})")
    return result


def json_document(resource: Resource, path: str) -> Any:
    """The JSON text at ``path`` parsed (a dict or list); UNKNOWN when known only after apply;
    None when unset or not valid JSON."""
    value = resource.get(path)
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, (dict, list)):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None
