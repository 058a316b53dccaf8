"""`make demo`: the whole job on one machine, against the local AWS emulator.

emulator up (+ seed) -> bootstrap the state bucket -> init + plan organization, log-archive,
audit and the workloads (dev, prod) -> plan JSON -> `genai-lz check` on each -> reports/ -> apply what the
emulator implements (a second plan with `local_emulator = true`; what it leaves out is
listed with the missing emulator action) -> state objects listed -> destroy -> emulator down.

A step's line is printed when it starts (checks.ops.progress: a one-line elapsed-time
spinner on a terminal, plain lines in CI logs) and again with its duration when it ends,
then a summary table. The reports are written in all five formats (json, md, html, sarif,
junit) under reports/<root>-<env>/. A gate verdict never
aborts the demo (it is reported); any crash does, naming the step, with a non-zero exit.
"""
from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, TypeVar

from checks.api import CheckOptions, run_check
from checks.errors import LzError, ToolError
from checks.ops import emulator
from checks.ops.operations import REPORT_FORMATS, apply_bootstrap
from checks.ops.progress import Progress
from checks.ops.terraform import (
    TerraformRunner,
    ensure_terraform,
    locked_providers,
    planned_addresses,
    resource_count,
    write_cli_config,
)
from checks.ops.workspace import Workspace, build_path, display

T = TypeVar("T")
VERDICTS = {0: "passed", 1: "FAILED"}


@dataclass
class Row:
    ws: Workspace
    resources: int = 0
    verdict: str = "-"
    report: str = "-"
    applied: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)
    state_object: str = "-"


