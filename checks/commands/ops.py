"""`genai-lz tf ...`: the Terraform operations behind `make init/plan/apply/destroy/bootstrap`.

Targets: `aws` (the usual AWS credential chain), `local` (the emulator, see
checks/emulator.py) and `offline` (fake credentials, no network: plans only, for checks).
`auto` = aws when AWS credentials are configured, else local when the emulator runs,
else offline.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from checks.ops.terraform import ROOTS, SINGLE_ENV_ROOTS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tf", help="Terraform operations on the landing zone roots (init, plan, apply, destroy, bootstrap)",
        description="Terraform operations on terraform/<root> for one env and target.",
    )
    ops = parser.add_subparsers(dest="tf_command", metavar="OPERATION", required=True)

    def common(p: argparse.ArgumentParser, root_required: bool = True) -> None:
        p.add_argument("--root", default="workload", choices=ROOTS,
                       help="root configuration under terraform/ (default: workload)")
        p.add_argument("--env", default=None,
                       help="environment: the workload's envs/<env>.tfvars (default dev); organization: management; log-archive, audit: their account")
        p.add_argument("--target", default="auto", choices=("auto", "local", "aws", "offline"),
                       help="where to run (default auto: aws with credentials, local when the emulator runs, else offline)")
        p.set_defaults(func=run)

    for name, help_text in (
        ("init", "terraform init with the target's backend (or the bootstrap's local state)"),
        ("plan", "saved plan build/<root>-<env>.tfplan and its JSON build/<root>-<env>.plan.json"),
        ("apply", "apply exactly the saved plan from `plan` (refuses when it is missing)"),
        ("destroy", "destroy the root/env on the target"),
        ("output", "the root's outputs as JSON"),
    ):
        p = ops.add_parser(name, help=help_text)
        common(p)
        if name == "plan":
            p.add_argument("--local-emulator", action="store_true",
                           help="leave out the resources the emulator cannot create (for an apply on TARGET=local)")
        if name == "destroy":
            p.add_argument("--yes", action="store_true", help="do not ask for confirmation (TARGET=aws asks otherwise)")
    p = ops.add_parser("setup", help="write build/terraform.rc (provider mirror) and check terraform >= 1.9")
    p.set_defaults(func=run, root="workload", env=None, target="offline")
    p = ops.add_parser("bootstrap", help="create the state bucket (local state under build/) and write terraform/backends/<target>/*.hcl")
    common(p)


def resolve_target(requested: str) -> str:
    if requested != "auto":
        return requested
    if aws_credentials_configured():
        return "aws"
    from checks.ops import emulator

    return "local" if emulator.status() else "offline"


def aws_credentials_configured() -> bool:
    """True when the usual AWS credential chain finds credentials (without a long IMDS wait)."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return False  # an emulator environment is not a real account
    import boto3
    from botocore.exceptions import BotoCoreError

    from checks.environ import overridden

    # without a long wait on the instance metadata service when there is none
    with overridden({"AWS_METADATA_SERVICE_TIMEOUT": "1", "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "1"}):
        try:
            return boto3.session.Session().get_credentials() is not None
        except BotoCoreError:
            return False


def default_env(root: str, env: str | None, target: str) -> str:
    if env:
        return env
    if root in SINGLE_ENV_ROOTS:
        return SINGLE_ENV_ROOTS[root]
    if root == "bootstrap":
        return "aws" if target == "offline" else target
    return "dev"


def target_env(target: str) -> dict[str, str | None]:
    """The AWS SDK environment of a target (aws: the caller's own, untouched)."""
    from checks.ops import emulator
    from checks.errors import ToolError

    if target == "offline":
        return emulator.offline_env()
    if target == "local":
        running = emulator.status()
        if running is None:
            raise ToolError("the local emulator is not running: start it with `make emulator-up` (or run `make demo`)")
        return emulator.emulator_env(running)
    return {}


def runner_for(root: str, env: str | None, target: str):
    from checks.ops.terraform import TerraformRunner, Workspace

    ws = Workspace(root=root, env=default_env(root, env, target), target=target)
    return TerraformRunner(ws, target_env(target))


def say(message: str) -> None:
    print(f"genai-lz: {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from checks.errors import LzError
    from checks.ops.terraform import ensure_terraform, resource_count, write_cli_config

    rc = write_cli_config()
    version = ensure_terraform()
    if args.tf_command == "setup":
        say(f"terraform {'.'.join(map(str, version))} ok; CLI config {_rel(rc)}")
        return 0
    target = resolve_target(args.target)
    if args.target == "auto":
        say(f"target {target} (set TARGET=aws|local|offline to choose)")
    op = args.tf_command

    if op == "bootstrap":
        return bootstrap(target)

    tf = runner_for(args.root, args.env, target)
    ws = tf.ws
    if op == "init":
        tf.init()
        say(f"initialised {ws.label} for target {target}")
        return 0
    if op == "plan":
        extra = {"local_emulator": "true"} if args.local_emulator else {}
        if args.local_emulator and target != "local":
            raise LzError("--local-emulator only makes sense with TARGET=local")
        tf.init()
        plan_file, json_file = ws.plan_file(), ws.plan_json()
        tf.plan(plan_file, extra)
        data = tf.write_plan_json(plan_file, json_file)
        say(f"plan {ws.label} ({target}): {resource_count(data)} resources -> {_rel(plan_file)}, {_rel(json_file)}")
        return 0
    if op == "apply":
        if target == "offline":
            raise LzError("an offline plan is for checks only and cannot be applied: use TARGET=local (emulator) or TARGET=aws")
        plan_file = ws.plan_file()
        if not plan_file.is_file():
            raise LzError(f"no saved plan {_rel(plan_file)}: run `make plan ENV={ws.env} TARGET={target}` and review it first")
        tf.init()
        tf.apply(plan_file)
        plan_file.unlink(missing_ok=True)  # a saved plan applies once; Terraform refuses it afterwards anyway
        say(f"applied {_rel(plan_file)} to {ws.label} ({target})")
        return 0
    if op == "destroy":
        if target == "offline":
            raise LzError("nothing to destroy offline: use TARGET=local or TARGET=aws")
        if target == "aws" and not args.yes:
            if not sys.stdin.isatty():
                raise LzError("refusing to destroy real AWS resources without confirmation: pass FORCE=1 (--yes)")
            answer = input(f"Destroy {ws.label} in AWS? Type the env name ({ws.env}) to confirm: ")
            if answer.strip() != ws.env:
                say("not confirmed; nothing destroyed")
                return 1
        tf.init()
        extra = {"local_emulator": "true"} if target == "local" and args.root != "bootstrap" else {}
        tf.destroy(extra)
        say(f"destroyed {ws.label} ({target})")
        return 0
    if op == "output":
        import json

        tf.init()
        print(json.dumps(tf.output_json(), indent=2, sort_keys=True))
        return 0
    raise LzError(f"unknown operation {op}")


def bootstrap(target: str) -> int:
    """Create/update the state bucket with local state under build/ and write the backends."""
    from checks.errors import LzError

    if target == "offline":
        raise LzError("the bootstrap creates the state bucket: use TARGET=local (emulator) or TARGET=aws")
    tf = runner_for("bootstrap", target, target)
    outputs = apply_bootstrap(tf)
    say(f"state bucket {outputs['bucket_name']} ready; backends written to terraform/backends/{target}/")
    return 0


def apply_bootstrap(tf) -> dict:
    """init + plan + apply of the bootstrap root, then write terraform/backends/<target>/*.hcl."""
    from checks.ops.terraform import repo_root

    ws = tf.ws
    tf.init()
    plan_file = ws.plan_file()
    tf.plan(plan_file)
    tf.apply(plan_file)
    plan_file.unlink(missing_ok=True)
    outputs = tf.output_json()
    backend_dir = repo_root() / "terraform" / "backends" / ws.target
    backend_dir.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(outputs["backend_configs"].items()):
        path = backend_dir / f"{name}.hcl"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            say(f"wrote {_rel(path)}")
    return outputs


def _rel(path: Path) -> str:
    from checks.ops.terraform import repo_root

    try:
        return str(path.relative_to(repo_root()))
    except ValueError:
        return str(path)
