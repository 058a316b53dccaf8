"""A checkov check that raises is an unknown finding with the error, and stderr stays
clean (issue 17, class 6)."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli
from hardening_plans import change, plan, write


@pytest.fixture
def crashing_check(monkeypatch):
    pytest.importorskip("checkov")
    from checks.integrations import checkov_bridge

    checkov_bridge._import()
    from checkov.terraform.checks.resource.registry import resource_registry

    check = next(c for c in resource_registry.checks["aws_s3_bucket"] if c.id == "CKV_AWS_93")

    def scan_resource_conf(conf):
        raise KeyError("identifiers")

    monkeypatch.setattr(check, "scan_resource_conf", scan_resource_conf)
    return check.id


def _bucket_plan():
    buckets = [change(f"module.m.aws_s3_bucket.{n}", "aws_s3_bucket", {"bucket": n, "tags": {}}) for n in ("a", "b")]
    for rc in buckets:
        rc["module_address"] = "module.m"
    planned = {"root_module": {"child_modules": [{"address": "module.m", "resources": [
        {"address": rc["address"], "mode": "managed", "type": "aws_s3_bucket", "name": rc["name"],
         "provider_name": rc["provider_name"], "values": rc["change"]["after"], "sensitive_values": {}}
        for rc in buckets]}]}}
    return plan(buckets, planned_values=planned)


def test_crashing_checkov_check_is_an_unknown_finding(tmp_path, crashing_check):
    out = tmp_path / "r.json"
    result = run_cli("check", write(tmp_path, _bucket_plan()), "--checkov", "--output", out)
    assert result.code in (0, 1)
    assert "Traceback" not in result.err and "Failed to run check" not in result.err, result.err
    document = json.loads(out.read_text())
    crashed = {f["address"]: f for f in document["findings"] if f["rule_id"] == crashing_check}
    assert set(crashed) == {"module.m.aws_s3_bucket.a", "module.m.aws_s3_bucket.b"}
    for finding in crashed.values():
        assert finding["status"] == "unknown"
        assert "KeyError: 'identifiers'" in finding["message"]
    assert document["evidence"]["checkov"]["check_errors"] == 2


def test_root_logger_is_restored(tmp_path, crashing_check):
    import logging

    before = (logging.getLogger().handlers[:], logging.getLogger().level)
    run_cli("check", write(tmp_path, _bucket_plan()), "--checkov", "--output", tmp_path / "r.json")
    assert (logging.getLogger().handlers, logging.getLogger().level) == before
