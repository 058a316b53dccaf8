"""`genai-lz drift`: refresh-only plan of a root/env, drift reports and a check of the
refreshed values (behind `make drift`). Exit 0 = no drift, 1 = drift, 2 = error."""
from __future__ import annotations

import argparse

from checks.commands.tf import add_state_command


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_state_command(
        subparsers, "drift",
        "detect drift: refresh-only plan, drift reports (JSON, Markdown), check of the refreshed values",
        "Exit 0 = no drift, 1 = drift (the real infrastructure differs from the state), 2 = error.")
    parser.add_argument("--output", metavar="DIR", help="report directory (default: reports/<root>-<env>/)")
