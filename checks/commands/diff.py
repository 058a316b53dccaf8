"""`genai-lz diff OLD.json NEW.json`: what changed between two JSON reports (checks.report.diff).

Exit 0 when there is no new failure, 1 when there is, 2 when a file is not a valid
genai-lz JSON report (checked against policies/schemas/report.schema.json).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from checks.commands import add_command


def register(sub: Any) -> None:
    p = add_command(sub, "diff", run, "compare two JSON reports: new failures, fixed, newly waived, still failing",
                    "Exit 0 = no new failure, 1 = new failures, 2 = invalid input.")
    p.add_argument("old", metavar="OLD.json", help="the JSON report of the base (e.g. the main branch)")
    p.add_argument("new", metavar="NEW.json", help="the JSON report of the change (e.g. the pull request)")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)")
    p.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def run(args: argparse.Namespace) -> int:
    from checks.report.diff import compare, load_report, render

    diff = compare(load_report(args.old), load_report(args.new))
    data = render(diff, args.format)
    if args.output:
        from pathlib import Path

        from checks.errors import LzError
        from checks.files import write_atomic

        try:
            write_atomic(Path(args.output), data)
        except OSError as exc:
            raise LzError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(data)
        else:  # a text-only stdout (captured in tests, some IDEs)
            sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    return 1 if diff["new_failures"] else 0
