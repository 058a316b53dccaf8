"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

What it holds:

* **One rule per policy** (``tool.driver.rules``): every rule that ran, plus every checkov
  check that produced a finding. Each carries its title, rationale, remediation as help
  text (with links to the lens best practices), ``helpUri`` (the lens page; checkov's
  policy index for checkov checks), tags (``genai-lens``, the pillar, the lens ids,
  ``security`` for the security pillar) and ``properties.security-severity`` (the CVSS-like
  score GitHub sorts alerts by: critical 9.5, high 8.0, medium 5.5, low 3.0, info 1.0).
* **One result per finding that needs attention**: every ``fail`` (any severity, ``kind``
  ``fail``, ``level`` from the severity), every ``unknown`` (``kind`` ``open``: what the gate
  could not decide at plan time, the same findings the HTML and Markdown reports list;
  ``level`` ``none`` as SARIF 2.1.0 §3.27.10 requires for a kind other than ``fail``, the
  message and ``properties.blocking`` say whether it blocks the gate), and every ``waived``
  finding with a ``suppressions`` entry (``accepted``, the waiver's justification, approver
  and expiry) so that the audit trail survives in the code-scanning history while GitHub
  shows no open alert for it. Passing and not applicable findings are not results (they
  are in the JSON/HTML reports).
* **Locations**: the .tf file and line of the ``resource`` block (see
  :mod:`checks.report.locate`; ``--tf-root DIR`` names the root module directory), relative
  to the current directory with ``uriBaseId`` ``%SRCROOT%``. A finding whose block cannot be
  found points at the plan file and says so in its message and in
  ``properties.location_exact``; a finding about the plan as a whole points at the root
  module's main.tf, line 1. The resource address is the ``logicalLocation``.
* ``partialFingerprints`` (rule id + address) so that an alert keeps its identity across
  runs even when the block moves to another line.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.model import Finding, Status, pillar_title
from checks.model import finding_fingerprint as _fingerprint
from checks.plan import ROOT_ADDRESS
from checks.report import ReportWriter
from checks.report.document import evidence, tool_version

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
CHECKOV_POLICY_INDEX = "https://www.checkov.io/5.Policy%20Index/all.html"
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SRCROOT = "%SRCROOT%"


def _rule_name(title: str, rule_id: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in title).split()
    return "".join(w[:1].upper() + w[1:] for w in words) or rule_id.replace("-", "")


def _evidence_text(f: Finding) -> str:
    if not f.path and f.value is None:
        return ""
    from checks.report.helpers import value_text

    text = f" Evidence: {f.path} = {value_text(f.value, 200)}." if f.path else f" Evidence: {value_text(f.value, 200)}."
    if f.via:
        text += f" (via {f.via})"
    return text


