"""checkov's checks on the already-loaded plan (checks/integrations/checkov_fast.py) find exactly what
checkov's own plan Runner finds.

The fast path runs in a fresh process (as `genai-lz check --checkov` does: only the checks
the plan needs are imported); the reference, checkov's ``terraform_plan`` Runner reading the
plan file (``checkov_bridge.reference_records``, kept only for this comparison), runs here.
Every field of every finding is compared: check id, address, status, message, evidence
path, value and via, severity, pillar, title, remediation.

Plans: the landing zone's own dev and prod plans (`make lz-plans`), the dev plan replicated
three times (~400 resources), the iam-s3 benchmark shape with 40 keys (281 resources), and
the checkov fixtures (unknown values, module instances, policies judged through their
documents).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checks import plan as plan_module
from checks.integrations import checkov_bridge, checkov_fast
from checks.model import Status
from conftest import FIXTURES, REPO
from tests.benchmarks import generate

CHECKOV_FIXTURES = FIXTURES / "checkov"
BUILD = REPO / "build"


def _plans(tmp: Path) -> dict[str, Path]:
    plans = {name: CHECKOV_FIXTURES / f"{name}.plan.json" for name in ("mixed", "iamdoc", "trail")}
    for env in ("dev", "prod"):
        path = BUILD / f"workload-{env}.plan.json"
        if path.is_file():  # written by `make lz-plans` (make test runs it first)
            plans[f"workload-{env}"] = path
    if generate.DEV_PLAN.is_file():
        plans["landing-zone-x3"] = generate.build("landing-zone", 0, generate.DEV_PLAN, tmp, units=3)
    plans["iam-s3-x40"] = generate.build("iam-s3", 0, None, tmp, units=40)
    return plans


FINDINGS = """
import dataclasses, json, sys
from checks import engine, plan as plan_module
from checks.integrations import checkov_bridge
params = engine.load_policy_data().params
reference = sys.argv[2] == "reference"
out = {}
for name, path in json.loads(sys.argv[1]).items():
    findings, evidence = checkov_bridge.run(plan_module.load(path), params, [], reference=reference)
    out[name] = {"findings": [json.loads(json.dumps(dataclasses.asdict(f), default=str, sort_keys=True))
                              for f in findings],
                 "loaded": sorted(m for m in sys.modules if m.startswith("checkov.terraform.checks.resource."))}
print(json.dumps(out))
"""


def _findings_of(plans: dict[str, Path], mode: str) -> dict[str, dict]:
    """Findings of the fast path or of checkov's Runner, each in a fresh process: the fast path
    as `genai-lz check --checkov` runs it (only the checks the plan needs imported). The same
    hash seed in both, because checkov lists some evaluated keys in set order."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(FINDINGS), json.dumps({k: str(v) for k, v in plans.items()}),
                           mode], capture_output=True, text=True, cwd=REPO, timeout=1800, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def fast(tmp_path_factory) -> tuple[dict[str, Path], dict[str, dict]]:
    plans = _plans(tmp_path_factory.mktemp("plans"))
    return plans, _findings_of(plans, "fast")


@pytest.fixture(scope="module")
def reference(fast) -> dict[str, dict]:
    return _findings_of(fast[0], "reference")


PLANS = ["mixed", "iamdoc", "trail", "workload-dev", "workload-prod", "landing-zone-x3", "iam-s3-x40"]


@pytest.mark.parametrize("name", PLANS)
def test_fast_path_finds_exactly_what_checkovs_runner_finds(fast, reference, name):
    plans, results = fast
    if name not in plans:
        pytest.skip(f"{name}: run `make lz-plans` first (make test does)")
    expected = sorted(reference[name]["findings"], key=lambda f: (f["rule_id"], f["address"]))
    got = sorted(results[name]["findings"], key=lambda f: (f["rule_id"], f["address"]))
    assert len(expected) > 0
    assert [(f["rule_id"], f["address"], f["status"]) for f in got] == \
        [(f["rule_id"], f["address"], f["status"]) for f in expected]
    assert got == expected


def test_the_fast_path_imports_only_the_checks_the_plan_needs(fast):
    _, results = fast
    loaded = results["trail"]["loaded"]  # after all the plans: the types of all of them
    assert 0 < len([m for m in loaded if ".aws." in m]) < 200
    assert not [m for m in loaded if ".azure." in m or ".gcp." in m]


