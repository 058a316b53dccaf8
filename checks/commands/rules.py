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
    p.set_defaults(func=run_rules)
    e = sub.add_parser("explain", help="rationale, remediation and lens references of one rule")
    e.add_argument("rule_id", metavar="RULE_ID")
    e.add_argument("--policies", metavar="DIR", action="append", default=[], help="an extra policy directory")
    e.set_defaults(func=run_explain)


def catalog(policies: list[str], with_checkov: bool) -> list[dict[str, Any]]:
    from checks.registry import load_rules

    rows = [meta.to_dict() for meta in load_rules(policies)]
    if with_checkov:
        from checks import checkov_bridge

        rows += checkov_bridge.catalog()
    return rows


def markdown_table(rows: list[dict[str, Any]]) -> str:
    from checks.model import PILLAR_TITLES

    lines = ["| id | pillar | severity | title | lens | resource types |", "|---|---|---|---|---|---|"]
    for r in rows:
        types = ", ".join(f"`{t}`" for t in r["resource_types"]) or "(whole plan)"
        lines.append(f"| {r['id']} | {PILLAR_TITLES.get(r['pillar'], r['pillar'])} | {r['severity']} | "
                     f"{r['title'].replace('|', '/')} | {', '.join(r['lens'])} | {types} |")
    return "\n".join(lines) + "\n"


def run_rules(args: argparse.Namespace) -> int:
    rows = catalog(args.policies, args.checkov)
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(rows, indent=2, sort_keys=True) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(markdown_table(rows))
    else:
        for r in rows:
            sys.stdout.write(f"{r['id']:12} {r['pillar']:24} {r['severity']:8} {r['title']}\n")
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from checks.errors import LzError
    from checks.registry import load_lens, load_rules

    rules = {m.id: m for m in load_rules(args.policies)}
    meta = rules.get(args.rule_id)
    if meta is None:
        raise LzError(f"no rule {args.rule_id!r}; `genai-lz rules` lists them")
    lens = load_lens()
    out = [f"{meta.id}: {meta.title}", f"pillar: {meta.pillar}    severity: {meta.severity}    scope: {meta.scope}",
           f"resource types: {', '.join(meta.resource_types) or '(whole plan)'}", "", "Why:", f"  {meta.rationale}", "",
           "Remediation:", f"  {meta.remediation}", "", f"Generative AI Lens ({lens.version}):"]
    out += [f"  {bp} {lens.title(bp)}\n    {lens.url(bp)}" for bp in meta.lens]
    sys.stdout.write("\n".join(out) + "\n")
    return 0
