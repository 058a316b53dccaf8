"""`genai-lz unlock --lock-id ID`: `terraform force-unlock` of a root/env's state (behind
`make unlock`). Only for a lock whose operation died: asks for confirmation on a terminal
unless --yes (FORCE=1)."""
from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "unlock", help="release a state lock left by a dead operation (terraform force-unlock)",
        description="Releases the state lock LOCK_ID of a root/env. Only for a lock whose operation died.",
    )
    parser.add_argument("--root", default="workload", choices=("organization", "workload"),
                        help="root configuration under terraform/ (default: workload)")
    parser.add_argument("--env", default=None, help="environment (default dev; organization: management)")
    parser.add_argument("--target", default="auto", choices=("auto", "local", "aws"),
                        help="where the state is (default auto: aws with credentials, else local)")
    parser.add_argument("--lock-id", default="", help="the lock ID (the `ID:` line of the lock error)")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (FORCE=1)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.commands.ops import resolve_target, runner_for, say
    from checks.errors import LzError
    from checks.ops.terraform import ensure_terraform, write_cli_config

    lock_id = (args.lock_id or "").strip()
    if not lock_id:
        raise LzError("no lock ID: pass LOCK_ID=<id> (the `ID:` of the lock holder, printed by the failed "
                      "plan/apply: `the state is locked by ... (lock ID <id>, ...)`)")
    write_cli_config()
    ensure_terraform()
    target = resolve_target(args.target)
    if target == "offline":
        raise LzError("offline plans keep no shared state and take no lock: use TARGET=local or TARGET=aws")
    tf = runner_for(args.root, args.env, target)
    ws = tf.ws
    if not args.yes:
        if not sys.stdin.isatty():
            raise LzError("refusing to force-unlock without confirmation: run it on a terminal or pass FORCE=1 (--yes)")
        print(f"Release lock {lock_id} on {ws.label} ({target})? Only do this when the operation that holds it "
              "is dead: a running apply would then race another one.", file=sys.stderr)
        answer = input(f"Type the env name ({ws.env}) to confirm: ")
        if answer.strip() != ws.env:
            say("not confirmed; the lock is kept")
            return 1
    tf.init()
    tf.force_unlock(lock_id)
    say(f"released lock {lock_id} on {ws.label} ({target})")
    return 0
