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
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from checks.errors import LzError
from checks.files import write_atomic
from checks.ops.progress import Progress
from checks.ops.review import review_lines
from checks.ops.targets import resolve_target, target_env
from checks.ops.terraform import (
    TerraformRunner,
    ensure_terraform,
    locked_providers,
    resource_count,
    write_cli_config,
)
from checks.ops.workspace import TARGETS, Workspace, display

# What `make check` and `make demo` write under reports/<root>-<env>/.
REPORT_FORMATS = ("json", "markdown", "html", "sarif", "junit")


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
    progress: Progress | None = None  # step lines of the long Terraform commands (default: stderr)


@dataclass
class Context:
    request: Request
    ws: Workspace
    _tf: TerraformRunner | None = None

    @property
    def tf(self) -> TerraformRunner:
        if self._tf is None:
            self._tf = TerraformRunner(self.ws, target_env(self.ws.target))
            if self.target == "local":
                require_local_state_bucket(self.ws)
        return self._tf

    @property
    def target(self) -> str:
        return self.ws.target

    def step(self, command: str, fn: Callable[[], object]) -> object:
        """Run a long Terraform command with its progress line (printed when it starts)."""
        progress = self.request.progress or Progress(sys.stderr, numbered=False, width=0)
        return progress.run(f"terraform {command} {self.ws.label} ({self.target})", fn)

    def make(self, target: str) -> str:
        return make_command(target, self.request, self.ws)

    def emulator_vars(self) -> dict[str, str]:
        """TARGET=local leaves out what the emulator does not implement (as `make demo` does)."""
        if self.request.local_emulator and self.target != "local":
            raise LzError("--local-emulator only makes sense with TARGET=local")
        return {"local_emulator": "true"} if self.target == "local" and self.ws.root != "bootstrap" else {}

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
    before: Callable[[Request, Workspace], None] | None = None  # checked before the target is probed


# --------------------------------------------------------------------------------------
# the operations
# --------------------------------------------------------------------------------------
def _setup(ctx: Context) -> int:
    return 0  # run() wrote the CLI config and checked Terraform; it says so


def _init(ctx: Context) -> int:
    ctx.step("init", ctx.tf.init)
    ctx.say(f"initialised {ctx.ws.label} for target {ctx.target}")
    return 0


def _plan(ctx: Context) -> int:
    extra = ctx.emulator_vars()
    tf = ctx.tf  # TARGET=local: the state bucket exists, or the error naming `make bootstrap`
    if extra:
        ctx.say(local_notice())
    ctx.step("init", tf.init)
    plan_file, json_file, text_file = ctx.ws.plan_file(), ctx.ws.plan_json(), ctx.ws.plan_text()
    ctx.step("plan", lambda: tf.plan(plan_file, extra))
    data = tf.write_plan_json(plan_file, json_file)
    write_atomic(text_file, tf.show_text(plan_file))
    for line in review_lines(data, text_file.read_text()):
        ctx.say(line)
    ctx.say(f"plan {ctx.ws.label} ({ctx.target}): {resource_count(data)} resources -> "
            f"{display(plan_file)}, {display(json_file)}")
    ctx.say(f"review the full plan in {display(text_file)}, then `{ctx.make('check')}` and `{ctx.make('apply')}`"
            if ctx.target != "offline" else
            f"review the full plan in {display(text_file)}, then `{ctx.make('check')}` (offline plans are not applied)")
    return 0


def local_notice() -> str:
    from checks.ops.emulator import UNSUPPORTED

    return (f"TARGET=local: local_emulator = true leaves out what the emulator does not implement "
            f"({len(UNSUPPORTED)} resource types, checks/ops/emulator.py UNSUPPORTED: guardrails, budgets, "
            "Cost Explorer, Security Hub, ...); `make plan TARGET=offline` plans and `make check` judges the "
            "full landing zone")


def _require_saved_plan(request: Request, ws: Workspace) -> None:
    plan_file = ws.plan_file()
    if not plan_file.is_file():
        raise LzError(f"no saved plan {display(plan_file)}: run `{make_command('plan', request, ws)}` and review it "
                      "first (apply only applies a reviewed plan)")


def _apply(ctx: Context) -> int:
    plan_file = ctx.ws.plan_file()
    _require_saved_plan(ctx.request, ctx.ws)
    ctx.step("init", ctx.tf.init)
    ctx.step("apply", lambda: ctx.tf.apply(plan_file))
    plan_file.unlink(missing_ok=True)  # a saved plan applies once; Terraform refuses it afterwards anyway
    ctx.say(f"applied {display(plan_file)} to {ctx.ws.label} ({ctx.target})")
    return 0


