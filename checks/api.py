"""The check pipeline as a library call: ``run_check(plan_path, options) -> CheckRun``.

One place puts the pieces together, in this order: policy data (params, waivers), rules,
the plan, its cost estimate, checkov (optional), the engine (rules, waivers, verdict) and
the reports. The CLI (`genai-lz check`), drift (the check of the refreshed values), the
demo and the tests all call it in-process; only the CLI turns its outcome into an exit
code and a summary line.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from checks import cost, engine, registry
from checks import plan as plan_module
from checks.engine import CheckResult
from checks.files import DEFAULT_MAX_INPUT_SIZE
from checks.model import Finding

if TYPE_CHECKING:
    from checks.forked import Forked
    from checks.integrations.checkov_bridge import Scan

DEFAULT_FORMATS = ("json",)


@dataclass(frozen=True)
class CheckOptions:
    """What a check run reads and writes; every field has the CLI's default."""

    policies: Sequence[str] = ()          # extra policy directories
    builtin_rules: bool = True            # load the built-in rule pack
    params: str | None = None             # default policies/params.yaml
    waivers: str | None = None            # default policies/waivers.yaml
    prices: str | None = None             # default policies/prices.yaml
    usage: str | None = None              # monthly usage for the cost estimate
    checkov: bool = False                 # run checkov's AWS checks in-process as well
    fail_on: str | None = None            # gate severity (default params gate.fail_on)
    unknown_fails: bool | None = None     # default params gate.unknown_fails
    scope: str | None = None              # account | stack (default params scope, else account)
    today: dt.date | None = None          # the date waivers expire against
    formats: Sequence[str] = DEFAULT_FORMATS
    output: str | Path | None = None      # a file (one format), a directory, or None: stdout
    write: bool = True                    # False: no report is written (the caller renders)
    timestamp: bool = False               # record the generation time in the reports
    tf_root: str | None = None            # the Terraform root the plan was made from (SARIF lines)
    profile: bool = False                 # time each rule
    max_input_size: int = DEFAULT_MAX_INPUT_SIZE  # bytes; a larger plan file is refused (exit 2)
    allow_wildcard_waivers: bool = False  # accept a waiver of rule "*" on resource "*"
    workspace: dict[str, str] | None = None  # which root/env/account the plan is of (evidence.workspace)
    providers: Mapping[str, str] | None = None  # provider versions that ran (lock file), not the constraint


@dataclass
class CheckRun:
    """The outcome of one run: the engine's result, the cost estimate, the reports written."""

    result: CheckResult
    estimate: cost.Estimate
    reports: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.result.verdict.passed

    @property
    def exit_code(self) -> int:
        """0 = the gate passed, 1 = it failed (the CLI's exit code)."""
        return 0 if self.passed else 1

    def summary(self) -> list[str]:
        """The verdict in a few lines: counts, the first blocking findings, rule errors."""
        result = self.result
        counts: dict[str, int] = {}
        for f in result.findings:
            counts[f.status.value] = counts.get(f.status.value, 0) + 1
        state = "passed" if result.verdict.passed else "FAILED"
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        lines = [f"gate {state} (fail-on {result.verdict.fail_on}, scope {result.verdict.scope}): {len(result.plan)} resources, "
                 f"{len(result.rules)} rules, {parts or 'no findings'}"]
        lines += [f"  {f.status.value.upper():7} {f.severity:8} {f.rule_id} {f.address}: {f.message}"
                  for f in result.verdict.blocking[:20]]
        if len(result.verdict.blocking) > 20:
            lines.append(f"  ... and {len(result.verdict.blocking) - 20} more")
        lines += [f"warning: rule error (reported as unknown): {error}" for error in result.rule_errors[:5]]
        return lines


def _estimate(plan_path: str | Path, params: str | None, prices: str | None, usage: str | None,
              region: str | None) -> tuple[plan_module.Plan, cost.Estimate]:
    policy = engine.load_policy_data(params, None)
    book, monthly_usage = cost.load_prices(prices), cost.load_usage(usage)
    plan = plan_module.load(plan_path)
    return plan, cost.estimate(plan, policy.params, book, monthly_usage, region=region)


def estimate_cost(plan_path: str | Path, params: str | None = None, prices: str | None = None,
                  usage: str | None = None, region: str | None = None) -> cost.Estimate:
    """The monthly cost estimate of the plan JSON at ``plan_path`` (in process; what reaches a
    user goes through :func:`cost_report`)."""
    return _estimate(plan_path, params, prices, usage, region)[1]


