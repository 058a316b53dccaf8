"""`genai-lz tf OPERATION`: the Terraform operations behind `make init/plan/apply/destroy/
output/bootstrap/check` (argument parsing only; the operations are checks.ops.operations).

Targets: `aws` (the usual AWS credential chain), `local` (the emulator) and `offline`
(fake credentials, no network: plans only, for checks). `auto` = aws when AWS credentials
are configured, else local when the emulator runs, else offline.
"""
from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import Any

from checks.commands import add_command
from checks.ops.workspace import ROOTS

TF_OPERATIONS = {
    "init": "terraform init with the target's backend (or the bootstrap's local state)",
    "plan": "saved plan build/<root>-<env>.tfplan, its JSON .plan.json and its text .plan.txt; prints the summary",
    "apply": "apply exactly the saved plan from `plan` (refuses when it is missing)",
    "destroy": "destroy the root/env on the target",
    "output": "the root's outputs as JSON",
    "setup": "write build/terraform.rc (provider mirror) and check terraform >= 1.9",
    "bootstrap": "create the state bucket (local state under build/) and write terraform/backends/<target>/*.hcl",
    "check": "genai-lz check of the saved plan JSON -> reports/<root>-<env>/ (all five formats)",
    "path": "print one of the workspace's paths (plan-file, plan-json, plan-text, reports, ...)",
}


def add_workspace_arguments(p: argparse.ArgumentParser, roots: tuple[str, ...] = ROOTS,
                            targets: tuple[str, ...] = ("auto", "local", "aws", "offline")) -> None:
    """--root, --env, --target: which workspace an operation runs on."""
    p.add_argument("--root", default="workload", choices=roots,
                   help="root configuration under terraform/ (default: workload)")
    p.add_argument("--env", default=None,
                   help="environment: the workload's envs/<env>.tfvars (default dev); the organization has one, "
                        "management; log-archive and audit one each")
    p.add_argument("--target", default="auto", choices=targets,
                   help="where to run (default auto: aws with credentials, local when the emulator runs, else offline)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tf", help="Terraform operations on the landing zone roots (init, plan, apply, destroy, bootstrap, check)",
        description="Terraform operations on terraform/<root> for one env and target.",
    )
    ops = parser.add_subparsers(dest="tf_command", metavar="OPERATION", required=True)
    for name, help_text in TF_OPERATIONS.items():
        p = ops.add_parser(name, help=help_text)
        if name == "bootstrap":  # one root, its env is the target: --root and --env do not apply
            p.add_argument("--target", default="local", choices=("local", "aws"),
                           help="where to create the state bucket (default: local, the emulator)")
            for option, why in (("--root", "the bootstrap is its own root"), ("--env", "its env is the target"),
                                ("--checkov", "it makes no plan to check")):
                p.add_argument(option, nargs="?", action=_NotApplicable, why=why, help=argparse.SUPPRESS)
        elif name != "setup":
            add_workspace_arguments(p)
        if name == "plan":
            p.add_argument("--local-emulator", action="store_true",
                           help="leave out the resources the emulator cannot create (always on with TARGET=local)")
        if name == "destroy":
            p.add_argument("--yes", action="store_true", help="do not ask for confirmation (TARGET=aws asks otherwise)")
        if name == "check":
            p.add_argument("--checkov", action="store_true", help="run checkov's AWS checks as well")
            p.add_argument("--scope", choices=("account", "stack"),
                           help="account: the plan is a whole account (default: params scope); stack: one stack of it")
        if name == "path":
            p.add_argument("path", help="plan-file, plan-json, plan-text, reports, work-dir, var-file or data-dir")
        p.set_defaults(func=run)


class _NotApplicable(argparse.Action):
    """An option another operation takes that does not apply here: a usage error naming why."""

    def __init__(self, *args: Any, why: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.why = why

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        parser.error(f"{option_string} does not apply to `{parser.prog}` ({self.why}); "
                     f"it takes --target local|aws only")


def request_from(args: argparse.Namespace) -> Any:
    """The operation request the parsed arguments describe."""
    from checks.ops.operations import Request

    return Request(
        root=getattr(args, "root", "workload"), env=getattr(args, "env", None), target=getattr(args, "target", "offline"),
        local_emulator=getattr(args, "local_emulator", False), yes=getattr(args, "yes", False),
        checkov=getattr(args, "checkov", False), scope=getattr(args, "scope", None), lock_id=getattr(args, "lock_id", ""),
        output=getattr(args, "output", None), path=getattr(args, "path", ""),
        ask=input if sys.stdin.isatty() else None,
    )


def run(args: argparse.Namespace) -> int:
    return run_operation(args.tf_command, args)


def run_operation(name: str, args: argparse.Namespace) -> int:
    from checks.ops import operations

    return operations.run(name, request_from(args))


STATE_ROOTS = ("organization", "workload")   # the roots with shared state (drift, unlock)
STATE_TARGETS = ("auto", "local", "aws")


def add_state_command(sub: Any, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A top-level command for the operation ``name`` on a root's shared state."""
    parser = add_command(sub, name, partial(run_operation, name), help, description)
    add_workspace_arguments(parser, roots=STATE_ROOTS, targets=STATE_TARGETS)
    return parser