def test_after_the_fast_path_the_runner_still_has_every_check():
    """The deferred package inits run when the Runner (or the catalog) needs all of checkov."""
    code = """
        from checks import plan as plan_module
        from checks.integrations import checkov_bridge
        checkov_bridge.run(plan_module.load(r"%s"), {}, [])
        from checkov.terraform.checks.resource.registry import resource_registry
        before = len({c.id for _, c in resource_registry.all_checks()})
        checkov_bridge._import()
        after = {c.id for _, c in resource_registry.all_checks()}
        assert before < len(after) and "CKV_AZURE_1" in after and "CKV_GCP_1" in after, (before, len(after))
    """ % (CHECKOV_FIXTURES / "trail.plan.json")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_index_is_the_installed_checkovs():
    """checks/integrations/checkov_index.json must be rewritten (python -m checks.integrations.checkov_bridge) with checkov."""
    checkov_bridge._import()

    def content(index):
        # the same modules, types and graph queries; registration order follows checkov's import
        # order, which is the file system's order of its check folders and differs between installs
        return {key: sorted(json.dumps(item, sort_keys=True) for item in value) if isinstance(value, list) else value
                for key, value in index.items()}

    assert content(json.loads(checkov_fast.INDEX_FILE.read_text())) == content(checkov_fast.build_index())


def test_lifecycle_checks_are_dropped_as_the_runner_drops_them():
    checkov_bridge._import()
    from checkov.terraform.plan_runner import TF_LIFECYCLE_CHECK_IDS

    assert checkov_fast.TF_LIFECYCLE_CHECK_IDS == frozenset(TF_LIFECYCLE_CHECK_IDS)


def test_values_known_only_after_apply_never_pass(fast):
    """Unknown handling is the bridge's, on the fast path's records: a pass or fail that rests
    on an attribute Terraform knows only after apply is unknown (or passes via a planned
    resource it refers to), never a plain pass."""
    plans, results = fast
    checked = 0
    for name, result in results.items():
        plan = plan_module.load(plans[name])
        for f in result["findings"]:
            resource = plan.get(f["address"])
            if resource is None or not f["path"] or f["status"] != Status.PASS.value or f["via"]:
                continue
            checked += 1
            unknown = [p for p in f["path"].split(", ") if resource.is_unknown(tuple(
                int(x) if x.isdigit() else x for x in p.split(".")))]
            assert not unknown, (name, f["rule_id"], f["address"], unknown)
    assert checked > 100
    unknown = {(f["rule_id"], f["address"]) for f in results["mixed"]["findings"] if f["status"] == "unknown"}
    assert ("CKV_AWS_24", "aws_vpc_security_group_ingress_rule.unknown") in unknown


# --------------------------------------------------------------------------------------
# the memo


def test_tracked_configuration_records_reads_writes_and_whole_reads():
    entity = checkov_fast._Entity({"a": [1], "b": [{"c": [2]}], "d": ["x"]})
    tracked = checkov_fast._Tracked(entity)
    assert tracked.get("a") == [1] and "z" not in tracked and tracked["b"][0]["c"] == [2]
    assert list(tracked.reads) == ["a", "z", "b"] and not tracked.everything and not tracked.wrote
    list(tracked.items())
    assert tracked.everything and not tracked.wrote
    tracked["e"] = 1
    assert tracked.wrote
    assert entity.config == {"a": [1], "b": [{"c": [2]}], "d": ["x"]}  # the write went to the copy


def test_memo_reuses_a_verdict_only_for_equal_read_values():
    memo = checkov_fast._Memo()

    def run(config: dict, block: tuple[str, str] = ("aws_x", "this")) -> dict | None:
        entity = checkov_fast._Entity(config)
        found = memo.lookup("X", entity, block)
        if found is not None:
            return found
        tracked = checkov_fast._Tracked(entity)
        result = {"result": "PASSED" if tracked.get("enabled") == [True] else "FAILED", "evaluated_keys": ["enabled"]}
        memo.store("X", entity, tracked, result, block)
        return None

    assert run({"enabled": [True], "name": ["a"]}) is None
    assert run({"enabled": [True], "name": ["b"]})["result"] == "PASSED"  # name not read: reused
    assert run({"enabled": [1], "name": ["c"]}) is None  # 1 is not True for the memo
    assert run({"name": ["d"]}) is None
    # another block name or type: run (checkov's IAM checks cache policies by type and name)
    assert run({"enabled": [True]}, ("aws_x", "other")) is None
    assert run({"enabled": [True]}, ("aws_y", "this")) is None
    assert memo.hits == 1


