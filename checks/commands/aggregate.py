"""`genai-lz aggregate REPORT.json... [-o DIR] [--previous OLD.json]`: the organization's
posture from many JSON reports (checks.report.aggregate).

Exit 0 when the posture is written (failed gates are in it), 1 when --previous is given
and there is a new failure since then, 2 when an input is not a genai-lz JSON report, the previous
aggregate is not one, or the reports come from different rule-pack versions (without
--allow-mixed-versions).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from checks.commands import add_command


def register(sub: Any) -> None:
    p = add_command(sub, "aggregate", run,
                    "join many JSON reports into the organization's posture (JSON, Markdown, HTML)",
                    "Exit 0 = written, 1 = new failures since --previous, 2 = invalid input.")
    p.add_argument("reports", nargs="+", metavar="REPORT.json", help="JSON reports of `genai-lz check`, one per root/env/account")
    p.add_argument("-o", "--output", metavar="DIR", default="reports/organization",
                   help="directory for posture.json, posture.md and posture.html (default: reports/organization)")
    p.add_argument("--previous", metavar="OLD.json", help="an earlier posture.json: adds the trend since then")
    p.add_argument("--allow-mixed-versions", action="store_true",
                   help="aggregate reports of different rule-pack versions (their counts are then not comparable)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date waiver expiry is judged against (default: today)")
    p.add_argument("--timestamp", action="store_true", help="record the generation time")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")


def run(args: argparse.Namespace) -> int:
    from checks.commands.check import _today
    from checks.report import aggregate

    previous = aggregate.load_previous(args.previous) if args.previous else None
    doc = aggregate.aggregate(args.reports, allow_mixed_versions=args.allow_mixed_versions, today=_today(args.today),
                              out_dir=args.output, previous=previous, timestamp=args.timestamp)
    written = aggregate.write(doc, args.output)
    t = doc["totals"]
    if not args.quiet:
        line = (f"genai-lz: {t['workspaces']} workspaces: {t['gates_passed']} gates passed, {t['gates_failed']} failed; "
                f"{t['by_status']['fail']} fail, {t['by_status']['unknown']} unknown, {t['by_status']['waived']} waived")
        if doc["trend"]:
            tt = doc["trend"]["totals"]
            line += f"; since the previous audit: {tt['new_failures']} new failures, {tt['fixed']} fixed, {tt['newly_waived']} newly waived"
        print(line, file=sys.stderr)
        print(f"genai-lz: posture: {', '.join(str(p) for p in written)}", file=sys.stderr)
    new_failures = doc["trend"]["totals"]["new_failures"] if doc["trend"] else 0
    return 1 if new_failures else 0
