"""Hostile or broken input gets exit 2 with one clear line, never exit 3 or a pass
(issue 17, classes 3 malformed parts, 4 fail closed, 7 resource limits)."""
from __future__ import annotations

import os
import threading

import pytest

from conftest import run_cli
from hardening_plans import PASSING_RULE, change, one_line_error, plan, rule_pack, write

BUCKET = change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "b", "tags": {}})


@pytest.fixture
def no_rules(tmp_path):
    """One rule that passes every bucket: the tests judge the loader, not the pack."""
    return [*rule_pack(tmp_path / "pack", PASSING_RULE), "--output", str(tmp_path / "r.json")]


def _check(tmp_path, document, *args):
    return run_cli("check", write(tmp_path, document), *args)


# -- class 3: malformed configuration, prior_state and state documents -----------------------------

MALFORMED = {
    "configuration.root_module.resources is a string":
        plan([BUCKET], configuration={"root_module": {"resources": "oops"}}),
    "configuration.root_module.module_calls is a list":
        plan([BUCKET], configuration={"root_module": {"module_calls": ["a"]}}),
    "a module_call's module is a number":
        plan([BUCKET], configuration={"root_module": {"module_calls": {"m": {"module": 3}}}}),
    "configuration.provider_config entry is a string":
        plan([BUCKET], configuration={"provider_config": {"aws": "us-east-1"}}),
    "a provider_config region expression is a list":
        plan([BUCKET], configuration={"provider_config": {"aws": {"name": ["aws"]}}}),
    "state resource without an address":
        {"format_version": "1.0", "values": {"root_module": {"resources": [{"type": "aws_s3_bucket"}]}}},
    "state root_module is a list":
        {"format_version": "1.0", "values": {"root_module": []}},
    "state child_modules is an object":
        {"format_version": "1.0", "values": {"root_module": {"child_modules": {"a": {}}}}},
    "prior_state.values.root_module is a string":
        plan([BUCKET], prior_state={"values": {"root_module": "x"}}),
    "planned_values resources is an object":
        plan([BUCKET], planned_values={"root_module": {"resources": {"a": 1}}}),
    "variables entry is a string":
        plan([BUCKET], variables={"region": "us-east-1"}),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_parts_exit_2_naming_the_json_path(tmp_path, no_rules, name):
    result = _check(tmp_path, MALFORMED[name], *no_rules)
    assert result.code == 2, (name, result.err)
    line = one_line_error(result)
    assert "at " in line


def test_malformed_parts_exit_2_with_the_builtin_pack_too(tmp_path):
    for i, name in enumerate(sorted(MALFORMED)):
        result = run_cli("check", write(tmp_path, MALFORMED[name], f"p{i}.json"), "--output", tmp_path / f"r{i}.json")
        assert result.code == 2, (name, result.err)
        one_line_error(result)


# -- class 4: fail closed ---------------------------------------------------------------------------

def test_errored_plan_is_refused(tmp_path, no_rules):
    result = _check(tmp_path, plan([BUCKET], errored=True), *no_rules)
    assert result.code == 2
    assert "errored" in one_line_error(result)
    assert not (tmp_path / "r.json").exists()


def test_errored_false_is_judged(tmp_path, no_rules):
    assert _check(tmp_path, plan([BUCKET], errored=False), *no_rules).code == 0


def test_empty_resource_changes_beside_planned_resources_is_refused(tmp_path, no_rules):
    planned = {"root_module": {"child_modules": [{"address": "module.m", "resources": [
        {"address": "module.m.aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
         "values": {"bucket": "b"}}]}]}}
    result = _check(tmp_path, plan([], planned_values=planned), *no_rules)
    assert result.code == 2
    assert "module.m.aws_s3_bucket.b" in one_line_error(result)


def test_planned_values_matching_resource_changes_is_judged(tmp_path, no_rules):
    planned = {"root_module": {"resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "values": {}},
        {"address": "data.aws_region.r", "mode": "data", "type": "aws_region", "name": "r", "values": {}}]}}
    assert _check(tmp_path, plan([BUCKET], planned_values=planned), *no_rules).code == 0


def test_duplicate_addresses_are_refused(tmp_path, no_rules):
    second = change("aws_s3_bucket.b", "aws_s3_bucket", {"bucket": "other"})
    result = _check(tmp_path, plan([BUCKET, second]), *no_rules)
    assert result.code == 2
    assert "more than once" in one_line_error(result)


