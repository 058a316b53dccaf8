"""`genai-lz rules` (the catalog) and `genai-lz explain RULE_ID`."""
from __future__ import annotations

import argparse
import re
from typing import Any

from checks.commands import add_output_arguments, output_format, write_output

CHECKOV_ID_RE = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


def register(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the rule catalog")
    add_output_arguments(p, ("text", "json", "markdown"), "text")
    p.add_argument("--policies", metavar="DIR", action="append", default=[], help="an extra policy directory")
    p.add_argument("--checkov", action="store_true", help="list the mapped checkov checks too")
    p.add_argument("--update-readme", metavar="FILE",
                   help="write the markdown catalog between <!-- rules:start --> and <!-- rules:end --> in FILE")
    p.set_defaults(func=run_rules)
    e = sub.add_parser("explain", help="rationale, remediation and lens references of one rule or checkov check")
    e.add_argument("rule_id", metavar="RULE_ID", help="a rule id (LZ-SEC-001) or a checkov check id (CKV_AWS_18); "
                                                       "any case")
    e.add_argument("--policies", metavar="DIR", action="append", default=[], help="an extra policy directory")
    e.set_defaults(func=run_explain)


def run_rules(args: argparse.Namespace) -> int:
    from checks.report.catalog import catalog, markdown_table, readme_section, replace_section

    rows = catalog(args.policies, args.checkov)
    if args.update_readme:
        from pathlib import Path

        from checks.errors import LzError

        target = Path(args.update_readme)
        try:
            text = target.read_text(encoding="utf-8")
        except OSError as exc:
            raise LzError(f"{target}: cannot read: {exc.strerror}") from None
        target.write_text(replace_section(text, readme_section(rows), str(target)), encoding="utf-8")
        return 0
    fmt = output_format(args)
    if fmt == "json":
        import json

        write_output(args, json.dumps(rows, indent=2, sort_keys=True) + "\n")
    elif fmt == "markdown":
        write_output(args, markdown_table(rows))
    else:
        write_output(args, text_table(rows))
    return 0


def text_table(rows: list[dict[str, Any]]) -> str:
    """The catalog as aligned text: a header row, then one rule a line, pillars titled as in the reports."""
    from checks.model import pillar_title

    table = [("ID", "PILLAR", "SEVERITY", "LENS / FRAMEWORK", "TITLE")] + [
        (r["id"], pillar_title(r["pillar"]), r["severity"], ", ".join([*r["lens"], *r.get("framework", ())]), r["title"])
        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4] + "\n"
                   for row in table)


def run_explain(args: argparse.Namespace) -> int:
    from checks.errors import LzError
    from checks.model import pillar_title
    from checks.registry import load_framework, load_lens, load_rules

    wanted = args.rule_id.strip().upper()
    rules = {m.id.upper(): m for m in load_rules(args.policies)}
    meta = rules.get(wanted)
    if meta is None and CHECKOV_ID_RE.match(wanted):
        return explain_checkov(wanted)
    if meta is None:
        raise LzError(f"no rule {args.rule_id!r}: `genai-lz rules` lists the rules, `genai-lz rules --checkov` the "
                      "checkov checks mapped onto the lens too (explain takes either id, in any case)")
    lens, framework = load_lens(), load_framework()
    out = [f"{meta.id}: {meta.title}", f"pillar: {pillar_title(meta.pillar)}    severity: {meta.severity}    scope: {meta.scope}",
           f"resource types: {', '.join(meta.resource_types) or '(whole plan)'}", "", "Why:", f"  {meta.rationale}", "",
           "Remediation:", f"  {meta.remediation}", "", f"Generative AI Lens ({lens.version}):"]
    out += [f"  {bp} {lens.title(bp)}\n    {lens.url(bp)}" for bp in meta.lens] or ["  (none: see the framework)"]
    if meta.framework:
        out += ["", f"{framework.name}:"]
        out += [f"  {bp} {framework.title(bp)}\n    {framework.url(bp)}" for bp in meta.framework]
    write_output(args, "\n".join(out) + "\n")
    return 0


def explain_checkov(check_id: str) -> int:
    """A checkov check: its title and guideline, and how policies/checkov.yaml maps it."""
    from checks.errors import LzError
    from checks.integrations import checkov_bridge
    from checks.model import pillar_title
    from checks.registry import load_framework, load_lens

    found = checkov_bridge.describe(check_id)
    if found is None:
        raise LzError(f"no checkov check {check_id!r} in the installed checkov: `genai-lz rules --checkov` lists "
                      "the mapped ones; checkov's own list: https://www.checkov.io/5.Policy%20Index/terraform.html")
    out = [f"{found['id']}: {found['title']}", f"checkov {found['checkov_version']} check",
           f"guideline: {found['url']}", ""]
    mapped = found["mapped"]
    if mapped is None:
        out += [f"Not mapped in {_shown(found['mapping_file'])}: `genai-lz check --checkov` reports it under the pillar "
                "'other' at params.yaml checkov.default_severity."]
    else:
        lens = load_lens()
        out += [f"Mapped by {_shown(found['mapping_file'])}:",
                f"  pillar: {pillar_title(mapped['pillar'])}    severity: {mapped['severity']}",
                f"  resource types: {', '.join(mapped['resource_types'])}"]
        if mapped["superseded_by"]:
            out.append(f"  superseded by the native rule {mapped['superseded_by']} when it is loaded")
        if mapped["remediation"]:
            out += ["", "Remediation:", f"  {mapped['remediation']}"]
        if mapped["lens"]:
            out += ["", f"Generative AI Lens ({lens.version}):"]
            out += [f"  {bp} {lens.title(bp)}\n    {lens.url(bp)}" for bp in mapped["lens"]]
        if mapped["framework"]:
            framework = load_framework()
            out += ["", "Well-Architected Framework (no lens best practice fits this control):"]
            out += [f"  {bp} {framework.title(bp)}\n    {framework.url(bp)}" for bp in mapped["framework"]]
    write_output(argparse.Namespace(output=None), "\n".join(out) + "\n")
    return 0


def _shown(path: str) -> str:
    """``path`` relative to the working directory when it is below it."""
    import os

    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
