"""Run the rules on a plan, apply waivers and compute the verdict against the gate."""
from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from checks.errors import PolicyError
from checks.model import PILLARS, SCOPES, Finding, Result, RuleMeta, Status, severity_rank
from checks.plan import ROOT_ADDRESS, Plan, Resource
from checks.registry import Lens, load_lens, policy_pack_version
from checks.schema import POLICIES_DIR, load_yaml
from checks.values import MASK, Scrubber

DEFAULT_PARAMS = POLICIES_DIR / "params.yaml"
DEFAULT_WAIVERS = POLICIES_DIR / "waivers.yaml"


# --------------------------------------------------------------------------------------
# policy data


@dataclass(frozen=True)
class Waiver:
    rule: str
    resource: str
    justification: str
    approved_by: str
    expires: dt.date
    ticket: str = ""
    _rule_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _resource_re: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rule_re", re.compile(fnmatch.translate(self.rule)))
        object.__setattr__(self, "_resource_re", re.compile(fnmatch.translate(self.resource)))

    def matches(self, rule_id: str, address: str) -> bool:
        return bool(self._rule_re.match(rule_id) and self._resource_re.match(address))

    def expired(self, today: dt.date) -> bool:
        return self.expires < today

    def to_dict(self) -> dict[str, Any]:
        data = {
            "rule": self.rule,
            "resource": self.resource,
            "justification": self.justification,
            "approved_by": self.approved_by,
            "expires": self.expires.isoformat(),
        }
        if self.ticket:
            data["ticket"] = self.ticket
        return data


@dataclass(frozen=True)
class PolicyData:
    """Params and waivers as read, with the sha256 of each file for the evidence."""

    params: Mapping[str, Any]
    params_file: str
    params_sha256: str
    waivers: tuple[Waiver, ...]
    waivers_file: str
    waivers_sha256: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wildcard_only(pattern: str) -> bool:
    """True for a pattern that matches every string (``*``, ``**``...)."""
    return bool(pattern.strip()) and set(pattern.strip()) <= {"*"}


def load_policy_data(params_file: str | Path | None = None, waivers_file: str | Path | None = None,
                     allow_wildcard_waivers: bool = False) -> PolicyData:
    params_path = Path(params_file) if params_file else DEFAULT_PARAMS
    waivers_path = Path(waivers_file) if waivers_file else DEFAULT_WAIVERS
    params = load_yaml(params_path, "params.schema.json")
    raw_waivers = load_yaml(waivers_path, "waivers.schema.json").get("waivers") or []
    waivers = []
    for i, w in enumerate(raw_waivers):
        try:
            expires = dt.date.fromisoformat(w["expires"])
        except ValueError:
            raise PolicyError(f"{waivers_path}: at waivers[{i}].expires: {w['expires']!r} is not a date (YYYY-MM-DD)") from None
        if _wildcard_only(w["rule"]) and _wildcard_only(w["resource"]) and not allow_wildcard_waivers:
            raise PolicyError(f"{waivers_path}: at waivers[{i}]: rule {w['rule']!r} on resource {w['resource']!r} would "
                              "waive every finding of the plan; name the rule or the resources it covers (or pass "
                              "--allow-wildcard-waivers if that is really meant)")
        waivers.append(Waiver(w["rule"], w["resource"], w["justification"], w["approved_by"], expires, w.get("ticket", "")))
    return PolicyData(
        params=params,
        params_file=str(params_path),
        params_sha256=_sha256(params_path),
        waivers=tuple(waivers),
        waivers_file=str(waivers_path),
        waivers_sha256=_sha256(waivers_path),
    )


# --------------------------------------------------------------------------------------
# results


@dataclass
class Verdict:
    passed: bool
    fail_on: str
    unknown_fails: bool
    blocking: list[Finding]
    scope: str = "account"  # what the plan was checked as (SCOPES); every report states it

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "scope": self.scope,
            "gate": {"fail_on": self.fail_on, "unknown_fails": self.unknown_fails},
            "blocking": len(self.blocking),
            "blocking_findings": [f"{f.rule_id} {f.address}" for f in self.blocking],
        }