class SarifWriter(ReportWriter, format="sarif", extension="sarif"):
    # -- rules -------------------------------------------------------------------------
    def _rule_descriptors(self, result: "CheckResult") -> list[dict[str, Any]]:
        from checks.registry import load_framework

        lens, framework = result.lens, load_framework()
        metas: dict[str, dict[str, Any]] = {}
        for meta in result.rules:
            metas[meta.id] = {"id": meta.id, "title": meta.title, "pillar": meta.pillar, "lens": list(meta.lens),
                              "framework": list(meta.framework), "severity": meta.severity, "rationale": meta.rationale, "remediation": meta.remediation,
                              "source": meta.source, "help_uri": meta.help_uri}
        for f in result.findings:  # checkov (and any other extra) findings bring their own rules
            if f.rule_id not in metas:
                metas[f.rule_id] = {"id": f.rule_id, "title": f.title, "pillar": f.pillar, "lens": list(f.lens),
                                    "framework": [], "severity": f.severity, "rationale": "", "remediation": f.remediation,
                                    "source": f.source, "help_uri": ""}
        descriptors = []
        for rule_id in sorted(metas):
            m = metas[rule_id]
            links = [(bp, lens.title(bp), lens.url(bp)) for bp in m["lens"]]
            framework_links = [(bp, framework.title(bp), framework.url(bp)) for bp in m["framework"]]
            if m["help_uri"]:
                help_uri = m["help_uri"]
            elif m["source"] == "checkov":
                help_uri = CHECKOV_POLICY_INDEX
            elif links or framework_links:
                help_uri = (links or framework_links)[0][2]
            else:
                help_uri = ""
            title = pillar_title(m["pillar"])
            help_text = [m["remediation"] or "See the rule's documentation."]
            help_md = [f"**Remediation.** {m['remediation'] or 'See the rule documentation.'}"]
            if m["rationale"]:
                help_text.insert(0, m["rationale"])
                help_md.insert(0, m["rationale"])
            if links:
                help_text.append("Generative AI Lens: " + "; ".join(f"{bp} {title} ({url})" for bp, title, url in links))
                help_md.append("**Generative AI Lens** (" + title + "):\n"
                               + "\n".join(f"- [{bp}]({url}): {title}" for bp, title, url in links))
            if framework_links:
                help_text.append("Well-Architected Framework: "
                                 + "; ".join(f"{bp} {t} ({url})" for bp, t, url in framework_links))
                help_md.append("**Well-Architected Framework**:\n"
                               + "\n".join(f"- [{bp}]({url}): {t}" for bp, t, url in framework_links))
            if m["source"] == "checkov":
                help_text.append(f"checkov check {rule_id}: {help_uri}")
                help_md.append(f"checkov check `{rule_id}`: [policy index]({help_uri})")
            tags = ["genai-lens", m["pillar"], *m["lens"], *m["framework"]]
            if m["pillar"] == "security":
                tags.append("security")
            if m["source"] != "native":
                tags.append(m["source"])
            descriptor: dict[str, Any] = {
                "id": rule_id,
                "name": _rule_name(m["title"], rule_id),
                "shortDescription": {"text": m["title"] or rule_id},
                "fullDescription": {"text": m["rationale"] or m["title"] or rule_id},
                "help": {"text": "\n\n".join(help_text), "markdown": "\n\n".join(help_md)},
                "defaultConfiguration": {"level": LEVEL.get(m["severity"], "warning")},
                "properties": {
                    "tags": list(dict.fromkeys(tags)),
                    "security-severity": SECURITY_SEVERITY.get(m["severity"], "5.5"),
                    "precision": "high",
                    "problem.severity": {"error": "error", "warning": "warning"}.get(LEVEL.get(m["severity"], ""), "recommendation"),
                    "severity": m["severity"],
                    "pillar": m["pillar"],
                    "lens": m["lens"],
                    "framework": m["framework"],
                    "source": m["source"],
                },
            }
            if help_uri:
                descriptor["helpUri"] = help_uri
            descriptors.append(descriptor)
        return descriptors

    # -- results -----------------------------------------------------------------------
    @staticmethod
    def reported(f: Finding) -> bool:
        """Whether a finding becomes a SARIF result (see the module docstring): every fail,
        unknown and waived finding; whether one blocks the gate is the verdict's
        (``Verdict.blocking``)."""
        return f.status in (Status.FAIL, Status.WAIVED, Status.UNKNOWN)

    def render(self, result: "CheckResult") -> bytes:
        from checks.report.locate import Locator

        ev = evidence(result, self.options)
        verdict = result.verdict
        locator = Locator(result.plan, self.options.get("tf_root"))
        rules = self._rule_descriptors(result)
        index = {r["id"]: i for i, r in enumerate(rules)}
        blocking = {id(f) for f in verdict.blocking}
        results = []
        artifacts: dict[str, int] = {}
        for f in result.findings:
            if not self.reported(f):
                continue
            where = locator.locate(f.address)
            artifacts.setdefault(where.path, len(artifacts))
            text = f"{f.address}: {f.message.rstrip('.')}.{_evidence_text(f)}"
            if f.status is Status.UNKNOWN:
                verdict_note = "blocks the gate" if id(f) in blocking else "does not block the gate"
                text = f"[unknown at plan time, {verdict_note}] {text}"
            if not where.exact and f.address == ROOT_ADDRESS and where.path != locator.relative(Path(result.plan.source)):
                text += f" (A finding about the plan as a whole: pointing at the root module, {where.path}.)"
            elif not where.exact:
                text += f" (Location: the resource block was not found in the configuration; pointing at the plan file {where.path}.)"
            entry: dict[str, Any] = {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                # SARIF 2.1.0 §3.27.10: a kind other than "fail" has the level "none"
                "level": "none" if f.status is Status.UNKNOWN else LEVEL.get(f.severity, "warning"),
                "kind": "open" if f.status is Status.UNKNOWN else "fail",
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": where.path, "uriBaseId": SRCROOT, "index": artifacts[where.path]},
                        "region": {"startLine": where.line},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}],
                }],
                "partialFingerprints": {"genaiLzFinding/v1": _fingerprint(f.rule_id, f.address)},
                "properties": {
                    "status": f.status.value,
                    "severity": f.severity,
                    "pillar": f.pillar,
                    "lens": list(f.lens),
                    "address": f.address,
                    "module": f.module,
                    "resource_type": f.resource_type,
                    "evidence": {"path": f.path, "value": f.value, "via": f.via},
                    "location_exact": where.exact,
                    "blocking": id(f) in blocking,
                },
            }
            if f.status is Status.WAIVED and f.waiver:
                w = f.waiver
                entry["suppressions"] = [{
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{w.get('justification', '')} (approved by {w.get('approved_by', '?')}, "
                                     f"expires {w.get('expires', '?')})",
                    "properties": dict(w),
                }]
            results.append(entry)
        notifications = [{"level": "error", "message": {"text": error}} for error in result.rule_errors]
        run: dict[str, Any] = {
            "tool": {"driver": {
                "name": "genai-lz",
                "fullName": "genai-lz: AWS Well-Architected Generative AI Lens checks on Terraform plans",
                "version": tool_version(),
                "semanticVersion": tool_version() if tool_version()[:1].isdigit() and "+" not in tool_version() else None,
                "rules": rules,
                "properties": {"policy_pack_version": result.policy_pack_version,
                               "lens": f"{result.lens.name} ({result.lens.version})"},
            }},
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": notifications,
                "properties": {"gate_passed": verdict.passed, "scope": verdict.scope, "fail_on": verdict.fail_on,
                               "unknown_fails": verdict.unknown_fails, "blocking": len(verdict.blocking),
                               "waivers": [{**w.to_dict(), "state": state, "findings": covered}
                                           for state, w, covered in result.waiver_use()]},
            }],
            "artifacts": [{"location": {"uri": path, "uriBaseId": SRCROOT}} for path in artifacts],
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"evidence": ev, "tf_root": locator.relative(locator.root) if locator.root else None},
        }
        if run["tool"]["driver"]["semanticVersion"] is None:
            del run["tool"]["driver"]["semanticVersion"]
        if "generated_at" in ev:
            run["invocations"][0]["endTimeUtc"] = ev["generated_at"].replace("+00:00", "Z")
        document = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
        import orjson

        try:
            return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
        except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits in a planned value
            import json

            return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
