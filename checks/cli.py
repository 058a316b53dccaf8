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
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from checks import commands
from checks.errors import LzError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genai-lz",
        description="GenAI landing zone: Well-Architected Generative AI Lens checks on Terraform plans.",
        epilog=f"Organisation data: a {CONFIG_FILE} in the working directory may name params, waivers, prices, "
               "usage and extra policy directories (paths relative to it); a command-line flag wins.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="print the versions of genai-lz, its rule pack and checkov, and exit")
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


class _VersionAction(argparse.Action):
    """``--version``: computed when asked for, not each time the parser is built."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """One line: the package, the rule pack (policies/VERSION, and where it is) and checkov."""
    from importlib.metadata import PackageNotFoundError, version

    from checks.registry import policy_pack_version
    from checks.report.document import tool_version
    from checks.schema import POLICIES_DIR

    try:
        checkov = f"checkov {version('checkov')}"
    except PackageNotFoundError:
        checkov = "checkov not installed (pip install 'genai-landing-zone[checkov]')"
    return (f"genai-lz {tool_version()} (genai-landing-zone), rule pack {policy_pack_version()} "
            f"({POLICIES_DIR}), {checkov}")


# genai-lz.yaml: the organisation's policy data, as defaults for the flags of the same name
CONFIG_FILE = "genai-lz.yaml"
CONFIG_FILES = ("params", "waivers", "prices", "usage")  # one file each (--params FILE, ...)
CONFIG_DIRS = ("policies",)                              # repeatable (--policies DIR ...)


def apply_project_config(args: argparse.Namespace, directory: Path | str = ".") -> str | None:
    """Fill the data-file flags the command line left unset from ``genai-lz.yaml`` in
    ``directory`` (paths resolved against its folder); a flag given wins. Returns the file
    read, or None when there is none."""
    path = Path(directory) / CONFIG_FILE
    wanted = [key for key in CONFIG_FILES + CONFIG_DIRS if hasattr(args, key)]
    if not wanted or not path.is_file():
        return None
    from checks.schema import load_yaml

    document = load_yaml(path, "config.schema.json") or {}

    def resolve(value: str) -> str:
        return value if Path(value).is_absolute() else str(path.parent / value)

    for key in wanted:
        if key not in document or getattr(args, key):
            continue
        value = document[key]
        setattr(args, key, [resolve(v) for v in value] if key in CONFIG_DIRS else resolve(value))
    return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    # A plan is a tree of many small containers that all live until exit: the cyclic
    # garbage collector would walk them again and again while they are built, for nothing.
    gc.disable()
    stderr = sys.stderr
    if not isinstance(stderr, TerminalStream):
        sys.stderr = TerminalStream(stderr)
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
        apply_project_config(args)
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
