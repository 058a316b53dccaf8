"""The example CI workflow (.github/workflows/genai-lz.yml) runs the gate through the action
(action.yml) and the command lines it leads to are ones the CLI accepts."""
from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess

import yaml

from action_local import load_action, render
from checks.cli import build_parser
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "genai-lz.yml"


def _steps():
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert document["permissions"]["security-events"] == "write"
    return document["jobs"]["check"]["steps"]


def _gate_inputs() -> dict[str, str]:
    step = next(s for s in _steps() if s.get("uses") == "./")
    return {k: str(v).replace("${{ matrix.env }}", "dev") for k, v in step["with"].items()}


def test_the_actions_check_command_for_the_workflows_inputs_parses(tmp_path):
    """Run the action's check step with a stand-in genai-lz that records its arguments."""
    action = load_action()
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(_gate_inputs())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    recorder = tmp_path / "genai-lz"
    recorder.write_text('#!/bin/bash\nprintf "%s\\0" "$@" > "$(dirname "$0")/argv"\nexit 1\n', encoding="utf-8")
    recorder.chmod(recorder.stat().st_mode | stat.S_IXUSR)
    env = {k: render(v, inputs, {"install": {"bin": str(tmp_path)}}, REPO) for k, v in step["env"].items()}
    out = tmp_path / "github_output"
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=tmp_path,
                          env={**os.environ, **env, "GITHUB_OUTPUT": str(out)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr  # the check step itself never fails: the gate step decides
    assert "exit-code=1" in out.read_text()
    argv = (tmp_path / "argv").read_text().split("\0")[:-1]
    args = build_parser().parse_args(argv)
    assert args.command == "check" and args.plan == "build/workload-dev.plan.json"
    assert set(args.formats) == {"json", "markdown", "html", "sarif", "junit"}
    assert args.tf_root == "terraform/workload"
    assert args.output == "reports/dev/"
    assert args.params is None and args.waivers is None and not args.checkov


def test_diff_command_line_parses():
    scripts = "\n".join(s.get("run", "") for s in _steps())
    joined = re.sub(r"\\\n\s*", " ", scripts).replace("${{ matrix.env }}", "dev")
    lines = [shlex.split(line.strip())[1:] for line in joined.splitlines() if '/genai-lz" diff ' in line]
    assert lines, "the workflow runs genai-lz diff"
    parser = build_parser()
    for argv in lines:
        argv = [a for a in argv if a != ">" and not a.endswith(".md")]
        assert parser.parse_args(argv).command == "diff"


def test_sarif_category_reports_kept_and_plan_made():
    steps = _steps()
    inputs = _gate_inputs()
    assert inputs["sarif-category"] == "genai-lz-dev" and inputs["output"] == "reports/dev"
    artifacts = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert artifacts["with"]["path"] == "reports/${{ matrix.env }}/" and "always()" in artifacts["if"]
    for step in steps[steps.index(artifacts):]:
        assert "always()" in step.get("if", ""), f"{step['name']} must run after the gate step failed the job"
    plan = next(s for s in steps if s.get("name", "").startswith("Terraform plan"))
    assert "terraform show -json" in plan["run"]
    setup = next(s for s in steps if s.get("uses", "").startswith("hashicorp/setup-terraform@"))
    assert setup["with"]["terraform_wrapper"] is False
