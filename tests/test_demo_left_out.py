"""What the demo's emulator apply leaves out of the log-archive and audit roots, and why.

The audit root switches the services the emulator lacks off with `local_emulator = true`
(real offline plans of the root, with and without the flag), and so does the log-archive root
for its server access logging (create_access_logging)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks.ops import demo as demo_module
from checks.ops import emulator, workspace
from checks.ops.terraform import TerraformRunner, planned_addresses, write_cli_config
from checks.ops.workspace import Workspace
from test_landing_zone_gate import BUILD


def _plan(*addresses: str) -> dict:
    return {"resource_changes": [{"address": a, "mode": "managed", "change": {"actions": ["create"]}}
                                 for a in addresses]}


class PlanRunner:
    """TerraformRunner stand-in for Demo._apply: the emulator plan is ``local``; records the calls."""

    def __init__(self, ws: Workspace, local: dict) -> None:
        self.ws, self.local, self.calls = ws, local, []

    def plan(self, out: Path, extra=None):
        self.calls.append(("plan", dict(extra or {})))

    def show_json(self, plan_file: Path) -> dict:
        return self.local

    def apply(self, plan_file: Path):
        self.calls.append(("apply",))

    def state_list(self) -> list[str]:
        return ["data.aws_region.current", *planned_addresses(self.local)]


@pytest.fixture()
def build(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path / "build")
    (tmp_path / "build").mkdir()


def _apply(root: str, full: dict, local: dict) -> tuple[demo_module.Row, PlanRunner]:
    row = demo_module.Row(Workspace.of(root, None, "local"))
    row.ws.plan_json().write_text(json.dumps(full))
    runner = PlanRunner(row.ws, local)
    demo_module.Demo([])._apply(runner, row)  # type: ignore[arg-type]
    return row, runner


LOGGING = "module.log_archive.aws_s3_bucket_logging.logs[0]"
LOG_ARCHIVE = ["module.log_archive.aws_kms_key.this[0]", "module.log_archive.aws_s3_bucket.logs[0]", LOGGING]


def test_what_the_emulator_plan_keeps_is_applied_and_the_rest_listed_with_its_reason(build):
    row, runner = _apply("log-archive", _plan(*LOG_ARCHIVE), _plan(*LOG_ARCHIVE[:2]))
    assert runner.calls == [("plan", {"local_emulator": "true"}), ("apply",)]
    assert row.left_out == [(LOGGING, emulator.UNSUPPORTED["aws_s3_bucket_logging"])] and row.applied == 2


def test_audit_lists_each_service_left_out_with_its_reason(build):
    detector = "module.security_services_1.aws_guardduty_detector.this[0]"
    organization = "module.security_services_1.aws_guardduty_organization_configuration.this[0]"
    aggregator = "module.security_services_1.aws_config_configuration_aggregator.this[0]"
    row, runner = _apply("audit", _plan(detector, organization, aggregator), _plan(aggregator))
    assert len([c for c in runner.calls if c[0] == "plan"]) == 1
    assert dict(row.left_out) == {
        detector: emulator.SAME_TOGGLE,
        organization: emulator.UNSUPPORTED["aws_guardduty_organization_configuration"],
    }
    assert row.applied == 1


def _types(plan: dict) -> set[str]:
    return {demo_module._rtype(a) for a in planned_addresses(plan)}


def _plans(root: str) -> tuple[dict, dict]:
    """The offline plans of the root as checked and with local_emulator = true (what the demo's
    apply plans); both made here (a cached build/<root>-<env>.plan.json may predate the code)."""
    write_cli_config()
    ws = Workspace.of(root, None, "offline")
    tf = TerraformRunner(ws, emulator.offline_env())
    tf.init()
    plans = []
    for extra in ({}, {"local_emulator": "true"}):
        plan = BUILD / f"{ws.name}.left-out-test.tfplan"
        tf.plan(plan, extra)
        try:
            plans.append(tf.show_json(plan))
        finally:
            plan.unlink(missing_ok=True)
    return plans[0], plans[1]


def test_local_emulator_leaves_out_of_audit_only_what_the_emulator_lacks():
    full, local = _plans("audit")
    left = _types(full) - _types(local)
    assert left == {"aws_guardduty_detector", "aws_guardduty_organization_configuration",
                    "aws_guardduty_organization_configuration_feature", "aws_securityhub_account",
                    "aws_securityhub_organization_configuration", "aws_accessanalyzer_analyzer"}, left
    # every one has its reason; the detector only shares create_guardduty with the organization configuration
    assert left - set(emulator.UNSUPPORTED) == {"aws_guardduty_detector"}
    assert {"aws_config_configuration_aggregator", "aws_iam_role"} <= _types(local)
    assert not set(planned_addresses(local)) - set(planned_addresses(full))


def test_local_emulator_leaves_out_of_log_archive_only_its_access_logging():
    full, local = _plans("log-archive")
    assert set(planned_addresses(full)) - set(planned_addresses(local)) == {
        "module.log_archive.module.log_bucket.aws_s3_bucket_logging.this[0]"}
    assert not set(planned_addresses(local)) - set(planned_addresses(full))
