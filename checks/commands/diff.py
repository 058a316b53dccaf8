"""`genai-lz diff OLD.json NEW.json`: what changed between two JSON reports (checks.report.diff).

Exit 0 when there is no new failure, 1 when there is, 2 when a file is not a valid
genai-lz JSON report (checked against policies/schemas/report.schema.json).
"""
from __future__ import annotations

import argparse
from typing import Any

from checks.commands import add_command, add_output_arguments, write_output


def register(sub: Any) -> None:
    p = add_command(sub, "diff", run, "compare two JSON reports: new failures, fixed, newly waived, still failing",
                    "Exit 0 = no new failure, 1 = new failures, 2 = invalid input.")
    p.add_argument("old", metavar="OLD.json", help="the JSON report of the base (e.g. the main branch)")
    p.add_argument("new", metavar="NEW.json", help="the JSON report of the change (e.g. the pull request)")
    add_output_arguments(p, ("markdown", "json"), "markdown")


def run(args: argparse.Namespace) -> int:
    from checks.report.diff import compare, load_report, render

    diff = compare(load_report(args.old), load_report(args.new))
    write_output(args, render(diff, args.format))
    return 1 if diff["new_failures"] else 0
