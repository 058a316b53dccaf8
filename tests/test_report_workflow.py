"""The example CI workflow (.github/workflows/genai-lz.yml) uses the CLI as it is."""
from __future__ import annotations

import re
import shlex

import yaml

from checks.cli import build_parser
from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "genai-lz.yml"


def _steps():
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert document["permissions"]["security-events"] == "write"
    return document["jobs"]["check"]["steps"]


def _commands(script: str, program: str) -> list[list[str]]:
    joined = re.sub(r"\\\n\s*", " ", script)
    joined = joined.replace("${{ matrix.env }}", "dev")
    return [shlex.split(line.strip())[1:] for line in joined.splitlines() if line.strip().startswith(program + " ")]


def test_check_and_diff_command_lines_parse():
    steps = _steps()
    scripts = "\n".join(s.get("run", "") for s in steps)
    checks = _commands(scripts, "genai-lz")
    assert {argv[0] for argv in checks} == {"check", "diff"}
    parser = build_parser()
    for argv in checks:
        argv = [a for a in argv if a != ">" and not a.endswith(".md")]
        args = parser.parse_args(argv)
        if args.command == "check":
            assert set(args.formats) == {"json", "markdown", "html", "sarif", "junit"}
            assert args.tf_root == "terraform/workload"
            assert args.output == "reports/dev"


def test_sarif_uploaded_and_gate_enforced():
    steps = _steps()
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "reports/${{ matrix.env }}/report.sarif"
    assert "always()" in upload["if"]
    gate = steps[-1]
    assert gate["name"] == "Enforce the gate" and "exit 1" in gate["run"]
    plan = next(s for s in steps if s.get("name", "").startswith("Terraform plan"))
    assert "terraform show -json" in plan["run"]
    setup = next(s for s in steps if s.get("uses", "").startswith("hashicorp/setup-terraform@"))
    assert setup["with"]["terraform_wrapper"] is False
