"""`genai-lz coverage`: the lens coverage matrix (which rules check each best practice, or
the evidence an auditor asks for instead), and the Well-Architected Framework practices the
rules implement."""
from __future__ import annotations

import argparse
import textwrap
from typing import Any

from checks.commands import add_command, add_output_arguments, write_output


def register(sub: Any) -> None:
    p = add_command(sub, "coverage", run_coverage,
                    help="lens coverage matrix: rules per best practice, or the evidence to ask for",
                    description="For each best practice of the Generative AI Lens: the rules that check it, or "
                                "'process control, not visible in a plan' and the evidence an auditor should ask "
                                "for instead; then the Well-Architected Framework best practices the rules implement.")
    add_output_arguments(p, ("text", "markdown", "json"), "text")
    p.add_argument("--policies", metavar="DIR", action="append", default=[],
                   help="an extra policy directory (its rules count as coverage too)")


def matrix(policies: list[str]) -> dict[str, Any]:
    """The coverage document the formats render (the JSON output as is)."""
    from checks.coverage import counts, framework_matrix, lens_matrix
    from checks.registry import load_framework, load_lens, load_rules

    rules = load_rules(policies)
    lens, framework = load_lens(), load_framework()
    rows = lens_matrix(rules, lens)
    return {
        "lens": {"name": lens.name, "version": lens.version, "counts": counts(rows), "best_practices": rows},
        "framework": {"name": framework.name, "version": framework.version,
                      "best_practices": framework_matrix(rules, framework)},
        "rules": len(rules),
    }


def text(doc: dict[str, Any]) -> str:
    from checks.coverage import STATE_LABEL
    from checks.model import pillar_title

    lens, tally = doc["lens"], doc["lens"]["counts"]
    out = [f"{lens['name']} ({lens['version']}): {len(lens['best_practices'])} best practices, {doc['rules']} rules",
           f"  {tally['assessed']} checked by rules, {tally['not_covered']} plan-assessable without a rule yet, "
           f"{tally['not_assessable_from_plan']} process controls not visible in a plan"]
    pillar = None
    wrap = textwrap.TextWrapper(width=110, initial_indent="    evidence: ", subsequent_indent=" " * 14)
    for row in lens["best_practices"]:
        if row["pillar"] != pillar:
            pillar = row["pillar"]
            out += ["", pillar_title(pillar)]
        out.append(f"  {row['id']:15} {row['title']}")
        out.append(f"    {STATE_LABEL[row['state']]}" + (f": {', '.join(row['rules'])}" if row["rules"] else ""))
        out += wrap.wrap(row["evidence"])
    framework = doc["framework"]
    out += ["", f"{framework['name']}: best practices the rules implement where no lens practice fits"]
    out += [f"  {row['id']:11} {row['title']}: {', '.join(row['rules'])}" for row in framework["best_practices"]]
    return "\n".join(out) + "\n"


def run_coverage(args: argparse.Namespace) -> int:
    doc = matrix(args.policies)
    if args.format == "json":
        import json

        out = json.dumps(doc, indent=2, sort_keys=True) + "\n"
    elif args.format == "markdown":
        from checks.report.markdown import coverage_markdown

        out = coverage_markdown(doc["lens"]["best_practices"], doc["framework"]["best_practices"], level=2) + "\n"
    else:
        out = text(doc)
    write_output(args, out)
    return 0
