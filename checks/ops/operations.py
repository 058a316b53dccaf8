"""The operations behind `make init/plan/apply/destroy/output/bootstrap/check/drift/unlock`.

Each operation is one entry of :data:`OPERATIONS`: what it needs (Terraform, a resolved
target), which targets it refuses and why, and the function that does it on a
:class:`Context` (the request, its Workspace and, when asked for, a TerraformRunner with the
target's AWS environment). :func:`run` is the only way in; the CLI only parses arguments
into a :class:`Request`. Messages go through ``request.say``; questions through
``request.ask`` (None when there is no terminal to ask on).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Callable

from checks.errors import LzError
from checks.files import write_atomic
from checks.ops.targets import resolve_target, target_env
from checks.ops.terraform import TerraformRunner, ensure_terraform, resource_count, write_cli_config
from checks.ops.workspace import TARGETS, Workspace, display


def say_on_stderr(message: str) -> None:
    print(f"genai-lz: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Request:
    """What the user asked for (the CLI's arguments, parsed)."""

    root: str = "workload"
    env: str | None = None
    target: str = "auto"
    local_emulator: bool = False      # plan: leave out what the emulator cannot create
    yes: bool = False                 # destroy/unlock: no confirmation
    checkov: bool = False             # check: run checkov as well
    scope: str | None = None          # check: account | stack (default: params scope)
    lock_id: str = ""                 # unlock
    output: str | None = None         # drift: report directory
    path: str = ""                    # path: which path to print
    say: Callable[[str], None] = say_on_stderr
    ask: Callable[[str], str] | None = None


@dataclass
class Context:
    request: Request
    ws: Workspace
    _tf: TerraformRunner | None = None

    @property
    def tf(self) -> TerraformRunner:
        if self._tf is None:
            self._tf = TerraformRunner(self.ws, target_env(self.ws.target))
        return self._tf

    @property
    def target(self) -> str:
        return self.ws.target

    def say(self, message: str) -> None:
        self.request.say(message)

    def confirmed(self, question: str, refusal: str) -> bool:
        """True when the user typed the env name; LzError(refusal) when nobody can answer."""
        if self.request.yes:
            return True
        if self.request.ask is None:
            raise LzError(refusal)
        return self.request.ask(f"{question} Type the env name ({self.ws.env}) to confirm: ").strip() == self.ws.env


@dataclass(frozen=True)
class Operation:
    name: str
    run: Callable[[Context], int]
    terraform: bool = True                  # needs the Terraform binary and a resolved target
    refuses: tuple[tuple[str, str], ...] = ()  # (target, why) pairs
    root: str | None = None                 # the operation always runs on this root


# --------------------------------------------------------------------------------------
# the operations
# --------------------------------------------------------------------------------------
def _setup(ctx: Context) -> int:
    return 0  # run() wrote the CLI config and checked Terraform; it says so


def _init(ctx: Context) -> int:
    ctx.tf.init()
    ctx.say(f"initialised {ctx.ws.label} for target {ctx.target}")
    return 0


def _plan(ctx: Context) -> int:
    if ctx.request.local_emulator and ctx.target != "local":
        raise LzError("--local-emulator only makes sense with TARGET=local")
    extra = {"local_emulator": "true"} if ctx.request.local_emulator else {}
    ctx.tf.init()
    plan_file, json_file = ctx.ws.plan_file(), ctx.ws.plan_json()
    ctx.tf.plan(plan_file, extra)
    data = ctx.tf.write_plan_json(plan_file, json_file)
    ctx.say(f"plan {ctx.ws.label} ({ctx.target}): {resource_count(data)} resources -> "
            f"{display(plan_file)}, {display(json_file)}")
    return 0


def _apply(ctx: Context) -> int:
    plan_file = ctx.ws.plan_file()
    if not plan_file.is_file():
        raise LzError(f"no saved plan {display(plan_file)}: run `make plan ENV={ctx.ws.env} TARGET={ctx.target}` "
                      "and review it first")
    ctx.tf.init()
    ctx.tf.apply(plan_file)
    plan_file.unlink(missing_ok=True)  # a saved plan applies once; Terraform refuses it afterwards anyway
    ctx.say(f"applied {display(plan_file)} to {ctx.ws.label} ({ctx.target})")
    return 0


def _destroy(ctx: Context) -> int:
    if ctx.target == "aws" and not ctx.confirmed(
            f"Destroy {ctx.ws.label} in AWS?",
            "refusing to destroy real AWS resources without confirmation: pass FORCE=1 (--yes)"):
        ctx.say("not confirmed; nothing destroyed")
        return 1
    ctx.tf.init()
    extra = {"local_emulator": "true"} if ctx.target == "local" and ctx.ws.root != "bootstrap" else {}
    ctx.tf.destroy(extra)
    ctx.say(f"destroyed {ctx.ws.label} ({ctx.target})")
    return 0


def _output(ctx: Context) -> int:
    ctx.tf.init()
    print(json.dumps(ctx.tf.output_json(), indent=2, sort_keys=True))
    return 0


def _bootstrap(ctx: Context) -> int:
    outputs = apply_bootstrap(ctx.tf, ctx.say)
    ctx.say(f"state bucket {outputs['bucket_name']} ready; backends written to {display(ctx.ws.backends_dir)}/")
    return 0


def apply_bootstrap(tf: TerraformRunner, say: Callable[[str], None] = say_on_stderr) -> dict:
    """init + plan + apply of the bootstrap root, then write terraform/backends/<target>/*.hcl."""
    ws = tf.ws
    tf.init()
    plan_file = ws.plan_file()
    tf.plan(plan_file)
    tf.apply(plan_file)
    plan_file.unlink(missing_ok=True)
    outputs = tf.output_json()
    for name, text in sorted(outputs["backend_configs"].items()):
        path = ws.backends_dir / f"{name}.hcl"
        if not path.exists() or path.read_text() != text:
            write_atomic(path, text)
            say(f"wrote {display(path)}")
    return outputs


def _check(ctx: Context) -> int:
    from checks.api import CheckOptions, run_check

    plan_json = ctx.ws.plan_json()
    if not plan_json.is_file():
        raise LzError(f"no {display(plan_json)}: run `make plan` first")
    run_ = run_check(plan_json, CheckOptions(formats=("json", "markdown", "html", "sarif", "junit"),
                                             output=ctx.ws.report_dir, checkov=ctx.request.checkov,
                                             scope=ctx.request.scope, workspace=ctx.ws.evidence()))
    for line in run_.summary():
        ctx.say(line.strip() if line.startswith(" ") else line)
    ctx.say(f"reports: {display(ctx.ws.report_dir)}/")
    return run_.exit_code


def _path(ctx: Context) -> int:
    paths = ctx.ws.paths()
    if ctx.request.path not in paths:
        raise LzError(f"unknown path {ctx.request.path!r}: choose one of {', '.join(paths)}")
    print(display(paths[ctx.request.path]))
    return 0


def _drift(ctx: Context) -> int:
    from pathlib import Path

    from checks.ops import drift

    out_dir = Path(ctx.request.output) if ctx.request.output else ctx.ws.report_dir
    extra = {"local_emulator": "true"} if ctx.target == "local" else {}
    result = drift.detect(ctx.tf, out_dir, extra)
    ws = ctx.ws
    if result.drifted:
        ctx.say(f"DRIFT in {ws.label} ({ctx.target}): {len(result.items)} changed attribute(s) in "
                f"{len(result.resources)} resource(s): {', '.join(result.resources) or 'outputs only'}")
        for item in result.items[:20]:
            ctx.say(f"  {item.address} {item.attribute}")
    else:
        ctx.say(f"no drift in {ws.label} ({ctx.target})")
    check = "passed" if result.check_code == 0 else "FAILED"
    ctx.say(f"reports: {display(result.json_report)}, {display(result.markdown_report)}; "
            f"check of the refreshed values: gate {check} ({display(out_dir / 'refreshed')})")
    return result.exit_code


def _unlock(ctx: Context) -> int:
    lock_id = ctx.request.lock_id.strip()
    question = (f"Release lock {lock_id} on {ctx.ws.label} ({ctx.target})? Only do this when the operation that "
                "holds it is dead: a running apply would then race another one.")
    if not ctx.confirmed(question, "refusing to force-unlock without confirmation: run it on a terminal or pass "
                                   "FORCE=1 (--yes)"):
        ctx.say("not confirmed; the lock is kept")
        return 1
    ctx.tf.init()
    ctx.tf.force_unlock(lock_id)
    ctx.say(f"released lock {lock_id} on {ctx.ws.label} ({ctx.target})")
    return 0


_NO_APPLY_OFFLINE = ("offline", "an offline plan is for checks only and cannot be applied: use TARGET=local "
                                "(emulator) or TARGET=aws")
OPERATIONS: dict[str, Operation] = {op.name: op for op in (
    Operation("setup", _setup),
    Operation("init", _init),
    Operation("plan", _plan),
    Operation("apply", _apply, refuses=(_NO_APPLY_OFFLINE,)),
    Operation("destroy", _destroy, refuses=(("offline", "nothing to destroy offline: use TARGET=local or TARGET=aws"),)),
    Operation("output", _output),
    Operation("bootstrap", _bootstrap, root="bootstrap", refuses=(
        ("offline", "the bootstrap creates the state bucket: use TARGET=local (emulator) or TARGET=aws"),)),
    Operation("check", _check, terraform=False),
    Operation("path", _path, terraform=False),
    Operation("drift", _drift, refuses=(
        ("offline", "drift compares the state with real infrastructure: use TARGET=local (emulator) or TARGET=aws"),)),
    Operation("unlock", _unlock, refuses=(
        ("offline", "offline plans keep no shared state and take no lock: use TARGET=local or TARGET=aws"),)),
)}


def run(name: str, request: Request) -> int:
    """Run operation ``name`` for ``request``; LzError for anything the user must change."""
    op = OPERATIONS.get(name)
    if op is None:
        raise LzError(f"unknown operation {name!r}: choose one of {', '.join(OPERATIONS)}")
    if name == "unlock" and not request.lock_id.strip():
        raise LzError("no lock ID: pass LOCK_ID=<id> (the `ID:` of the lock holder, printed by the failed "
                      "plan/apply: `the state is locked by ... (lock ID <id>, ...)`)")
    root = op.root or request.root
    if not op.terraform:  # paths only: the target does not matter, and is never probed
        target = request.target if request.target in TARGETS else "offline"
        return op.run(Context(request, Workspace.of(root, request.env, target)))
    config = write_cli_config()
    version = ensure_terraform()
    if name == "setup":
        request.say(f"terraform {'.'.join(map(str, version))} ok; CLI config {display(config)}")
        return 0
    target = resolve_target(request.target)
    if request.target == "auto":
        request.say(f"target {target} (set TARGET=aws|local|offline to choose)")
    for refused, why in op.refuses:
        if target == refused:
            raise LzError(why)
    return op.run(Context(request, Workspace.of(root, request.env, target)))
