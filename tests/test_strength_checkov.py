"""A checkov check that evaluated two keys both known only after apply (issue 21): the result
rests on a planned resource only when EVERY unknown key refers to one; one key that refers
to nothing in the plan keeps the finding unknown, whatever checkov said without the values."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from checks import plan as plan_module
from checks.integrations.checkov_bridge import CheckMapping, _to_finding
from checks.model import Status
from cost_plans_helpers import change, config, plan, ref

ADDRESS = "aws_cloudwatch_log_group.lg"
ENTRY = CheckMapping(id="CKV_AWS_158", resource_types=("aws_cloudwatch_log_group",), pillar="security",
                     lens=("GENSEC01-BP03",), severity="high", reference_satisfies=True)


def _log_group(kms_ref: str, name_ref: str):
    changes = [
        change("aws_kms_key.k", "aws_kms_key", {"enable_key_rotation": True}, unknown={"arn": True}),
        change("aws_cloudwatch_log_group.other", "aws_cloudwatch_log_group", {"name": "other"}),
        change(ADDRESS, "aws_cloudwatch_log_group", {"retention_in_days": 90},
               unknown={"kms_key_id": True, "name": True}),
    ]
    resources = [config(ADDRESS, "aws_cloudwatch_log_group", "lg",
                        {"kms_key_id": ref(kms_ref), "name": ref(name_ref)})]
    p = plan_module.loads(json.dumps(plan(changes, resources)))
    return p.get(ADDRESS)


def _record(result: str, keys: list[str]):
    return SimpleNamespace(check_id="CKV_AWS_158", check_name="Ensure that CloudWatch Log Group is encrypted by KMS",
                           resource=ADDRESS, guideline="https://docs.prismacloud.io/ckv-aws-158",
                           check_result={"result": result, "evaluated_keys": keys})


@pytest.mark.parametrize("result", ["PASSED", "FAILED"])
def test_one_of_two_unknown_keys_outside_the_plan_is_unknown(result):
    resource = _log_group("aws_kms_key.k.arn", "data.aws_caller_identity.me.account_id")
    finding = _to_finding(_record(result, ["kms_key_id", "name"]), ENTRY, resource, "medium", "3.3.30")
    assert finding.status is Status.UNKNOWN, finding.message
    assert "kms_key_id, name is known only after apply" in finding.message


@pytest.mark.parametrize("order", [["kms_key_id", "name"], ["name", "kms_key_id"]])
def test_the_order_of_the_keys_does_not_matter(order):
    resource = _log_group("aws_kms_key.k.arn", "var.name")
    finding = _to_finding(_record("FAILED", order), ENTRY, resource, "medium", "3.3.30")
    assert finding.status is Status.UNKNOWN


def test_two_unknown_keys_both_on_planned_resources_rest_on_them():
    resource = _log_group("aws_kms_key.k.arn", "aws_cloudwatch_log_group.other.name")
    finding = _to_finding(_record("FAILED", ["kms_key_id", "name"]), ENTRY, resource, "medium", "3.3.30")
    assert finding.status is Status.PASS and finding.via == "aws_kms_key.k"


def test_without_reference_satisfies_two_planned_references_stay_unknown():
    resource = _log_group("aws_kms_key.k.arn", "aws_cloudwatch_log_group.other.name")
    entry = CheckMapping(id="CKV_AWS_158", resource_types=("aws_cloudwatch_log_group",), pillar="security",
                         lens=(), severity="high")
    finding = _to_finding(_record("PASSED", ["kms_key_id", "name"]), entry, resource, "medium", "3.3.30")
    assert finding.status is Status.UNKNOWN
