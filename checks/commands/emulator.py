"""`genai-lz emulator up|down|status|env`: the local AWS emulator behind `make emulator-up/-down`."""
from __future__ import annotations

import argparse
import shlex
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "emulator", help="start, stop or inspect the local AWS emulator (moto server on 127.0.0.1)",
        description="The local AWS emulator used by TARGET=local and `make demo`.",
    )
    parser.add_argument("action", choices=("up", "down", "status", "env"),
                        help="up: start (or reuse) and seed; down: stop by pid; status: exit 0 when running; env: print the export lines")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.ops import emulator

    if args.action == "up":
        running, started = emulator.up()
        roles = emulator.seed(running)
        verb = "started" if started else "reusing"
        print(f"emulator {verb}: {running.endpoint} (pid {running.pid}); seeded {len(roles)} member account role(s)", file=sys.stderr)
        print("next: `make bootstrap` (the state bucket), then `make plan TARGET=local` (README: the local emulator "
              "path)", file=sys.stderr)
        return 0
    if args.action == "down":
        stopped = emulator.down()
        print(f"emulator stopped (pid {stopped.pid})" if stopped else "emulator was not running", file=sys.stderr)
        print("its state bucket is gone with it: the local bootstrap state was removed (`make bootstrap` after the "
              "next `make emulator-up`)", file=sys.stderr)
        return 0
    current = emulator.status()
    if args.action == "status":
        print(f"running: {current.endpoint} (pid {current.pid})" if current else "not running")
        return 0 if current else 1
    if current is None:
        print("emulator: not running (make emulator-up)", file=sys.stderr)
        return 1
    for key, value in emulator.emulator_env(current).items():
        print(f"unset {key}" if value is None else f"export {key}={shlex.quote(value)}")
    return 0
