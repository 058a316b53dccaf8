"""`genai-lz rules` (the catalog) and `genai-lz explain RULE_ID`."""
from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the rule catalog")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    p.add_argument("--policies", metavar="DIR", action="append", default=[], help="an extra policy directory")
    p.add_argument("--checkov", action="store_true", help="list the mapped checkov checks too")
    p.add_argument("--update-readme", metavar="FILE",
                   help="write the markdown catalog between <!-- rules:start --> and <!-- rules:end --> in FILE")
    p.set_defaults(func=run_rules)
    e = sub.add_parser("explain", help="rationale, remediation and lens references of one rule")
    e.add_argument("rule_id", metavar="RULE_ID")
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
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(rows, indent=2, sort_keys=True) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(markdown_table(rows))
    else:
        for r in rows:
            mapping = ", ".join([*r["lens"], *r.get("framework", ())])
            sys.stdout.write(f"{r['id']:12} {r['pillar']:24} {r['severity']:8} {mapping:28} {r['title']}\n")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from checks.errors import LzError
    from checks.registry import load_framework, load_lens, load_rules

    rules = {m.id: m for m in load_rules(args.policies)}
    meta = rules.get(args.rule_id)
    if meta is None:
        raise LzError(f"no rule {args.rule_id!r}; `genai-lz rules` lists them")
    lens, framework = load_lens(), load_framework()
    out = [f"{meta.id}: {meta.title}", f"pillar: {meta.pillar}    severity: {meta.severity}    scope: {meta.scope}",
           f"resource types: {', '.join(meta.resource_types) or '(whole plan)'}", "", "Why:", f"  {meta.rationale}", "",
           "Remediation:", f"  {meta.remediation}", "", f"Generative AI Lens ({lens.version}):"]
    out += [f"  {bp} {lens.title(bp)}\n    {lens.url(bp)}" for bp in meta.lens] or ["  (none: see the framework)"]
    if meta.framework:
        out += ["", f"{framework.name}:"]
        out += [f"  {bp} {framework.title(bp)}\n    {framework.url(bp)}" for bp in meta.framework]
    sys.stdout.write("\n".join(out) + "\n")
    return 0
