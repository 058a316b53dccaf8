"""action.yml (the reusable GitHub Action) is well-formed, and its steps do what they say
when run locally (tests/action_local.py) on the landing zone's dev plan.

actionlint is not available offline: the YAML is parsed and checked here instead: every
input it declares is used, every input it uses is declared, every step output it reads is
written by an earlier step, inputs reach scripts only through `env`.
"""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from action_local import ACTION, EXPRESSION, load_action, run_action
from conftest import REPO
from test_wheel import _copy_source, dev_plan, run_in_repo  # noqa: F401 (dev_plan is a fixture)

WORKFLOW = REPO / ".github" / "workflows" / "genai-lz.yml"
SUMMARY_SCRIPT = REPO / ".github" / "scripts" / "job_summary.py"


def _expressions(node) -> list[str]:
    """Every expression in a parsed YAML node: ``${{ ... }}`` anywhere, and the whole of an
    ``if:`` (an expression without the braces)."""
    if isinstance(node, dict):
        found = [e for k, v in node.items() for e in ([v] if k == "if" and "${{" not in str(v) else _expressions(v))]
        return found + [e for k in node for e in _expressions(k)]
    if isinstance(node, list):
        return [e for v in node for e in _expressions(v)]
    return EXPRESSION.findall(node) if isinstance(node, str) else []


def _named(expressions: list[str], pattern: str) -> set[str]:
    return {m for e in expressions for m in re.findall(pattern, e)}


@pytest.fixture(scope="module")
def action() -> dict:
    return load_action()


def test_action_is_a_well_formed_composite_action(action):
    assert {"name", "description", "inputs", "outputs", "runs"} <= set(action)
    assert action["runs"]["using"] == "composite"
    ids = []
    for step in action["runs"]["steps"]:
        assert step.get("name"), step
        assert ("run" in step) != ("uses" in step), f"{step['name']}: exactly one of run / uses"
        if "run" in step:
            assert step.get("shell") == "bash", f"{step['name']}: a composite run step needs shell: bash"
            assert "${{" not in step["run"], f"{step['name']}: expressions reach the script only through env"
            assert "if" not in step, f"{step['name']}: run steps decide in the shell (tests/action_local.py runs them all)"
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), step["uses"]
        if "id" in step:
            ids.append(step["id"])
    assert len(ids) == len(set(ids))
    for name, spec in action["inputs"].items():
        assert spec.get("description"), name
        assert spec.get("required") or "default" in spec, f"input {name}: required or a default"
        assert isinstance(spec.get("default", ""), str), f"input {name}: defaults are strings"


def test_every_input_declared_is_used_and_every_input_used_is_declared(action):
    used = _named(_expressions(action["runs"]) + _expressions(action["outputs"]), r"inputs\.([A-Za-z0-9_-]+)")
    assert used == set(action["inputs"])


def test_step_outputs_read_are_written_by_an_earlier_step(action):
    written: dict[str, set[str]] = {}
    for step in action["runs"]["steps"]:
        for sid, key in _named(_expressions(step), r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)"):
            assert key in written.get(sid, set()), f"{step['name']} reads steps.{sid}.outputs.{key}: not written before"
        if "id" in step and "run" in step:
            written[step["id"]] = set(re.findall(r'echo "([a-z-]+)=', step["run"]))
    for name, spec in action["outputs"].items():
        for sid, key in _named(_expressions(spec), r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)"):
            assert key in written.get(sid, set()), f"output {name}: steps.{sid}.outputs.{key} is never written"


