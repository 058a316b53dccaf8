"""`genai-lz unlock --lock-id ID`: `terraform force-unlock` of a root/env's state (behind
`make unlock`). Only for a lock whose operation died: asks for confirmation on a terminal
unless --yes (FORCE=1)."""
from __future__ import annotations

import argparse

from checks.commands.tf import add_state_command


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_state_command(
        subparsers, "unlock", "release a state lock left by a dead operation (terraform force-unlock)",
        "Releases the state lock LOCK_ID of a root/env. Only for a lock whose operation died.")
    parser.add_argument("--lock-id", default="", help="the lock ID (the `ID:` line of the lock error)")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (FORCE=1)")