@dataclass
class CheckResult:
    """Everything a report needs: the plan's identity, the rules, findings and verdict."""

    plan: Plan
    rules: list[RuleMeta]
    findings: list[Finding]
    verdict: Verdict
    policy: PolicyData
    lens: Lens
    waivers_applied: list[Waiver]
    waivers_expired: list[Waiver]
    waivers_unused: list[Waiver]
    rule_errors: list[str]
    today: dt.date
    policy_pack_version: str = field(default_factory=policy_pack_version)
    timings: dict[str, float] = field(default_factory=dict)
    rule_timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """pillar -> status -> count (every pillar and status present, for stable output)."""
        table = {p: {s.value: 0 for s in Status} for p in PILLARS}
        tally: dict[tuple[str, Status], int] = {}
        for f in self.findings:
            key = (f.pillar, f.status)
            tally[key] = tally.get(key, 0) + 1
        for (pillar, status), count in tally.items():
            if pillar not in table:
                table[pillar] = {s.value: 0 for s in Status}
            table[pillar][status.value] += count
        return table

    def waiver_use(self) -> list[tuple[str, Waiver, int]]:
        """Every waiver of the policy data with its state (applied, expired, unused) and the
        number of findings it covered in this run."""
        covered: dict[tuple[str, ...], int] = {}
        for f in self.findings:
            if f.status is Status.WAIVED and f.waiver:
                key = _waiver_key(f.waiver)
                covered[key] = covered.get(key, 0) + 1
        return ([("applied", w, covered.get(_waiver_key(w.to_dict()), 0)) for w in self.waivers_applied]
                + [("expired", w, 0) for w in self.waivers_expired]
                + [("unused", w, 0) for w in self.waivers_unused])

    def coverage(self) -> list[dict[str, Any]]:
        """Each lens best practice: the rules that assess it, or the evidence to ask for (checks.coverage)."""
        from checks.coverage import lens_matrix

        return lens_matrix(self.rules, self.lens)

    def framework_coverage(self) -> list[dict[str, Any]]:
        """The Well-Architected Framework best practices the rules implement (checks.coverage)."""
        from checks.coverage import framework_matrix
        from checks.registry import load_framework

        return framework_matrix(self.rules, load_framework())


def _waiver_key(waiver: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(waiver.get(k, "")) for k in ("rule", "resource", "approved_by", "expires", "justification"))


# --------------------------------------------------------------------------------------
# running


def _finding(meta: RuleMeta, resource: Resource | None, result: Result, plan: Plan) -> Finding:
    status = result.status
    message = result.message
    path = result.path
    if resource is None and result.address:
        resource = plan.get(result.address)
    if resource is not None and path and status in (Status.PASS, Status.FAIL) and not result.via \
            and resource.is_unknown(path):
        status = Status.UNKNOWN
        message = f"{path} is known only after apply; cannot decide at plan time ({message})"
    value: Any = None
    if resource is not None:
        if result.has_value:
            value = MASK if path and resource.is_sensitive(path) else result.value
        elif path:
            value = resource.masked(path)
    elif result.has_value:
        value = result.value
    address = resource.address if resource is not None else (result.address or ROOT_ADDRESS)
    return Finding(
        rule_id=meta.id,
        title=meta.title,
        pillar=meta.pillar,
        lens=meta.lens,
        severity=meta.severity,
        address=address,
        resource_type=resource.type if resource is not None else "",
        module=resource.module_address if resource is not None else "",
        status=status,
        message=message,
        path=path,
        value=value,
        via=result.via,
        source=meta.source,
        remediation=meta.remediation,
        framework=meta.framework,
    )


def mask_finding(finding: Finding, scrubber: Scrubber) -> Finding:
    """The one place every finding (native or checkov) passes before it is judged or shown:
    any sensitive value of the plan in its message, evidence value or evidence path
    becomes :data:`MASK`, whatever path (or none) the rule gave."""
    if scrubber:
        finding.message = scrubber.text(str(finding.message))
        finding.value = scrubber.value(finding.value)
        if finding.path:
            finding.path = scrubber.text(finding.path)
        if finding.via:
            finding.via = scrubber.text(finding.via)
    return finding


def _error_result(meta: RuleMeta, exc: Exception, address: str | None) -> Result:
    return Result.unknown(f"rule {meta.id} could not decide: {type(exc).__name__}: {exc}", address=address)


MAX_ISOLATED_ERRORS = 20  # resources a plan rule may fail on before it is reported as one root-level error