def test_the_action_uploads_sarif_and_enforces_the_gate_last(action):
    steps = action["runs"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"].endswith("/report.sarif")
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert steps[-1]["name"] == "Enforce the gate" and "exit 1" in steps[-1]["run"]
    check = next(s for s in steps if s.get("id") == "check")
    assert "::stop-commands::" in check["run"] and "exit 0" in check["run"]


def test_the_example_workflow_uses_the_action_with_declared_inputs(action):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    gate = [s for s in steps if s.get("uses") == "./"]
    assert gate, "the example workflow runs the gate through the action at the repository root (uses: ./)"
    for step in gate:
        assert set(step.get("with", {})) <= set(action["inputs"]), step["with"]
        assert "plan" in step["with"]
    assert workflow["permissions"]["security-events"] == "write"


# -- the job summary --------------------------------------------------------------------


def _summary_module():
    spec = importlib.util.spec_from_file_location("job_summary", SUMMARY_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("line, expected", [
    ("| high | LZ-SEC-001 x | `aws_vpc.this` | <img src=x onerror=alert(1)> |",
     "| high | LZ-SEC-001 x | `aws_vpc.this` | &lt;img src=x onerror=alert(1)&gt; |"),
    ("`a<b>` and <details>", "`a&lt;b&gt;` and &lt;details&gt;"),
    ("see [click](https://evil.example/) ![x](https://evil.example/p.png)",
     "see \\[click\\](https://evil.example/) !\\[x\\](https://evil.example/p.png)"),
    ("| [GENSEC01-BP01](https://docs.aws.amazon.com/wellarchitected/latest/x.html) | t |",
     "| [GENSEC01-BP01](https://docs.aws.amazon.com/wellarchitected/latest/x.html) | t |"),
    ("`[\"a\",\"b\"]` stays code", "`[\"a\",\"b\"]` stays code"),
    ("bell\x07 and \x1b[31mred\x1b[0m\r", "bell and \\[31mred\\[0m"),
    ("a & b", "a &amp; b"),
])
def test_summary_lines_are_escaped(line, expected):
    assert _summary_module().safe_line(line) == expected


@pytest.mark.parametrize("hostile, expected", [
    # the report's cell escapes stay single: re-escaping the backslash would free the bracket
    # (\\[ is a literal backslash and a live [: an image or link again) and show &amp;lt;
    ("see ![x](https://evil.example/p.png)", "see !\\[x\\](https://evil.example/p.png)"),
    ("[click](https://evil.example/)", "\\[click\\](https://evil.example/)"),
    ("<img src=x onerror=alert(1)> & co", "&lt;img src=x onerror=alert(1)&gt; &amp; co"),
    ("a\\[b]", "a\\\\\\[b\\]"),
])
def test_summary_of_a_report_cell_keeps_its_escapes(hostile, expected):
    from checks.report.helpers import md_cell

    assert md_cell(hostile) == expected  # what report.md holds
    assert _summary_module().safe_line(f"| {md_cell(hostile)} |") == f"| {expected} |"


def test_summary_is_cut_below_the_limit():
    module = _summary_module()
    text = "\n".join(f"| row {i} | `x` |" for i in range(1000))
    out = module.safe_summary(text, limit=2000)
    assert len(out.encode()) < 2200 and out.rstrip().endswith("the rest is in the reports folder.**")
    assert module.safe_summary("short\n") == "short\n"


def test_summary_script_runs_as_a_script(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("# r\n<script>x</script>\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(SUMMARY_SCRIPT), str(report)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "# r\n&lt;script&gt;x&lt;/script&gt;\n"
    missing = subprocess.run([sys.executable, str(SUMMARY_SCRIPT), str(tmp_path / "no.md")], capture_output=True,
                             text=True)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


# -- the steps, run locally -------------------------------------------------------------


@pytest.mark.wheel
def test_action_steps_run_locally_on_the_dev_plan(tmp_path, dev_plan):  # noqa: F811
    """Install (the wheel built from the action's own source), check, summary, gate: the
    same verdict as the in-repo run, the SARIF the upload step names exists, the summary is
    the escaped Markdown report."""
    source = _copy_source(tmp_path / "action")
    shutil.copy2(REPO / "action.yml", source / "action.yml")
    shutil.copytree(REPO / ".github", source / ".github")
    workspace, temp = tmp_path / "workspace", tmp_path / "runner-temp"
    workspace.mkdir()
    temp.mkdir()
    shutil.copy2(dev_plan, workspace / "plan.json")
    run = run_action({"plan": "plan.json", "tf-root": str(REPO / "terraform" / "workload"), "sarif-category": "dev"},
                     workspace=workspace, temp=temp, action_path=source)
    install = run.step("Install")
    assert install.code == 0, install.stderr
    assert "rule pack" in install.outputs["version"] and str(temp) in install.outputs["bin"]
    check = run.step("Check")
    assert check.code == 0 and check.outputs["report-dir"] == "genai-lz-reports"
    here = run_in_repo(workspace, "check", "plan.json", "--tf-root", str(REPO / "terraform" / "workload"),
                       "--output", str(tmp_path / "here.json"))
    assert check.outputs["exit-code"] == str(here.returncode)
    reports = workspace / "genai-lz-reports"
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        ["report.json", "report.md", "report.html", "report.sarif", "report.xml"])
    assert json.loads((reports / "report.json").read_text())["findings"] == \
        json.loads((tmp_path / "here.json").read_text())["findings"]
    upload = run.step("Upload SARIF")
    assert upload.code is None and (workspace / upload.with_["sarif_file"]).is_file()
    assert upload.with_["category"] == "dev"
    assert run.summary.startswith("# GenAI Lens compliance report") and "<" not in run.summary
    gate = run.step("Enforce the gate")
    assert gate.code == here.returncode and run.exit_code == here.returncode
    assert ("::stop-commands::" in check.stdout) and check.stdout.rstrip().endswith("::")


def test_action_rejects_a_bad_checkov_input_before_installing(tmp_path):
    run = run_action({"plan": "plan.json", "checkov": "yes"}, workspace=tmp_path, temp=tmp_path)
    assert run.steps[0].code == 2 and "checkov must be true or false" in run.steps[0].stdout
    assert len(run.steps) == 1 and run.exit_code == 2


def test_action_local_refuses_undeclared_inputs(tmp_path):
    with pytest.raises(ValueError, match="does not declare"):
        run_action({"plan": "p", "nope": "1"}, workspace=tmp_path, temp=tmp_path)
    assert ACTION.is_file()
