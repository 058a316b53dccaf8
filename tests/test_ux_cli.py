"""One consistent CLI: --version, explain of checkov ids, the rules table, --format/--output
with the same meaning everywhere, `tf bootstrap` options, `make help`."""
from __future__ import annotations

import json
import subprocess

import pytest

from checks.cli import main
from checks.model import pillar_title
from checks.ops.workspace import envs, repo_root

SMALL_PLAN = repo_root() / "policies" / "operational_excellence" / "LZ-OPS-001_log_group_retention" / "pass.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("genai-lz ")


@pytest.mark.parametrize("check_id", ["CKV_AWS_18", "ckv_aws_18", " Ckv_Aws_18 "])
def test_explain_a_checkov_check_in_any_case(capsys, check_id):
    code, out, _ = run(capsys, "explain", check_id)
    assert code == 0
    assert out.startswith("CKV_AWS_18: Ensure the S3 bucket has access logging enabled")
    assert "guideline: https://" in out
    assert "pillar: Security" in out and "GENSEC03-BP01" not in out
    assert "Well-Architected Framework" in out and "SEC04-BP01 Configure service and application logging" in out


def test_explain_a_rule_id_in_any_case(capsys):
    code, out, _ = run(capsys, "explain", "lz-sec-001")
    assert code == 0 and out.startswith("LZ-SEC-001: ")


@pytest.mark.parametrize("unknown, hint", [
    ("LZ-NOPE-999", "`genai-lz rules --checkov`"),
    ("CKV_AWS_99999", "no checkov check 'CKV_AWS_99999'"),
])
def test_explain_not_found_names_where_to_look(capsys, unknown, hint):
    code, _, err = run(capsys, "explain", unknown)
    assert code == 2 and hint in err


def test_rules_has_a_header_and_the_report_pillar_titles(capsys):
    from checks.registry import load_rules

    code, out, _ = run(capsys, "rules")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["ID", "PILLAR", "SEVERITY"]
    start, end = header.index("PILLAR"), header.index("SEVERITY")
    shown = {row[start:end].strip() for row in rows}
    assert shown == {pillar_title(m.pillar) for m in load_rules([])}  # the reports' titles, not raw ids
    assert "Security" in shown and "security" not in shown


@pytest.mark.parametrize("argv, fmt, check", [
    (["cost", str(SMALL_PLAN)], "json", lambda text: json.loads(text)),
    (["coverage"], "json", lambda text: json.loads(text)),
    (["rules"], "json", lambda text: json.loads(text)),
    (["check", str(SMALL_PLAN)], "json", lambda text: json.loads(text)),
])
def test_format_and_output_mean_the_same_everywhere(capsys, tmp_path, argv, fmt, check):
    target = tmp_path / "out.txt"
    code, out, _ = run(capsys, *argv, "--format", fmt, "--output", str(target))
    assert code in (0, 1)
    assert out == ""  # --output: nothing on stdout
    check(target.read_text())
    code, out, _ = run(capsys, *argv, "--format", fmt)
    assert code in (0, 1)
    check(out)  # no --output: stdout


def test_diff_format_and_output(capsys, tmp_path):
    report = tmp_path / "report.json"
    assert run(capsys, "check", str(SMALL_PLAN), "--output", str(report))[0] in (0, 1)
    target = tmp_path / "diff.json"
    code, out, _ = run(capsys, "diff", str(report), str(report), "--format", "json", "--output", str(target))
    assert code == 0 and out == "" and json.loads(target.read_text())


@pytest.mark.parametrize("command", ["cost", "coverage", "rules"])
def test_the_text_format_is_called_text_everywhere(capsys, command):
    argv = [command, str(SMALL_PLAN)] if command == "cost" else [command]
    assert run(capsys, *argv, "--format", "text")[0] == 0
    assert run(capsys, *argv, "--format", "table")[0] == 0  # the old name still works


@pytest.mark.parametrize("option, expected", [
    (["--root", "workload"], "--root does not apply"), (["--env", "dev"], "--env does not apply"),
    (["--checkov"], "--checkov does not apply"), (["--target", "offline"], "invalid choice: 'offline'"),
])
def test_tf_bootstrap_rejects_options_that_do_not_apply(capsys, option, expected):
    with pytest.raises(SystemExit) as exit_:
        main(["tf", "bootstrap", *option])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "genai-lz tf bootstrap" in err and expected in err


def test_check_says_nothing_was_checked_on_a_plan_with_no_resource(capsys, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"format_version": "1.2", "terraform_version": "1.9.0",
                                 "planned_values": {"root_module": {}}, "resource_changes": [],
                                 "configuration": {"root_module": {}}}))
    code, _, err = run(capsys, "check", str(empty), "--output", str(tmp_path / "r.json"))
    assert code in (0, 1)
    assert "nothing was checked: the plan has 0 resources" in err


def test_make_help_lists_the_variables_and_the_envs():
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=repo_root(), capture_output=True, text=True,
                         check=True).stdout
    for variable in ("ROOT", "ENV", "TARGET", "CHECKOV", "FORCE", "SCOPE"):
        assert f"\n  {variable} " in out, variable
    assert " ".join(envs("workload")) in out
