#!/usr/bin/env python3
"""Run the steps of action.yml locally, as the GitHub runner would run them.

Each `run` step runs with `bash --noprofile --norc -eo pipefail` (what `shell: bash` means
on a runner), its `env` rendered from the inputs (declared defaults, overridden) and the
outputs of earlier steps, with GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
GITHUB_WORKSPACE and RUNNER_TEMP set. A `uses` step is not run: its `with` is rendered and
returned, so a test can check the file it would upload exists. Only the expressions this
action needs are understood (`inputs.x`, `steps.id.outputs.y`, `github.action_path`); any
other `${{ }}` in a run step's env is an error.

    python tests/action_local.py --plan build/workload-dev.plan.json [--input checkov=true ...]

prints each step, writes the job summary to <temp>/summary.md, and exits with the action's
exit code (the gate's: 0 passed, 1 failed, 2 invalid input).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_action(path: Path = ACTION) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class StepRun:
    name: str
    code: int | None = None                          # None: a `uses` step, not run
    outputs: dict[str, str] = field(default_factory=dict)
    uses: str | None = None
    with_: dict[str, str] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun]
    summary: str
    temp: Path

    @property
    def exit_code(self) -> int:
        return next((s.code for s in self.steps if s.code), 0) or 0

    def step(self, name_start: str) -> StepRun:
        return next(s for s in self.steps if s.name.startswith(name_start))


def render(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]], action_path: Path) -> str:
    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        if m := re.fullmatch(r"inputs\.([A-Za-z0-9_-]+)", expr):
            return inputs[m.group(1)]
        if m := re.fullmatch(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", expr):
            return outputs.get(m.group(1), {}).get(m.group(2), "")
        if expr == "github.action_path":
            return str(action_path)
        raise ValueError(f"action_local does not understand the expression ${{{{ {expr} }}}}")
    return EXPRESSION.sub(value, str(text))


def read_outputs(file: Path) -> dict[str, str]:
    found = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            found[key] = value
    return found


def run_action(given: dict[str, str], *, workspace: Path, temp: Path, action_path: Path = REPO,
               extra_env: dict[str, str] | None = None) -> ActionRun:
    action = load_action(action_path / "action.yml")
    declared = action["inputs"]
    unknown = set(given) - set(declared)
    if unknown:
        raise ValueError(f"inputs the action does not declare: {sorted(unknown)}")
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    inputs.update(given)
    missing = [n for n, spec in declared.items() if spec.get("required") and not inputs[n]]
    if missing:
        raise ValueError(f"required inputs missing: {missing}")
    summary = temp / "summary.md"
    summary.touch()
    outputs: dict[str, dict[str, str]] = {}
    steps: list[StepRun] = []
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        if "uses" in step:
            steps.append(StepRun(name, uses=step["uses"], with_={
                k: render(v, inputs, outputs, action_path) for k, v in step.get("with", {}).items()}))
            continue
        output_file = temp / f"output-{index}"
        output_file.write_text("", encoding="utf-8")
        env = {**os.environ, **(extra_env or {}),
               "GITHUB_ACTION_PATH": str(action_path), "GITHUB_OUTPUT": str(output_file),
               "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(temp)}
        env.update({k: render(v, inputs, outputs, action_path) for k, v in step.get("env", {}).items()})
        script = temp / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, capture_output=True, text=True, timeout=900)
        result = StepRun(name, code=done.returncode, outputs=read_outputs(output_file), stdout=done.stdout,
                         stderr=done.stderr)
        steps.append(result)
        if "id" in step:
            outputs[step["id"]] = result.outputs
        if done.returncode != 0:
            break  # later steps have no `if: always()`: the runner skips them
    return ActionRun(steps, summary.read_text(encoding="utf-8"), temp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run action.yml's steps locally")
    parser.add_argument("--plan", required=True)
    parser.add_argument("--input", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--workspace", default=".", help="the job's working directory (default: here)")
    args = parser.parse_args(argv)
    given = dict(item.split("=", 1) for item in args.input)
    given["plan"] = args.plan
    temp = Path(tempfile.mkdtemp(prefix="genai-lz-action-"))
    run = run_action(given, workspace=Path(args.workspace).resolve(), temp=temp)
    for step in run.steps:
        state = "not run here (uses)" if step.code is None else f"exit {step.code}"
        print(f"== {step.name}: {state}")
        if step.uses:
            print(f"   {step.uses} with {step.with_}")
        sys.stdout.write(step.stdout)
        sys.stderr.write(step.stderr)
    print(f"job summary: {temp / 'summary.md'}; action exit code {run.exit_code}")
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main())
