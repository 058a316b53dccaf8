"""The benchmark machinery at its smallest size, so that `make bench` cannot rot.

Generated plans must validate and load, keep every reference inside its own replica, and
give N times the per-resource findings of one replica. One timed run of the real console
script goes through the runner's measuring code. No assertion on any time.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import orjson
import pytest

from checks import plan as plan_module
from checks import registry
from checks.schema import validate_plan
from tests.benchmarks import generate, run

REPO = Path(__file__).resolve().parent.parent
REPORT_FIXTURE = REPO / "tests" / "fixtures" / "report" / "plan.json"
SEEDS = [pytest.param(REPORT_FIXTURE, id="report-fixture")]
if generate.DEV_PLAN.is_file():  # written by `make plan ENV=dev`
    SEEDS.append(pytest.param(generate.DEV_PLAN, id="workload-dev"))

# a replica shows as its module instance, or in names (genai-dev-r<i>, see generate._renamer)
REPLICA_RE = re.compile(r"module\.replica\[(\d+)\]|-r(\d+)\b")
KEY_RE = re.compile(r"n\d{6}")
PLAN_LEVEL = plan_module.ROOT_ADDRESS
# Plan-scope rules judge the plan as a whole (e.g. LZ-COST-101: the whole plan's cost against
# each budget), so their verdicts depend on how many replicas there are: they are compared
# by rule id only. Resource-scope findings must be the same in every replica.
PLAN_SCOPE_RULES = frozenset(r.id for r in registry.load_rules([]) if r.scope == "plan")


def _findings(plan: Path, tmp_path: Path, name: str) -> list[dict]:
    """Findings of one whole-process `genai-lz check` (the runner's timed command)."""
    report = tmp_path / f"{name}.json"
    measured = run.timed(run.genai_lz_cmd(plan, report))
    assert measured.exit_code in run.ACCEPTED_EXITS and measured.rss_mb > 0
    return json.loads(report.read_bytes())["findings"]


def _relative(finding: dict, token_re: re.Pattern[str], unit: str) -> str:
    """The finding with its replica (or key) replaced by a placeholder, as comparable text."""
    return token_re.sub(unit, json.dumps(finding, sort_keys=True))


def _by_unit(findings: list[dict], token_re: re.Pattern[str]) -> tuple[dict[str, Counter], Counter]:
    per_unit: dict[str, Counter] = {}
    plan_level: Counter = Counter()
    for f in findings:
        if f["rule_id"] in PLAN_SCOPE_RULES:
            plan_level[(f["rule_id"], "plan scope")] = 1  # present; the verdict may differ
            continue
        if f["address"] == PLAN_LEVEL:
            plan_level[(f["rule_id"], f["status"])] += 1
            continue
        text = json.dumps(f, sort_keys=True)
        units = {next(g for g in m.groups() if g is not None) if m.groups() else m.group(0)
                 for m in token_re.finditer(text)}
        if not units:  # a resource outside the replicated units (the iam-s3 shape's KMS key)
            plan_level[_relative(f, token_re, "UNIT")] += 1
            continue
        assert len(units) == 1, f"finding mentions several replicas/keys (a reference crossed over): {text[:300]}"
        unit = units.pop()
        per_unit.setdefault(unit, Counter())[_relative(f, token_re, "UNIT")] += 1
    return per_unit, plan_level


@pytest.mark.parametrize("seed", SEEDS)
def test_landing_zone_replicas_scale_findings(seed: Path, tmp_path: Path) -> None:
    one = generate.build("landing-zone", 0, seed, tmp_path, units=1)
    three = generate.build("landing-zone", 0, seed, tmp_path, units=3)
    assert generate.build("landing-zone", 0, seed, tmp_path, units=3) == three  # cached
    seed_plan = plan_module.load(seed)
    document = orjson.loads(three.read_bytes())
    validate_plan(document, str(three))
    loaded = plan_module.load(three)
    assert len(loaded) == 3 * len(seed_plan) == generate.resource_count(three)
    assert {r.module_address.split(".", 2)[1] for r in loaded} == {"replica[0]", "replica[1]", "replica[2]"}
    call = document["configuration"]["root_module"]["module_calls"]["replica"]
    assert call["count_expression"] == {"constant_value": 3}
    # every reference of a replicated resource resolves inside its own replica
    for resource in loaded:
        own = resource.module_address.split(".", 2)[:2]
        for key in (resource.expressions or {}):
            for target in resource.references(key):
                assert target.module_address.split(".", 2)[:2] == own, (resource.address, key, target.address)

    base_units, base_plan_level = _by_unit(_findings(one, tmp_path, "one"), REPLICA_RE)
    units, plan_level = _by_unit(_findings(three, tmp_path, "three"), REPLICA_RE)
    assert list(base_units) == ["0"]
    assert sorted(units) == ["0", "1", "2"]
    for unit, found in units.items():
        assert found == base_units["0"], unit
    assert sum(sum(c.values()) for c in units.values()) == 3 * sum(base_units["0"].values())
    assert set(plan_level) == set(base_plan_level)


def test_iam_s3_keys_scale_findings(tmp_path: Path) -> None:
    two = generate.build("iam-s3", 0, None, tmp_path, units=2)
    five = generate.build("iam-s3", 0, None, tmp_path, units=5)
    plan = plan_module.load(five)
    per_key, fixed = generate.seed_info(orjson.loads(generate.IAM_S3_TEMPLATE.read_bytes()), "iam-s3")
    assert len(plan) == 5 * per_key + fixed
    assert orjson.loads(five.read_bytes())["variables"]["names"]["value"] == [f"n{i:06d}" for i in range(5)]
    policy = plan.get('aws_iam_role_policy.app["n000003"]')
    assert policy is not None and [r.address for r in policy.references("role")] == ['aws_iam_role.app["n000003"]']

    base, base_plan_level = _by_unit(_findings(two, tmp_path, "two"), KEY_RE)
    found, plan_level = _by_unit(_findings(five, tmp_path, "five"), KEY_RE)
    assert len(base) == 2 and len(found) == 5
    assert all(c == base["n000000"] for c in [*base.values(), *found.values()])
    assert plan_level == base_plan_level


def test_sizes_round_up_to_whole_replicas() -> None:
    assert generate.units_for(100, 104) == 1
    assert generate.units_for(10_000, 104) == 97
    assert generate.units_for(1_000, 7, 1) == 143


def test_runner_end_to_end_smallest_size(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    code = run.main(["--sizes", "100", "--shapes", "landing-zone", "--runs", "1", "--no-checkov",
                     "--seed", str(SEEDS[-1].values[0]), "--plans-dir", str(tmp_path / "plans"),
                     "--results", str(results)])
    assert code == 0
    text = results.read_text()
    assert "| landing-zone |" in text and "## Machine" in text and "checkov" in text
    # start-up imports neither checkov nor boto3 nor jinja2 (the table's last column)
    startup = [line for line in text.splitlines() if line.startswith("| `genai-lz")]
    assert len(startup) == 2 and all(line.rstrip().endswith("| none |") for line in startup), startup


def test_start_up_imports_nothing_heavy(tmp_path: Path) -> None:
    plan = generate.build("landing-zone", 0, REPORT_FIXTURE, tmp_path, units=1)
    assert run.heavy_imports(["--help"]) == []
    assert run.heavy_imports(["check", str(plan), "--format", "json", "--output", str(tmp_path / "r.json"), "-q"]) == []
