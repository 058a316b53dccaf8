"""`genai-lz account new`: account vending (checks/ops/accounts.py)."""
from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "account",
        help="account vending: add a workload account (organization account file + workload env)",
        description="Exit 0 = files written, 2 = invalid request (nothing written).",
    )
    ops = parser.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    p = ops.add_parser(
        "new",
        help="write terraform/organization/accounts/<name>.json, terraform/workload/envs/<name>.tfvars and its backends",
    )
    p.add_argument("--name", required=True, help="account key and workload env name (3-32 of a-z, 0-9, -)")
    p.add_argument("--email", required=True, help="e-mail of the account's root user (unique in the organization)")
    p.add_argument("--ou", required=True, help="OU key: security, infrastructure, workloads, dev, prod, sandbox")
    p.add_argument("--account-id", default=None, help="the account id, when the account exists already (else a placeholder)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from checks.ops.accounts import AccountRequest, new_account
    from checks.ops.workspace import repo_root

    vended = new_account(AccountRequest(args.name, args.email, args.ou, args.account_id or None))
    root = repo_root()
    for path in (vended.account_file, vended.env_file, *vended.backend_files):
        print(f"genai-lz: wrote {path.relative_to(root)}", file=sys.stderr)
    print(f"genai-lz: next: make plan ROOT=organization, then make plan ENV={args.name} "
          f"({vended.environment} sizing{'; set account_id once the account exists' if vended.account_id == '000000000000' else ''})",
          file=sys.stderr)
    return 0
