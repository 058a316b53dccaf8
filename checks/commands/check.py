"""`genai-lz check PLAN.json`: judge a plan against the rule pack and write the reports."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from checks.commands import add_account_id_argument, add_command, add_plan_argument
from checks.model import SEVERITIES


def register(sub: Any) -> None:
    p = add_command(sub, "check", run, "check a Terraform plan JSON against the GenAI Lens rules",
                    "Exit 0 = gate passed, 1 = gate failed, 2 = invalid input or configuration.")
    add_plan_argument(p)
    p.add_argument("--policies", metavar="DIR", action="append", default=[],
                   help="an extra policy directory (<pillar>/<RULE_ID>_<slug>/rule.py); repeatable")
    p.add_argument("--no-builtin", action="store_true", help="do not load the built-in rule pack")
    p.add_argument("--params", metavar="FILE", help="policy parameters (default: policies/params.yaml)")
    p.add_argument("--waivers", metavar="FILE", help="waivers (default: policies/waivers.yaml)")
    p.add_argument("--format", dest="formats", action="append", metavar="FORMAT",
                   help="json, markdown, html, sarif or junit; repeatable (default: json)")
    p.add_argument("--output", metavar="PATH",
                   help="a file for one format, a directory for several; - (or none) for stdout")
    p.add_argument("--fail-on", choices=SEVERITIES, help="gate severity (default: params gate.fail_on, high)")
    p.add_argument("--unknown", choices=("fail", "pass"),
                   help="whether unknown findings at or above the gate fail it (default: params gate.unknown_fails)")
    p.add_argument("--scope", choices=("account", "stack"),
                   help="what the plan is: a whole workload account, or one module / stack of an account, whose "
                        "account-level rules (trail, GuardDuty, budget, ...) are then not_applicable "
                        "(default: params scope, account)")
    p.add_argument("--checkov", action="store_true", help="also run checkov's AWS checks in-process")
    p.add_argument("--tf-root", metavar="DIR",
                   help="the Terraform root module directory the plan was made from, to point SARIF results at "
                        ".tf lines (default: guessed from the plan's configuration; see checks/report/locate.py)")
    p.add_argument("--workspace", metavar="NAME",
                   help="name of the root/env/account the plan is of, recorded in the report's evidence "
                        "(what `genai-lz aggregate` shows; default there: the plan file's name)")
    add_account_id_argument(p, "the AWS account the plan deploys to, recorded with --workspace")
    p.add_argument("--lock-file", metavar="FILE",
                   help="the .terraform.lock.hcl of the root the plan was made from: the reports then name the "
                        "provider versions that ran, not the configuration's constraint (make check passes it)")
    p.add_argument("--timestamp", action="store_true", help="record the generation time in the reports")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date waivers expire against (default: today)")
    p.add_argument("--profile", action="store_true", help="print where the time goes to stderr")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line on stderr")
    p.add_argument("--usage", metavar="FILE", help="monthly usage for the cost estimate (see policies/usage.example.yaml)")
    p.add_argument("--prices", metavar="FILE", help="unit prices for the cost estimate (default: policies/prices.yaml)")
    p.add_argument("--max-input-size", metavar="SIZE", type=_size, default=None,
                   help="refuse a plan file larger than SIZE (bytes, or with KiB/MiB/GiB/KB/MB/GB; default 2GiB)")
    p.add_argument("--allow-wildcard-waivers", action="store_true",
                   help="accept a waiver whose rule and resource are both '*' (refused by default: it waives everything)")


_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000 ** 2, "mb": 1000 ** 2, "mib": 1024 ** 2,
          "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3, "t": 1000 ** 4, "tb": 1000 ** 4, "tib": 1024 ** 4}


def _size(text: str) -> int:
    """``2GiB`` -> 2147483648; argparse reports a ValueError as a usage error (exit 2)."""
    import re

    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (e.g. 500MiB, 2GiB, 1000000)")
    size = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if size < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: the limit must be at least one byte")
    return size


def _today(text: str | None) -> Any:
    import datetime as dt

    from checks.errors import LzError

    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LzError(f"--today {text!r} is not a date (YYYY-MM-DD)") from None


def _workspace(args: argparse.Namespace) -> dict[str, str] | None:
    import re

    from checks.errors import LzError

    if args.account_id is not None and not re.fullmatch(r"\d{12}", args.account_id):
        raise LzError(f"--account-id {args.account_id!r} is not a 12-digit AWS account id")
    recorded = {k: v for k, v in (("name", args.workspace), ("account_id", args.account_id)) if v}
    return recorded or None


def _locked(lock_file: str | None) -> dict[str, str] | None:
    if lock_file is None:
        return None
    from pathlib import Path

    from checks.errors import LzError
    from checks.ops.terraform import locked_providers

    if not Path(lock_file).is_file():
        raise LzError(f"--lock-file {lock_file}: no such file (terraform init writes .terraform.lock.hcl in the root)")
    found = locked_providers(Path(lock_file))
    if not found:
        raise LzError(f"--lock-file {lock_file}: no provider version in it (is it a .terraform.lock.hcl?)")
    return found


def run(args: argparse.Namespace) -> int:
    from checks.api import DEFAULT_FORMATS, CheckOptions, run_check

    run_ = run_check(args.plan, CheckOptions(
        policies=args.policies, builtin_rules=not args.no_builtin, params=args.params, waivers=args.waivers,
        prices=args.prices, usage=args.usage, checkov=args.checkov, fail_on=args.fail_on,
        unknown_fails=None if args.unknown is None else args.unknown == "fail", today=_today(args.today),
        formats=args.formats or DEFAULT_FORMATS, output=args.output, timestamp=args.timestamp,
        tf_root=args.tf_root, profile=args.profile, scope=args.scope, workspace=_workspace(args),
        providers=_locked(args.lock_file),
        allow_wildcard_waivers=args.allow_wildcard_waivers,
        **({} if args.max_input_size is None else {"max_input_size": args.max_input_size}),
    ))
    if not args.quiet:
        print_summary(run_)
    if args.profile:
        _print_profile(run_.timings, run_.result.rule_timings)
    return run_.exit_code


def print_summary(run_: Any) -> None:
    """The run's summary on stderr (blocking findings indented under the verdict line)."""
    from checks.report.helpers import terminal_text

    for line in run_.summary():
        line = terminal_text(line)  # addresses, keys and messages come from the plan
        print(line if line.startswith(" ") else f"genai-lz: {line}", file=sys.stderr)
    if len(run_.result.plan) == 0:
        print("genai-lz: nothing was checked: the plan has 0 resources (a plan of an empty configuration, or "
              "the wrong file?)", file=sys.stderr)
    if run_.reports:
        print(f"genai-lz: reports: {', '.join(str(p) for p in run_.reports)}", file=sys.stderr)


def _print_profile(phases: dict[str, float], rule_timings: dict[str, float]) -> None:
    print("genai-lz profile (seconds):", file=sys.stderr)
    width = max([22, *map(len, phases)])
    for name, seconds in phases.items():
        print(f"  {name:{width}} {seconds:8.4f}", file=sys.stderr)
    slowest = sorted(rule_timings.items(), key=lambda kv: kv[1], reverse=True)[:5]
    if slowest:
        print("  slowest rules:", file=sys.stderr)
        for rule_id, seconds in slowest:
            print(f"    {rule_id:20} {seconds:8.4f}", file=sys.stderr)
