"""`genai-lz demo`: the whole job against the local emulator (what `make demo` runs)."""
from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="plan, check, apply and destroy the landing zone against the local AWS emulator",
        description="Emulator up -> bootstrap -> plan -> check -> apply -> destroy -> emulator down, with a summary table.",
    )
    parser.add_argument("--env", action="append", dest="envs", metavar="ENV",
                        help="workload env to include (repeatable; default: dev and prod)")
    parser.add_argument("--checkov", action="store_true", help="run checkov as well in `genai-lz check`")
    parser.add_argument("--keep", action="store_true", help="leave the applied resources and the emulator running")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.ops.demo import run_demo

    return run_demo(args.envs or ["dev", "prod"], checkov=args.checkov, keep=args.keep)