def cost_report(plan_path: str | Path, params: str | None = None, prices: str | None = None,
                usage: str | None = None, region: str | None = None) -> dict[str, Any]:
    """`genai-lz cost`: the estimate as report data (``Estimate.to_dict()``) with every
    sensitive value of the plan masked, as in the check's reports."""
    plan, estimate = _estimate(plan_path, params, prices, usage, region)
    data: dict[str, Any] = plan.scrubber.texts(estimate.to_dict())
    return data


def _load_plan(plan_path: str | Path, options: CheckOptions, validate: bool = True) -> plan_module.Plan:
    plan = plan_module.load(plan_path, options.max_input_size, validate)
    if options.providers:
        plan.selected_providers = dict(options.providers)
    return plan


def run_check(plan_path: str | Path, options: CheckOptions | None = None) -> CheckRun:
    """Check the plan JSON at ``plan_path``; :class:`checks.errors.LzError` for invalid input.

    With ``checkov``, checkov's scan starts first, in a worker process that loads the plan
    itself (:func:`checks.integrations.checkov_bridge.start`); this process loads the policy
    data, the rules and the plan, estimates the cost and runs the rules meanwhile, and then
    maps checkov's records to findings."""
    options = options or CheckOptions()
    worker = None
    if options.checkov:
        from checks.integrations import checkov_bridge

        # the worker reads the plan unvalidated: the load below validates it, and an invalid
        # plan stops the worker (the finally below) before anything reads its result
        worker = checkov_bridge.start(lambda: _load_plan(plan_path, options, validate=False))
    try:
        return _run_check(plan_path, options, worker)
    finally:
        if worker is not None:
            worker.close()


def _run_check(plan_path: str | Path, options: CheckOptions, worker: Forked[Scan] | None) -> CheckRun:
    clock = time.perf_counter
    started = clock()
    policy = engine.load_policy_data(options.params, options.waivers, options.allow_wildcard_waivers)
    rules = registry.load_rules(list(options.policies), include_builtin=options.builtin_rules)
    loaded_rules = clock()
    plan = _load_plan(plan_path, options)
    loaded_plan = clock()
    # computed once, before the rules: the cost rules read this same estimate (Plan.memo)
    estimate = cost.estimate_for(plan, policy.params, cost.load_prices(options.prices), cost.load_usage(options.usage))
    estimated = clock()
    extra_evidence: dict[str, Any] = {}
    checkov_parts: dict[str, float] = {}

    def checkov_findings() -> list[Finding]:
        """Called by the engine after the rules: the worker's scan, mapped here."""
        from checks.integrations import checkov_bridge

        assert worker is not None  # called only with a worker
        waiting = clock()
        mapper = checkov_bridge.Mapper(plan, policy.params, rules)
        for part in worker.parts():  # the resource checks' records, mapped while the graph checks run
            mapper.add(part)
        done = worker.result()
        waited = clock() - waiting - mapper.early_seconds
        findings, evidence = mapper.finish(done)
        extra_evidence.update(evidence)
        # the checkov phase split into its parts (import, plan load, adapt, graph, checks, mapping)
        checkov_parts.update({"checkov (worker)": worker.seconds,
                              **{f"  {name}": seconds for name, seconds in checkov_bridge.LAST_TIMINGS.items()},
                              "checkov wait": waited})
        return findings

    result = engine.check(plan, rules, policy, fail_on=options.fail_on, unknown_fails=options.unknown_fails,
                          today=options.today, extra_findings=checkov_findings if worker is not None else (),
                          profile=options.profile, scope=options.scope)
    if options.workspace:
        extra_evidence["workspace"] = dict(options.workspace)
    if extra_evidence:
        result.extra.setdefault("evidence", {}).update(plan.scrubber.texts(extra_evidence))
    # the estimate names instance types, sizes and addresses read from the plan: masked too
    result.extra["cost"] = plan.scrubber.texts(estimate.to_dict())
    checked = clock()
    reports: list[Path] = []
    if options.write:
        from checks.report import write_reports

        output = None if options.output is None else str(options.output)
        reports = write_reports(result, list(options.formats), output,
                                {"timestamp": options.timestamp, "tf_root": options.tf_root})
    written = clock()
    timings = {"policy+rules load": loaded_rules - started, **plan.timings,
               "cost estimate": estimated - loaded_plan, **result.timings, **checkov_parts,
               "report": written - checked, "total (in process)": written - started}
    return CheckRun(result, estimate, reports, timings)
