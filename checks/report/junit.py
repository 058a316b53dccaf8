"""JUnit XML for CI test reporters (Jenkins, GitLab, GitHub test-report actions).

* One ``<testsuite>`` per pillar (the six of the lens, then any other, e.g. checkov's
  ``other``), with the plan's evidence as ``<properties>``.
* One ``<testcase>`` per (rule, resource): ``classname`` is ``genai-lz.<pillar>.<RULE_ID>``,
  ``name`` the resource address.
* ``fail`` -> ``<failure type="fail">``; ``unknown`` that blocks the gate (at or above
  ``fail_on`` while unknown counts as a failure) -> ``<failure type="unknown">``; any other
  ``unknown`` -> ``<skipped>`` (undecided, below the gate); ``waived`` and
  ``not_applicable`` -> ``<skipped>`` with the waiver or the reason; ``pass`` -> an empty
  test case.

Written as text in one pass (no DOM), so that a 50,000-resource plan stays fast.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from checks.model import PILLARS, Finding, Status, pillar_title, severity_rank
from checks.report import ReportWriter
from checks.report.document import evidence

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

# characters XML 1.0 cannot carry, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    text = _INVALID_XML.sub("\ufffd", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: Any) -> str:
    return '"' + _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _details(f: Finding) -> str:
    from checks.report.helpers import value_text

    lines = [f"rule: {f.rule_id} {f.title}", f"severity: {f.severity}", f"resource: {f.address}"]
    if f.module:
        lines.append(f"module: {f.module}")
    if f.path:
        lines.append(f"evidence: {f.path} = {value_text(f.value, 500)}")
    elif f.value is not None:
        lines.append(f"evidence: {value_text(f.value, 500)}")
    if f.via:
        lines.append(f"via: {f.via}")
    if f.lens:
        lines.append(f"lens: {', '.join(f.lens)}")
    if f.remediation:
        lines.append(f"remediation: {f.remediation}")
    return "\n".join(lines)


class JunitWriter(ReportWriter, format="junit", extension="xml"):
    def render(self, result: "CheckResult") -> bytes:
        ev = evidence(result, self.options)
        verdict = result.verdict
        gate = severity_rank(verdict.fail_on)
        by_pillar: dict[str, list[Finding]] = defaultdict(list)
        for f in result.findings:
            by_pillar[f.pillar].append(f)
        order = [p for p in PILLARS if p in by_pillar] + sorted(p for p in by_pillar if p not in PILLARS)
        props = [
            ("plan.source", ev["plan"]["source"]),
            ("plan.sha256", ev["plan"]["sha256"]),
            ("terraform.version", ev["plan"]["terraform_version"]),
            *((f"provider.{name}", version) for name, version in ev["plan"]["provider_versions"].items()),
            ("policy.pack_version", ev["policy"]["pack_version"]),
            ("policy.params_sha256", ev["policy"]["params_sha256"]),
            ("policy.waivers_sha256", ev["policy"]["waivers_sha256"]),
            ("gate.scope", verdict.scope),
            ("gate.fail_on", verdict.fail_on),
            ("gate.unknown_fails", str(verdict.unknown_fails).lower()),
            ("gate.passed", str(verdict.passed).lower()),
        ]
        props += [(f"waiver.{i}", f"{state}: {w.rule} on {w.resource} (approved by {w.approved_by}, expires "
                                  f"{w.expires.isoformat()}): {covered} finding(s) covered")
                  for i, (state, w, covered) in enumerate(result.waiver_use(), 1)]
        if "generated_at" in ev:
            props.append(("generated_at", ev["generated_at"]))
        properties = "".join(f"      <property name={_attr(k)} value={_attr(v)}/>\n" for k, v in props)
        timestamp = f" timestamp={_attr(ev['generated_at'][:19])}" if "generated_at" in ev else ""
        suites: list[str] = []
        total = {"tests": 0, "failures": 0, "skipped": 0}
        for suite_id, pillar in enumerate(order):
            cases: list[str] = []
            failures = skipped = 0
            for f in by_pillar[pillar]:
                head = f"    <testcase classname={_attr(f'genai-lz.{pillar}.{f.rule_id}')} name={_attr(f.address)} time=\"0\""
                status = f.status
                if status is Status.FAIL or (status is Status.UNKNOWN and verdict.unknown_fails
                                             and severity_rank(f.severity) >= gate):
                    failures += 1
                    message = f"[{f.severity}] {f.message}"
                    cases.append(f"{head}>\n      <failure message={_attr(message)} type={_attr(status.value)}>"
                                 f"{_text(_details(f))}</failure>\n    </testcase>\n")
                elif status is Status.PASS:
                    cases.append(f"{head}/>\n")
                else:
                    skipped += 1
                    if status is Status.WAIVED and f.waiver:
                        w = f.waiver
                        reason = (f"waived: {w.get('justification', '')} (approved by {w.get('approved_by', '?')}, "
                                  f"expires {w.get('expires', '?')})")
                    elif status is Status.UNKNOWN:
                        reason = f"unknown at plan time, below the gate ({f.severity} < {verdict.fail_on}): {f.message}"
                    else:
                        reason = f"{status.value}: {f.message}"
                    cases.append(f"{head}>\n      <skipped message={_attr(reason)}/>\n    </testcase>\n")
            title = pillar_title(pillar)
            suites.append(
                f"  <testsuite name={_attr(f'genai-lz {title}')} id=\"{suite_id}\" package=\"genai-lz\" "
                f"tests=\"{len(cases)}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\"{timestamp}>\n"
                f"    <properties>\n{properties}    </properties>\n"
                + "".join(cases)
                + "  </testsuite>\n"
            )
            total["tests"] += len(cases)
            total["failures"] += failures
            total["skipped"] += skipped
        errors = ""
        if result.rule_errors:
            errors = "  <!-- rule errors (reported as unknown findings):\n" + "".join(
                f"       {_text(e).replace('--', '- -')}\n" for e in result.rule_errors) + "  -->\n"
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<testsuites name={_attr('genai-lz ' + ev['plan']['source'])} tests=\"{total['tests']}\" "
            f"failures=\"{total['failures']}\" errors=\"0\" skipped=\"{total['skipped']}\" time=\"0\">\n"
            + errors + "".join(suites) + "</testsuites>\n"
        )
        return xml.encode("utf-8")
