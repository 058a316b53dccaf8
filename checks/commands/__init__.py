"""Sub-commands of `genai-lz`.

Each module here defines ``register(subparsers) -> None`` (adds its parser and sets
``func``) and keeps heavy imports inside its run function, so that ``genai-lz --help``
stays fast. ``checks.cli`` discovers the modules of this package, so adding a command is
adding one file.
"""
from __future__ import annotations

import argparse
from typing import Any, Callable

Run = Callable[[argparse.Namespace], int]


def add_command(sub: Any, name: str, run: Run, help: str, description: str | None = None) -> argparse.ArgumentParser:
    """A sub-command ``name`` whose arguments run ``run``."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description)
    parser.set_defaults(func=run)
    return parser


def add_plan_argument(parser: argparse.ArgumentParser) -> None:
    """The positional PLAN.json of the commands that read a plan."""
    parser.add_argument("plan", metavar="PLAN.json", help="output of `terraform show -json PLANFILE`")
