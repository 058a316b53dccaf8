"""`genai-lz drift`: refresh-only plan of a root/env, drift reports and a check of the
refreshed values (behind `make drift`). Exit 0 = no drift, 1 = drift, 2 = error."""
from __future__ import annotations

import argparse

from checks.commands.tf import add_workspace_arguments, request_from


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "drift", help="detect drift: refresh-only plan, drift reports (JSON, Markdown), check of the refreshed values",
        description="Exit 0 = no drift, 1 = drift (the real infrastructure differs from the state), 2 = error.",
    )
    add_workspace_arguments(parser, roots=("organization", "workload"), targets=("auto", "local", "aws"))
    parser.add_argument("--output", metavar="DIR", help="report directory (default: reports/<root>-<env>/)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.ops import operations

    return operations.run("drift", request_from(args))