class Demo:
    def __init__(self, envs: list[str], checkov: bool = False, keep: bool = False,
                 out=None, progress: Progress | None = None) -> None:
        self.envs = envs
        self.checkov = checkov
        self.keep = keep
        self.progress = progress or Progress(out if out is not None else sys.stdout)
        self.emu: emulator.Emulator | None = None
        self.started_emulator = False
        # log-archive and audit after the organization, before the workloads (whose log
        # delivery and replication point at the log archive); destroyed in reverse order.
        self.rows = [Row(Workspace.of(root, None, "local")) for root in ("organization", *emulator.MEMBER_ROOTS)] + [
            Row(Workspace("workload", env, "local")) for env in envs
        ]
        self.bucket = ""

    # ------------------------------------------------------------------ plumbing
    def say(self, text: str) -> None:
        self.progress.say(text)

    def step(self, name: str, fn: Callable[[], T]) -> T:
        """Announce the step, run it, print its result and duration (see checks.ops.progress)."""
        try:
            with self.progress.step(name):
                return fn()
        except (LzError, OSError) as exc:
            raise ToolError(f"demo step '{name}' failed: {self._diagnose(exc)}") from exc

    def _diagnose(self, exc: Exception) -> str:
        message = str(exc)
        if self.emu is not None and not emulator._pid_alive(self.emu.pid):
            message = f"the emulator (pid {self.emu.pid}) is no longer running: {message}"
        for errored in sorted({row.ws.errored_state for row in self.rows}):
            if errored.exists():
                keep = build_path("errored") / f"{errored.parent.name}-{int(time.time())}.tfstate"
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(errored), keep)
                message += f" (Terraform could not save its state; kept in {display(keep)})"
        return message

    def runner(self, ws: Workspace) -> TerraformRunner:
        assert self.emu is not None
        return TerraformRunner(ws, emulator.emulator_env(self.emu))

    # ------------------------------------------------------------------ the job
    def run(self) -> int:
        write_cli_config()
        ensure_terraform()
        t0 = self.progress.clock()
        try:
            self._run()
        finally:
            if self.started_emulator and not self.keep:
                self.step("emulator down", self._down)
        self.summary(self.progress.clock() - t0)
        return 0

    def _down(self) -> None:
        emulator.down()

    def _run(self) -> None:
        def up() -> None:
            self.emu, self.started_emulator = emulator.up()
            emulator.seed(self.emu)

        self.step("emulator up + seed member-account roles", up)
        assert self.emu is not None
        self.say(f"     emulator {self.emu.endpoint} (pid {self.emu.pid}, {'started' if self.started_emulator else 'reused'})")

        boot = self.runner(Workspace("bootstrap", "local", "local"))
        outputs = self.step("bootstrap state bucket (local state in build/)",
                            lambda: apply_bootstrap(boot, lambda text: self.say(f"     {text}")))
        self.bucket = outputs["bucket_name"]

        for row in self.rows:
            tf = self.runner(row.ws)
            self.step(f"init {row.ws.label} (S3 backend, provider mirror)", tf.init)
            self.step(f"plan {row.ws.label} -> plan JSON", partial(self._plan, tf, row))
        for row in self.rows:
            self.step(f"check {row.ws.label}", partial(self._check, row))
        for row in self.rows:
            tf = self.runner(row.ws)
            self.step(f"apply {row.ws.label} (what the emulator implements)", partial(self._apply, tf, row))
        self.step("list state objects in the bucket", self._state_objects)
        self.step("publish the findings to Security Hub (ASFF)", self._publish_findings)
        if self.keep:
            self.say("     --keep: resources and emulator left running (make emulator-down stops it)")
            return
        for row in reversed(self.rows):
            tf = self.runner(row.ws)
            self.step(f"destroy {row.ws.label}", partial(tf.destroy, {"local_emulator": "true"}))
        # The state bucket stays: a versioned bucket with state versions is not force-destroyed
        # by the emulator in reasonable time, and it disappears with the emulator anyway.
        # The bootstrap's local state under build/ re-creates it on the next run.
        self.say("     state bucket kept until the emulator stops (bootstrap state: build/bootstrap/local/)")

    def _plan(self, tf: TerraformRunner, row: Row) -> None:
        plan = tf.ws.plan_file()
        tf.plan(plan)
        data = tf.write_plan_json(plan, tf.ws.plan_json())
        row.resources = resource_count(data)
        plan.unlink(missing_ok=True)  # the checked plan is never applied locally (it has what the emulator lacks)

    def _check(self, row: Row) -> None:
        run = run_check(row.ws.plan_json(), CheckOptions(formats=REPORT_FORMATS, output=row.ws.report_dir,
                                                         providers=locked_providers(row.ws.lock_file),
                                                         checkov=self.checkov))
        row.verdict = VERDICTS[run.exit_code]
        row.report = display(row.ws.report_dir) + "/"

    def _apply(self, tf: TerraformRunner, row: Row) -> None:
        plan = tf.ws.plan_file(".local")
        tf.plan(plan, {"local_emulator": "true"})
        local = tf.show_json(plan)
        kept = set(planned_addresses(local))
        full = _load(row.ws.plan_json())
        for address in planned_addresses(full):
            if address not in kept:
                row.left_out.append((address, _reason(address)))
        tf.apply(plan)
        plan.unlink(missing_ok=True)
        row.applied = sum(1 for a in tf.state_list() if not (a.startswith("data.") or ".data." in a))

    def _state_objects(self) -> None:
        assert self.emu is not None
        keys = emulator.list_state_objects(self.emu, self.bucket)
        for row in self.rows:
            key = row.ws.state_key
            row.state_object = f"s3://{self.bucket}/{key}" if key in keys else "MISSING"
        if any(r.state_object == "MISSING" for r in self.rows):
            raise ToolError(f"state objects missing in {self.bucket}: found only {', '.join(keys) or 'nothing'}")

    def _publish_findings(self) -> None:
        from checks.integrations import securityhub
        from checks.report.diff import load_report

        assert self.emu is not None
        env = emulator.emulator_env(self.emu)
        client, region, account = securityhub.client_and_account(
            emulator.REGION, self.emu.endpoint, aws_access_key_id=str(env["AWS_ACCESS_KEY_ID"]),
            aws_secret_access_key=str(env["AWS_SECRET_ACCESS_KEY"]))
        for row in self.rows:
            done = securityhub.publish(load_report(str(row.ws.report_dir / "report.json")), client,
                                       account_id=account, region=region)
            self.say(f"     {row.ws.label}: {done.active} active finding(s), {done.archived} archived as fixed")

    # ------------------------------------------------------------------ output
    def summary(self, seconds: float) -> None:
        left = [(row.ws.label, a, r) for row in self.rows for a, r in row.left_out]
        if left:
            self.say("\nLeft out of the emulator apply (planned and checked, not applied locally):")
            for label, address, reason in left:
                self.say(f"  {label:<24} {address:<70} {reason}")
        header = ("root", "env", "resources", "applied", "left out", "gate", "report", "state object")
        rows = [header] + [
            (r.ws.root, r.ws.env, str(r.resources), str(r.applied), str(len(r.left_out)), r.verdict, r.report, r.state_object)
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        self.say("")
        for i, row in enumerate(rows):
            self.say("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
            if i == 0:
                self.say("  ".join("-" * w for w in widths))
        self.say(f"\ndemo finished in {seconds:.0f}s; reports under reports/")


def _rtype(address: str) -> str:
    """The resource type of a resource address (module.x.aws_s3_bucket.this[0] -> aws_s3_bucket)."""
    return next((part for part in address.split(".") if part.startswith("aws_")), "").split("[")[0]


def _reason(address: str) -> str:
    return emulator.UNSUPPORTED.get(_rtype(address), emulator.SAME_TOGGLE)


def _load(path: Path) -> dict:
    import json

    return json.loads(path.read_text())


def run_demo(envs: list[str], checkov: bool = False, keep: bool = False) -> int:
    return Demo(envs, checkov=checkov, keep=keep).run()