def test_duplicate_hiding_a_failure_cannot_pass_with_the_pack(tmp_path):
    """The first copy passes LZ-REL-006, the second (dropped before) fails it: exit 2, not 0."""
    good = change("aws_s3_bucket_versioning.v", "aws_s3_bucket_versioning",
                  {"bucket": "b", "versioning_configuration": [{"status": "Enabled"}]})
    bad = change("aws_s3_bucket_versioning.v", "aws_s3_bucket_versioning",
                 {"bucket": "b", "versioning_configuration": [{"status": "Suspended"}]})
    result = _check(tmp_path, plan([good, bad]), "--output", tmp_path / "r.json")
    assert result.code == 2


# -- class 7: resource limits ------------------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused(tmp_path, no_rules):
    result = run_cli("check", "/dev/zero", *no_rules)
    assert result.code == 2
    assert "not a regular file" in one_line_error(result)


def test_fifo_is_refused_without_blocking(tmp_path, no_rules):
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(run_cli("check", fifo, *no_rules)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader so the test process can end, then fail
        with open(fifo, "w"):
            pass
        pytest.fail("check blocked on a FIFO")
    assert outcome[0].code == 2
    assert "not a regular file" in one_line_error(outcome[0])


def test_directory_is_refused(tmp_path, no_rules):
    result = run_cli("check", tmp_path, *no_rules)
    assert result.code == 2
    assert "directory" in one_line_error(result)


def test_input_size_limit(tmp_path, no_rules):
    path = write(tmp_path, plan([BUCKET]))
    size = path.stat().st_size
    refused = run_cli("check", path, "--max-input-size", str(size - 1), *no_rules)
    assert refused.code == 2
    assert "--max-input-size" in one_line_error(refused)
    assert run_cli("check", path, "--max-input-size", str(size), *no_rules).code == 0
    assert run_cli("check", path, "--max-input-size", "1KiB", *no_rules).code == (0 if size <= 1024 else 2)


def test_bad_size_flag_is_a_usage_error(tmp_path, no_rules):
    path = write(tmp_path, plan([BUCKET]))
    assert run_cli("check", path, "--max-input-size", "lots", *no_rules).code == 2


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", ".NaN"])
@pytest.mark.parametrize("kind", ["usage", "prices"])
def test_non_finite_numbers_in_usage_and_prices_are_refused(tmp_path, no_rules, kind, number):
    from conftest import POLICIES

    if kind == "usage":
        data = f"version: 1\ntypes:\n  aws_s3_bucket:\n    storage_gb: {number}\n"
    else:
        text = (POLICIES / "prices.yaml").read_text()
        import re

        data, n = re.subn(r"(price:\s*)[0-9.]+", lambda m: m.group(1) + number, text, count=1)
        assert n == 1
    path = tmp_path / f"{kind}.yaml"
    path.write_text(data)
    result = _check(tmp_path, plan([BUCKET]), *no_rules, f"--{kind}", path)
    assert result.code == 2, result.err
    assert "not a finite number" in one_line_error(result)


def test_special_file_as_data_file_is_refused(tmp_path, no_rules):
    fifo = tmp_path / "waivers.fifo"
    os.mkfifo(fifo)
    result = _check(tmp_path, plan([BUCKET]), *no_rules, "--waivers", fifo)
    assert result.code == 2
    assert "not a regular file" in one_line_error(result)


def _nested_json(depth, leaf):
    return '{"a":[' * depth + leaf + "]}" * depth


def test_deeply_nested_sensitive_values_are_exit_2_not_a_crash(tmp_path, no_rules):
    """Nesting below orjson's limit but beyond Python's stack: exit 2, never exit 3."""
    text = ('{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", '
            '"name": "b", "change": {"actions": ["create"], "after": {"bucket": "b", "tags": '
            + _nested_json(480, '"x"') + '}, "after_sensitive": {"tags": ' + _nested_json(480, "true") + "}}}]}")
    result = run_cli("check", write(tmp_path, text), *no_rules)
    assert result.code == 2
    assert "nested too deeply" in one_line_error(result)


def test_long_error_lines_are_cut(tmp_path, no_rules):
    bad = plan([{"address": "x" * 50_000, "type": 5, "change": {"actions": ["create"]}}])
    result = _check(tmp_path, bad, *no_rules)
    assert result.code == 2
    assert len(one_line_error(result)) <= 2100