def test_value_checks_are_keyed_on_the_inspected_path_only():
    checkov_bridge._import()
    from checkov.terraform.checks.resource.aws.CloudtrailLogValidation import check

    memo = checkov_fast._Memo()
    paths = memo.paths_of(check, "aws_cloudtrail")
    assert paths == (("enable_log_file_validation",),)
    one = checkov_fast._Entity({"enable_log_file_validation": [True], "name": ["a"], "tags": [{"x": "1"}]})
    two = checkov_fast._Entity({"enable_log_file_validation": [True], "name": ["b"]})
    three = checkov_fast._Entity({"enable_log_file_validation": [False], "name": ["a"]})
    assert memo.value_key(check, one, paths) == memo.value_key(check, two, paths) != memo.value_key(check, three, paths)


def test_a_value_checks_path_is_the_one_for_the_blocks_type():
    """CKV_AWS_88 inspects another key on an instance than on a launch template: the memo
    asks for the key of the block's type, whatever type the check last ran on."""
    checkov_bridge._import()
    from checkov.terraform.checks.resource.aws.EC2PublicIP import check

    memo = checkov_fast._Memo()
    check.entity_type = "aws_launch_template"  # left over from an earlier run
    assert memo.paths_of(check, "aws_instance") == (("associate_public_ip_address",),)
    assert memo.paths_of(check, "aws_launch_template") == (("network_interfaces", "associate_public_ip_address"),)
    public = checkov_fast._Entity({"associate_public_ip_address": [True], "network_interfaces": [{}]})
    private = checkov_fast._Entity({"associate_public_ip_address": [False], "network_interfaces": [{}]})
    paths = memo.paths_of(check, "aws_instance")
    assert memo.value_key(check, public, paths, "aws_instance") != memo.value_key(check, private, paths, "aws_instance")


def test_projection_keeps_keys_that_dpath_would_split_whole():
    """dpath joins a path with "/": a map key holding one can match the inspected path in
    checkov's fallback search, so the part kept for the memo holds it whole."""
    paths = (("a", "b", "c"),)
    start = frozenset({(0, 0)})
    one = checkov_fast._projection({"a": [{"b/c": [True]}]}, paths, start)
    two = checkov_fast._projection({"a": [{"b/c": [False]}]}, paths, start)
    assert one != two
    assert checkov_fast._projection({"a": [{"x": [1]}], "z": 1}, paths, start) == \
        checkov_fast._projection({"a": [{"x": [2]}], "z": 2}, paths, start)


RUN = dict(scanned_file="/plan.json", graph=None, unknown="UNKNOWN")


def _run_all(check, configs: list[tuple[str, dict]], memo) -> list[str]:
    with checkov_fast._static_dynamic_blocks(), checkov_fast._value_scans_read_along():
        return [str(checkov_fast._run_check(check, checkov_fast._Entity(config), name, "aws_kms_key",
                                            memo=memo, **RUN)["result"]) for name, config in configs]


def test_a_check_that_ends_in_a_value_scan_is_memoised_on_what_it_reads():
    """CKV_AWS_7 reads customer_master_key_spec, then hands the configuration to the value
    scan (dpath over all of it): the scan counts as a read of enable_key_rotation only, so
    keys that differ elsewhere reuse the verdict, and the verdicts equal checkov's own."""
    checkov_bridge._import()
    from checkov.terraform.checks.resource.aws.KMSRotation import check

    configs = [("this", {"enable_key_rotation": [True], "description": ["a"], "policy": ["{}"]}),
               ("this", {"enable_key_rotation": [True], "description": ["b"], "policy": ["{\"x\": 1}"]}),
               ("this", {"enable_key_rotation": [False], "description": ["a"]}),
               ("this", {"description": ["c"]}),
               ("this", {"enable_key_rotation": [True], "customer_master_key_spec": ["RSA_2048"]}),
               ("this", {"enable_key_rotation": [False], "customer_master_key_spec": ["HMAC_256"]}),  # "HMAC" not in the list
               ("this", {"enable_key_rotation": [False], "description": ["d"]})]
    memo = checkov_fast._Memo()
    got = _run_all(check, configs, memo)
    assert got == _run_all(check, configs, None)  # checkov's own verdicts
    assert got == ["CheckResult.PASSED", "CheckResult.PASSED", "CheckResult.FAILED", "CheckResult.FAILED",
                   "CheckResult.UNKNOWN", "CheckResult.UNKNOWN", "CheckResult.FAILED"]
    assert (memo.hits, memo.runs) == (2, 5)
