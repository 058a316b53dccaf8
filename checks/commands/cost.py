"""`genai-lz cost PLAN.json` (monthly estimate) and `genai-lz prices refresh` (price list from AWS)."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from checks.commands import add_command, add_output_arguments, add_plan_argument, output_format, write_output

FORMATS = ("text", "json", "markdown")


def register(sub: Any) -> None:
    p = add_command(sub, "cost", run, "monthly cost of a plan (planned and maximum capacity), checked against its budgets",
                    "Exit 0 = estimate written, 2 = invalid plan, prices, usage or params file.")
    add_plan_argument(p)
    p.add_argument("--usage", metavar="FILE", help="monthly usage the plan cannot know (see policies/usage.example.yaml)")
    p.add_argument("--prices", metavar="FILE", help="unit prices (default: policies/prices.yaml)")
    p.add_argument("--params", metavar="FILE", help="policy parameters (default: policies/params.yaml)")
    p.add_argument("--region", metavar="REGION", help="price region (default: the plan's aws provider region)")
    add_output_arguments(p, FORMATS, "text")

    prices = sub.add_parser("prices", help="maintain the price list (policies/prices.yaml)")
    psub = prices.add_subparsers(dest="prices_command", metavar="ACTION")
    refresh = psub.add_parser(
        "refresh",
        help="rebuild the price list from the AWS Price List API (needs AWS credentials)",
        description="Fetches every key of the current price list again with pricing:GetProducts (us-east-1 endpoint).",
    )
    refresh.add_argument("--region", required=True, metavar="REGION", help="the region to price, e.g. us-east-1")
    refresh.add_argument("--prices", metavar="FILE", help="the price list whose keys to refresh (default: policies/prices.yaml)")
    refresh.add_argument("--output", metavar="FILE", help="where to write (default: stdout)")
    refresh.set_defaults(func=run_refresh)
    prices.set_defaults(func=lambda args: (prices.print_help(sys.stderr), 2)[1])


def run(args: argparse.Namespace) -> int:
    import orjson

    from checks.api import cost_report
    from checks.report import cost_section

    # report data with every sensitive value of the plan masked (no secret on the terminal)
    data = cost_report(args.plan, params=args.params, prices=args.prices, usage=args.usage, region=args.region)
    fmt = output_format(args)
    if fmt == "json":
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"
    elif fmt == "markdown":
        text = cost_section.markdown(data) + "\n"
    else:
        text = cost_section.table(data)
    write_output(args, text)
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    import datetime as dt
    from pathlib import Path

    from checks import cost
    from checks.files import write_atomic

    text, messages = cost.refreshed_price_file(args.prices, args.region, dt.date.today().isoformat(),
                                               args.output or "<refreshed prices>")
    for message in messages:
        print(f"genai-lz: prices: {message}", file=sys.stderr)
    if not args.output:
        sys.stdout.write(text)
        return 0
    write_atomic(Path(args.output), text)
    return 0
