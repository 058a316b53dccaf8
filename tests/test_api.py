"""checks.api.run_check: the one check pipeline, called in-process."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from checks import cost
from checks.api import CheckOptions, run_check
from checks.errors import LzError
from conftest import POLICIES
from test_cost import EXAMPLE_PRICES, EXAMPLE_USAGE, endpoints_plan, write

LZ001 = POLICIES / "security" / "LZ-SEC-001_bedrock_runtime_privatelink"


@pytest.fixture
def lz001_only(tmp_path):
    root = tmp_path / "pack"
    (root / "security").mkdir(parents=True)
    (root / "security" / LZ001.name).symlink_to(LZ001)
    return {"policies": [str(root)], "builtin_rules": False}


def test_verdict_and_exit_code(tmp_path, lz001_only):
    passed = run_check(LZ001 / "pass.json", CheckOptions(write=False, **lz001_only))
    failed = run_check(LZ001 / "fail.json", CheckOptions(write=False, **lz001_only))
    assert (passed.passed, passed.exit_code) == (True, 0)
    assert (failed.passed, failed.exit_code) == (False, 1)
    assert any(f.rule_id == "LZ-SEC-001" and f.status.value == "fail" for f in failed.result.findings)
    assert failed.reports == [] and not list(tmp_path.glob("*.json"))


def test_reports_written_where_asked(tmp_path, lz001_only):
    out = tmp_path / "reports"
    run = run_check(LZ001 / "fail.json", CheckOptions(formats=("json", "markdown"), output=out, **lz001_only))
    assert sorted(p.name for p in run.reports) == ["report.json", "report.md"]
    assert json.loads((out / "report.json").read_text())["verdict"]["passed"] is False


def test_estimate_is_a_field_of_the_result_and_the_one_the_rules_read(tmp_path):
    prices, usage = tmp_path / "prices.yaml", tmp_path / "usage.yaml"
    prices.write_text(EXAMPLE_PRICES)
    usage.write_text(EXAMPLE_USAGE)
    plan_file = write(tmp_path / "pilot.plan.json", endpoints_plan())
    run = run_check(plan_file, CheckOptions(prices=str(prices), usage=str(usage), builtin_rules=False, write=False))
    # the given prices and usage, not the defaults, over params' 730-hour month (1037.28 at 720 h)
    assert run.estimate.planned == Decimal("1047.12")
    assert run.result.extra["cost"]["totals"]["planned"] == 1047.12
    plan = run.result.plan
    # the cost rules ask with their params only and get the same estimate (one per-plan cache)
    assert cost.estimate_for(plan, {}) is run.estimate
    assert not [name for name in vars(plan) if "cost" in name]  # nothing set onto the Plan object


def test_invalid_input_is_an_lz_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(LzError):
        run_check(bad, CheckOptions(write=False))
