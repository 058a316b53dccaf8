"""`genai-lz`: the command line. The only place that turns errors into exit codes.

Exit codes: 0 = gate passed / success, 1 = gate failed (or drift found, ...),
2 = the input or the configuration is invalid (one line on stderr), 3 = internal error
(a bug in genai-lz; GENAI_LZ_DEBUG=1 shows the traceback).
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sys
from typing import Callable, Sequence

from checks import commands
from checks.errors import LzError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genai-lz",
        description="GenAI landing zone: Well-Architected Generative AI Lens checks on Terraform plans.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A plan is a tree of many small containers that all live until exit: the cyclic
    # garbage collector would walk them again and again while they are built, for nothing.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def entry_point() -> None:
    """Console script: run, flush, and leave without tearing down a large heap object by object."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    os._exit(code)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args))
    except LzError as exc:
        print(f"genai-lz: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("genai-lz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("GENAI_LZ_DEBUG"):
            raise
        print(f"genai-lz: internal error: {type(exc).__name__}: {exc} "
              "(a bug: rerun with GENAI_LZ_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    entry_point()