def _destroy(ctx: Context) -> int:
    if ctx.target == "aws" and not ctx.confirmed(
            f"Destroy {ctx.ws.label} in AWS?",
            "refusing to destroy real AWS resources without confirmation: pass FORCE=1 (--yes)"):
        ctx.say("not confirmed; nothing destroyed")
        return 1
    extra = ctx.emulator_vars()
    ctx.step("init", ctx.tf.init)
    ctx.step("destroy", lambda: ctx.tf.destroy(extra))
    ctx.say(f"destroyed {ctx.ws.label} ({ctx.target})")
    return 0


def _output(ctx: Context) -> int:
    ctx.tf.init()
    print(json.dumps(ctx.tf.output_json(), indent=2, sort_keys=True))
    return 0


def _bootstrap(ctx: Context) -> int:
    outputs = apply_bootstrap(ctx.tf, ctx.say, ctx.step)
    ctx.say(f"state bucket {outputs['bucket_name']} ready; backends written to {display(ctx.ws.backends_dir)}/")
    return 0


def require_local_state_bucket(ws: Workspace) -> None:
    """TARGET=local: the backend's state bucket exists in the emulator, or an error that
    names `make bootstrap` (a fresh emulator is empty: `make emulator-up` creates no bucket)."""
    from checks.ops import emulator

    backend = ws.backend_file
    if backend is None:
        return
    if not backend.is_file():
        raise LzError(f"backend configuration {display(backend)} is missing: run `make bootstrap` (TARGET=local) first")
    match = re.search(r'^\s*bucket\s*=\s*"([^"]+)"', backend.read_text(), re.MULTILINE)
    running = emulator.status()
    if match is None or running is None:
        return  # target_env already said the emulator is down; Terraform reports a bad backend file
    if not emulator.bucket_exists(running, match.group(1)):
        raise LzError(f"the state bucket {match.group(1)} does not exist in the emulator yet (it starts empty): "
                      "run `make bootstrap` first, then this command again")


def make_command(target: str, request: Request, ws: Workspace) -> str:
    """The `make` command line that runs ``target`` on the workspace of ``request``."""
    parts = [f"make {target}"]
    if ws.root != "workload":
        parts.append(f"ROOT={ws.root}")
    elif request.env:
        parts.append(f"ENV={ws.env}")
    if request.target != "auto":
        parts.append(f"TARGET={request.target}")
    return " ".join(parts)


def _quietly(command: str, fn: Callable[[], object]) -> object:
    return fn()


def apply_bootstrap(tf: TerraformRunner, say: Callable[[str], None] = say_on_stderr,
                    step: Callable[[str, Callable[[], object]], object] = _quietly) -> dict:
    """init + plan + apply of the bootstrap root, then write terraform/backends/<target>/*.hcl.
    ``step`` runs each Terraform command (with a progress line in `make bootstrap`)."""
    ws = tf.ws
    step("init", tf.init)
    plan_file = ws.plan_file()
    step("plan", lambda: tf.plan(plan_file))
    step("apply", lambda: tf.apply(plan_file))
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
        raise LzError(f"no {display(plan_json)}: run `{ctx.make('plan')}` first")
    run_ = run_check(plan_json, CheckOptions(formats=REPORT_FORMATS,
                                             output=ctx.ws.report_dir, checkov=ctx.request.checkov,
                                             scope=ctx.request.scope, workspace=ctx.ws.evidence(),
                                             providers=locked_providers(ctx.ws.lock_file)))
    for line in run_.summary():
        ctx.say(line.strip() if line.startswith(" ") else line)
    if len(run_.result.plan) == 0:
        ctx.say(f"nothing was checked: {display(plan_json)} has 0 resources (is it the plan you meant? "
                f"`{ctx.make('plan')}` writes it)")
    ctx.say(f"checked by {len(run_.result.rules)} lens rules" + (
        f" and {checkov_count(run_)} checkov checks" if ctx.request.checkov else " (CHECKOV=1 adds checkov's checks)"))
    if _planned_for_the_emulator(run_.result.plan):
        ctx.say("note: this plan was made with TARGET=local (local_emulator = true): the controls the emulator does "
                "not implement are left out of it, so the rules that ask for them fail here; `make plan "
                "TARGET=offline` and `make check` judge the full landing zone")
    written = ", ".join(p.name for p in report_files(ctx.ws.report_dir))
    ctx.say(f"reports in {display(ctx.ws.report_dir)}/: {written}")
    return run_.exit_code


def _planned_for_the_emulator(plan: Any) -> bool:
    variables = plan.document.get("variables") or {}
    return str((variables.get("local_emulator") or {}).get("value")).lower() == "true"


def report_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("report.*") if p.is_file())


def checkov_count(run_: Any) -> int:
    """How many checkov checks ran (the distinct check ids of the checkov findings)."""
    return len({f.rule_id for f in run_.result.findings if f.source == "checkov"})


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
    Operation("apply", _apply, refuses=(_NO_APPLY_OFFLINE,), before=_require_saved_plan),
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
    if op.before is not None:
        op.before(request, Workspace.of(root, request.env, request.target if request.target in TARGETS else "offline"))
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
