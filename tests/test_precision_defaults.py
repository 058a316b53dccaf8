"""Issue 23 item 3: provider and service defaults (tests/fixtures/tf/precision_defaults).

* A KMS key with rotation on whose ``rotation_period_in_days`` is a module variable that
  defaults to null (terraform-aws-modules/kms): the provider leaves it to KMS, whose period
  is 365 days. Before: unknown ("known only after apply").
* A new S3 bucket with no public access block resource: S3 blocks public access on every
  new bucket by default since April 2023. Before: fail.
"""
from __future__ import annotations

from precision_helpers import check, document, from_document, load, messages, statuses


def test_kms_rotation_period_through_a_null_variable_is_the_provider_default():
    plan = load("precision_defaults")
    key = plan.get("module.kms.aws_kms_key.this")
    assert not key.is_configured("rotation_period_in_days")   # var.rotation_period_in_days is null
    assert key.is_configured("enable_key_rotation")            # var.enable_key_rotation defaults to true
    result = check(plan, ["LZ-SEC-005"])
    assert statuses(result, "LZ-SEC-005") == {"module.kms.aws_kms_key.this": "pass"}
    assert "default is 365 days" in messages(result, "LZ-SEC-005")["module.kms.aws_kms_key.this"]


def test_a_module_call_that_sets_the_variable_still_counts():
    doc = document("precision_defaults")
    call = doc["configuration"]["root_module"]["module_calls"]["kms"]
    call.setdefault("expressions", {})["rotation_period_in_days"] = {"references": ["var.period"]}
    doc["variables"] = {"period": {"value": 400}}
    key = from_document(doc).get("module.kms.aws_kms_key.this")
    assert key.is_configured("rotation_period_in_days")


def test_new_bucket_without_block_passes_on_the_s3_default():
    result = check(load("precision_defaults"), ["LZ-SEC-020"])
    assert statuses(result, "LZ-SEC-020") == {"aws_s3_bucket.new": "pass"}
    assert "April 2023" in messages(result, "LZ-SEC-020")["aws_s3_bucket.new"]


def test_existing_bucket_without_block_still_fails():
    doc = document("precision_defaults")
    for rc in doc["resource_changes"]:
        if rc["address"] == "aws_s3_bucket.new":
            rc["change"]["actions"] = ["no-op"]
            rc["change"]["before"] = dict(rc["change"]["after"])
    result = check(from_document(doc), ["LZ-SEC-020"])
    assert statuses(result, "LZ-SEC-020") == {"aws_s3_bucket.new": "fail"}
