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
from typing import Any, Callable, Sequence, TextIO

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


class TerminalStream:
    """stderr as the terminal should get it: every control character a plan (or any other
    input) may carry is shown escaped, never obeyed; newlines and tabs pass."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from checks.report.helpers import escape_controls

        self._stream.write(escape_controls(text, keep_newlines=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    # A plan is a tree of many small containers that all live until exit: the cyclic
    # garbage collector would walk them again and again while they are built, for nothing.
    gc.disable()
    stderr = sys.stderr
    if not isinstance(stderr, TerminalStream):
        sys.stderr = TerminalStream(stderr)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stderr = stderr
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
        print(f"genai-lz: error: {_one_line(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("genai-lz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except RecursionError:  # only input nested deeper than Python's stack reaches here
        print("genai-lz: error: the input is nested too deeply to be judged (values, sensitive or unknown trees "
              f"deeper than about {sys.getrecursionlimit() // 2} levels); no Terraform plan nests that deep",
              file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line, not a traceback, unless asked for
        if os.environ.get("GENAI_LZ_DEBUG"):
            raise
        print(f"genai-lz: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(a bug: rerun with GENAI_LZ_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        return 3


def _one_line(exc: BaseException) -> str:
    from checks.report.helpers import terminal_text

    text = terminal_text(exc)  # one line, controls shown escaped
    return text if len(text) <= 2000 else text[:1999] + "…"


if __name__ == "__main__":  # pragma: no cover
    entry_point()
