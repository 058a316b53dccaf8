"""`make plan` prints what to review (Terraform's summary, what it replaces or destroys)
and writes the human-readable plan next to the JSON; `make check` says how much ran and
where the reports went; errors name the command that fixes them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checks.errors import LzError
from checks.ops import operations, review, workspace
from checks.ops.operations import Context, Request
from checks.ops.workspace import Workspace, repo_root

SMALL_PLAN = repo_root() / "policies" / "operational_excellence" / "LZ-OPS-001_log_group_retention" / "pass.json"


def change(address: str, *actions: str) -> dict:
    return {"address": address, "mode": "managed", "type": address.split(".")[-2],
            "change": {"actions": list(actions)}}


PLAN = {"resource_changes": [
    change("aws_s3_bucket.new", "create"),
    change("aws_iam_role.edit", "update"),
    change("aws_kms_key.swap", "delete", "create"),
    change("module.net.aws_vpc.gone", "delete"),
    change("aws_sns_topic.same", "no-op"),
    {"address": "data.aws_caller_identity.me", "mode": "data", "change": {"actions": ["read"]}},
]}


def test_review_lists_the_summary_and_every_replace_and_destroy():
    text = "...\nPlan: 2 to add, 1 to change, 2 to destroy.\n"
    lines = review.review_lines(PLAN, text)
    assert lines[0] == "Plan: 2 to add, 1 to change, 2 to destroy."
    assert "  REPLACE  aws_kms_key.swap" in lines
    assert "  DESTROY  module.net.aws_vpc.gone" in lines
    assert not any("aws_s3_bucket.new" in line or "aws_iam_role.edit" in line for line in lines)


def test_review_computes_terraforms_summary_when_the_text_has_none():
    assert review.summary_line(PLAN, "") == "Plan: 2 to add, 1 to change, 2 to destroy."
    assert review.summary_line({"resource_changes": []}, "").startswith("No changes.")


class FakeTf:
    """The driver calls `make plan` makes, on the small fixture plan."""

    def __init__(self, ws: Workspace) -> None:
        self.ws, self.calls = ws, []

    def init(self):
        self.calls.append("init")

    def plan(self, out: Path, extra=None):
        self.calls.append(("plan", dict(extra or {})))
        out.write_text("binary plan")

    def write_plan_json(self, plan_file: Path, json_file: Path) -> dict:
        shutil.copy(SMALL_PLAN, json_file)
        return json.loads(SMALL_PLAN.read_text())

    def show_text(self, plan_file: Path) -> str:
        return "  # aws_cloudwatch_log_group.pass will be created\nPlan: 1 to add, 0 to change, 0 to destroy.\n"


@pytest.fixture()
def build(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path / "build")
    (tmp_path / "build").mkdir()
    monkeypatch.setattr(Workspace, "report_dir", property(lambda self: tmp_path / "reports" / self.name))
    return tmp_path / "build"


def run_with_fake(name: str, request: Request, target: str = "offline") -> tuple[int, list[str], FakeTf]:
    said: list[str] = []
    request = Request(**{**request.__dict__, "say": said.append})
    ws = Workspace.of(request.root, request.env, target)
    fake = FakeTf(ws)
    code = operations.OPERATIONS[name].run(Context(request, ws, fake))  # type: ignore[arg-type]
    return code, said, fake


def test_plan_prints_the_summary_and_writes_the_plan_text(build):
    code, said, _ = run_with_fake("plan", Request(env="dev", target="offline"))
    assert code == 0
    text = build / "workload-dev.plan.txt"
    assert text.read_text().startswith("  # aws_cloudwatch_log_group.pass will be created")
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in said
    assert any("review the full plan in" in line and str(text) in line for line in said), said


def test_check_says_how_many_rules_ran_where_the_reports_are_and_when_nothing_was_checked(build):
    empty = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}},
             "resource_changes": [], "configuration": {"root_module": {}}}
    (build / "workload-dev.plan.json").write_text(json.dumps(empty))
    code, said, _ = run_with_fake("check", Request(env="dev"))
    assert code in (0, 1)
    joined = "\n".join(said)
    assert "nothing was checked" in joined and "0 resources" in joined
    assert "lens rules" in joined and "CHECKOV=1" in joined
    reports = [line for line in said if line.startswith("reports in ")]
    assert reports and all(f" report.{ext}" in reports[0] for ext in ("json", "md", "html", "sarif", "xml"))


def test_check_before_the_plan_names_the_make_plan_of_that_root(build):
    with pytest.raises(LzError, match=r"run `make plan ROOT=organization` first"):
        operations.run("check", Request(root="organization"))


def test_apply_without_a_plan_says_run_make_plan_even_offline(build, monkeypatch):
    monkeypatch.setattr(operations, "resolve_target", lambda requested: "offline")
    with pytest.raises(LzError, match=r"run `make plan ENV=dev` and review it first"):
        operations.run("apply", Request(env="dev"))
    (build / "workload-dev.tfplan").write_text("plan")
    monkeypatch.setattr(operations, "write_cli_config", lambda: build / "terraform.rc")
    monkeypatch.setattr(operations, "ensure_terraform", lambda: (1, 9, 0))
    with pytest.raises(LzError, match="offline plan is for checks only"):
        operations.run("apply", Request(env="dev"))


def test_an_unknown_env_lists_the_envs_that_exist():
    with pytest.raises(LzError, match=r"unknown env 'stage' for root workload .*choose ENV=dev \| .*prod"):
        Workspace.of("workload", "stage", "offline")


def test_check_of_a_local_plan_says_what_it_left_out(build):
    plan = json.loads(SMALL_PLAN.read_text())
    plan["variables"] = {"local_emulator": {"value": "true"}}
    (build / "workload-dev.plan.json").write_text(json.dumps(plan))
    _, said, _ = run_with_fake("check", Request(env="dev"))
    assert any("made with TARGET=local" in line and "TARGET=offline" in line for line in said), said
    (build / "workload-dev.plan.json").write_text(SMALL_PLAN.read_text())
    _, said, _ = run_with_fake("check", Request(env="dev"))
    assert not any("made with TARGET=local" in line for line in said)
