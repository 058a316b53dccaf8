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


def add_account_id_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """--account-id ID: the AWS account a report is of (check records it, publish checks it)."""
    parser.add_argument("--account-id", metavar="ID", help=help)


# --format / --output: the same meaning in every command that writes a document (check,
# cost, diff, coverage, rules): --format is the document's format, --output the file it is
# written to, atomically (default: stdout). `check` takes --format more than once, and then
# --output is a directory (one report.<ext> per format).
TEXT_ALIASES = {"table": "text"}  # `table` was the name of the text format in cost and rules


def add_output_arguments(parser: argparse.ArgumentParser, formats: tuple[str, ...], default: str) -> None:
    """``--format`` (one of ``formats``, default ``default``) and ``--output FILE``."""
    choices = formats + tuple(alias for alias, name in TEXT_ALIASES.items() if name in formats)
    parser.add_argument("--format", choices=choices, default=default, metavar="FORMAT",
                        help=f"{', '.join(formats)} (default: {default})")
    parser.add_argument("--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")


def output_format(args: argparse.Namespace) -> str:
    return TEXT_ALIASES.get(args.format, args.format)


def write_output(args: argparse.Namespace, data: str | bytes) -> None:
    """``data`` to --output (atomically; a special file is refused) or to stdout (no --output, or ``-``)."""
    import sys

    if getattr(args, "output", None) not in (None, "", "-"):
        from pathlib import Path

        from checks.errors import LzError
        from checks.files import refuse_special, write_atomic

        refuse_special(args.output)
        try:
            write_atomic(Path(args.output), data)
        except OSError as exc:
            raise LzError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return
    if isinstance(data, str):
        sys.stdout.write(data)
    else:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(data)
        else:  # a text-only stdout (captured in tests, some IDEs)
            sys.stdout.write(data.decode("utf-8"))
    sys.stdout.flush()