def _results(produced: Any) -> list[Result]:
    """A rule's return value as a list of results; TypeError for anything else."""
    results = [produced] if isinstance(produced, Result) else list(produced or ())
    for result in results:
        if not isinstance(result, Result):
            raise TypeError(f"the rule returned {type(result).__name__}, not a Result")
    return results


def _culprit(exc: BaseException, plan: Plan, meta: RuleMeta) -> Resource | None:
    """The resource a plan rule was looking at when it raised: a Resource of ``plan`` held
    by the innermost frame of the rule's own file (its loop variable), else by the
    innermost frame of a helper it called."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    rule_file = meta.func.__code__.co_filename
    ordered = [f for f in reversed(frames) if f.f_code.co_filename == rule_file] + list(reversed(frames))
    for frame in ordered:
        for value in frame.f_locals.values():
            if isinstance(value, Resource) and value.plan is plan:
                return value
    return None


def _run_plan_rule(meta: RuleMeta, plan: Plan, params: Mapping[str, Any], errors: list[str] | None) -> list[Finding]:
    """A plan rule, with its errors isolated per resource: when it raises while looking at
    one resource, that resource gets an unknown finding with the error and the rule runs
    again without it, so that its verdicts on every other resource stand."""
    isolated: list[tuple[str, Exception]] = []
    current = plan
    while True:
        try:
            results = _results(meta.func(current, params))
            break
        except Exception as exc:  # a rule bug must not pass silently, nor crash the gate, nor hide findings
            culprit = _culprit(exc, current, meta)
            if culprit is None or len(isolated) >= MAX_ISOLATED_ERRORS:
                results = [_error_result(meta, exc, None)]
                if errors is not None:
                    errors.append(f"{meta.id}: {type(exc).__name__}: {exc}")
                break
            isolated.append((culprit.address, exc))
            if errors is not None:
                errors.append(f"{meta.id} on {culprit.address}: {type(exc).__name__}: {exc}")
            current = plan.without(address for address, _ in isolated)
    findings = [_finding(meta, None, _error_result(meta, exc, address), plan) for address, exc in isolated]
    failed = {address for address, _ in isolated}
    findings += [_finding(meta, None, result, plan) for result in results if result.address not in failed]
    return findings


STACK_SCOPE_REASON = ("an account-level rule (what a whole workload account must have); the plan is checked with "
                      "scope stack (one module or stack of an account), so the account's own plan answers it")


def _out_of_scope(meta: RuleMeta, plan: Plan) -> list[Finding]:
    """not_applicable findings of an account-level rule on a stack-scope plan: one per
    resource of its types for a per-resource rule, one for the plan for a plan rule."""
    result = Result.not_applicable(STACK_SCOPE_REASON)
    if meta.scope == "resource":
        return [_finding(meta, resource, result, plan) for resource in plan.of_type(*meta.resource_types)]
    return [_finding(meta, None, result, plan)]


def resolve_scope(scope: str | None, params: Mapping[str, Any]) -> str:
    """The scope asked for, else params ``scope``, else ``account``; PolicyError for another word."""
    chosen = scope or params.get("scope") or "account"
    if chosen not in SCOPES:
        raise PolicyError(f"scope {chosen!r} is not one of {', '.join(SCOPES)} (--scope or params scope)")
    return str(chosen)


def run_rules(plan: Plan, rules: Sequence[RuleMeta], params: Mapping[str, Any],
              rule_timings: dict[str, float] | None = None, errors: list[str] | None = None,
              scope: str = "account") -> list[Finding]:
    findings: list[Finding] = []
    clock = time.perf_counter
    for meta in rules:
        started = clock()
        if scope == "stack" and meta.applies_to == "account":
            findings.extend(_out_of_scope(meta, plan))
        elif meta.scope == "resource":
            for resource in plan.of_type(*meta.resource_types):
                try:
                    produced = meta.func(resource, plan, params)
                    results = [] if produced is None else _results(produced)
                    found = [_finding(meta, resource, result, plan) for result in results]
                except Exception as exc:  # a rule bug must not pass silently, nor crash the gate
                    found = [_finding(meta, resource, _error_result(meta, exc, resource.address), plan)]
                    if errors is not None:
                        errors.append(f"{meta.id} on {resource.address}: {type(exc).__name__}: {exc}")
                findings.extend(found)
        else:
            findings.extend(_run_plan_rule(meta, plan, params, errors))
        if rule_timings is not None:
            rule_timings[meta.id] = rule_timings.get(meta.id, 0.0) + clock() - started
    return findings


def apply_waivers(findings: Iterable[Finding], waivers: Sequence[Waiver], today: dt.date
                  ) -> tuple[list[Waiver], list[Waiver], list[Waiver]]:
    """Waive matching fail/unknown findings; return (applied, expired, unused) waivers."""
    active = [w for w in waivers if not w.expired(today)]
    expired = [w for w in waivers if w.expired(today)]
    used: set[int] = set()
    if not waivers:
        return [], [], []
    for finding in findings:
        if finding.status not in (Status.FAIL, Status.UNKNOWN):
            continue
        for waiver in active:
            if waiver.matches(finding.rule_id, finding.address):
                finding.status = Status.WAIVED
                finding.waiver = waiver.to_dict()
                used.add(id(waiver))
                break
        else:
            for waiver in expired:
                if waiver.matches(finding.rule_id, finding.address):
                    finding.message += f" (waiver expired on {waiver.expires.isoformat()})"
                    break
    applied = [w for w in active if id(w) in used]
    unused = [w for w in active if id(w) not in used]
    return applied, expired, unused


def verdict(findings: Iterable[Finding], fail_on: str, unknown_fails: bool, scope: str = "account") -> Verdict:
    gate = severity_rank(fail_on)
    blocking = [
        f for f in findings
        if severity_rank(f.severity) >= gate
        and (f.status is Status.FAIL or (unknown_fails and f.status is Status.UNKNOWN))
    ]
    return Verdict(passed=not blocking, fail_on=fail_on, unknown_fails=unknown_fails, blocking=blocking, scope=scope)


_PILLAR_ORDER = {p: i for i, p in enumerate(PILLARS)}


def sort_key(f: Finding) -> tuple[int, str, str]:
    return (_PILLAR_ORDER.get(f.pillar, len(PILLARS)), f.rule_id, f.address)


def check(plan: Plan, rules: Sequence[RuleMeta], policy: PolicyData, *, fail_on: str | None = None,
          unknown_fails: bool | None = None, today: dt.date | None = None,
          extra_findings: Iterable[Finding] | Callable[[], Iterable[Finding]] = (), profile: bool = False,
          scope: str | None = None) -> CheckResult:
    """Run every rule on the plan, add extra findings (checkov), waive, and judge.

    ``extra_findings`` may be a function: it is called once the rules have run (checkov's
    scan finishes in a worker process meanwhile) and its time is not the rules'.

    ``scope`` (default params ``scope``, else ``account``): under ``stack`` the rules with
    ``applies_to="account"`` are not_applicable (see :func:`_out_of_scope`)."""
    today = today or dt.date.today()
    scope = resolve_scope(scope, policy.params)
    gate = policy.params.get("gate", {})
    fail_on = fail_on or gate.get("fail_on", "high")
    unknown_fails = gate.get("unknown_fails", True) if unknown_fails is None else unknown_fails
    errors: list[str] = []
    rule_timings: dict[str, float] | None = {} if profile else None
    started = time.perf_counter()
    findings = run_rules(plan, rules, policy.params, rule_timings, errors, scope)
    rules_ran = time.perf_counter()
    findings.extend(extra_findings() if callable(extra_findings) else extra_findings)
    extra_done = time.perf_counter()
    scrubber = plan.scrubber
    for finding in findings:
        mask_finding(finding, scrubber)
    errors = [scrubber.text(e) for e in errors]
    findings.sort(key=sort_key)
    rules_done = time.perf_counter()
    applied, expired, unused = apply_waivers(findings, policy.waivers, today)
    result = CheckResult(
        plan=plan,
        rules=list(rules),
        findings=findings,
        verdict=verdict(findings, fail_on, unknown_fails, scope),
        policy=policy,
        lens=load_lens(),
        waivers_applied=applied,
        waivers_expired=expired,
        waivers_unused=unused,
        rule_errors=errors,
        today=today,
    )
    result.timings["rules"] = rules_done - started - (extra_done - rules_ran)
    result.timings["waivers+verdict"] = time.perf_counter() - rules_done
    if rule_timings is not None:
        result.rule_timings = rule_timings
    return result
