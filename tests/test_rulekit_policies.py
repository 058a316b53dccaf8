"""rulekit helpers the GenAI rules share: which conditions scope a statement, JSON policy text."""
from __future__ import annotations

import json

import pytest

from checks import UNKNOWN, plan as plan_module, rulekit


@pytest.mark.parametrize("condition, expected", [
    ({"Bool": {"aws:SecureTransport": "true"}}, False),
    ({"StringEquals": {"aws:RequestedRegion": ["us-east-1"]}}, False),
    ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, False),
    ({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}, True),
    ({"StringEqualsIfExists": {"aws:PrincipalAccount": ["111122223333"]}}, True),
    ({"ForAnyValue:StringLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:role/app-*"]}}, True),
    ({"StringNotEquals": {"aws:PrincipalAccount": "999999999999"}}, False),
    ({"StringLike": {"aws:PrincipalArn": "*"}}, False),
    ({"Null": {"aws:PrincipalOrgID": "false"}}, False),
    ({"StringEquals": {"aws:PrincipalOrgID": [UNKNOWN]}}, None),
    ("not-a-map", False),
])
def test_condition_scopes(condition, expected):
    assert rulekit.condition_scopes({"Effect": "Allow", "Condition": condition}) is expected


def test_condition_scopes_with_other_keys():
    st = {"Condition": {"StringEquals": {"bedrock:GuardrailIdentifier": "arn:aws:bedrock:us-east-1:1:guardrail/g:1"}}}
    assert rulekit.condition_scopes(st) is False
    assert rulekit.condition_scopes(st, ("bedrock:GuardrailIdentifier",)) is True


def _resource(after, unknown=None):
    doc = {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [{
        "address": "aws_opensearchserverless_security_policy.x", "mode": "managed",
        "type": "aws_opensearchserverless_security_policy", "name": "x",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": None, "after": after, "after_unknown": unknown or {},
                   "before_sensitive": False, "after_sensitive": {}}}]}
    return plan_module.loads(json.dumps(doc)).resources[0]


def test_json_document():
    assert rulekit.json_document(_resource({"policy": '[{"AllowFromPublic": false}]'}), "policy") == [{"AllowFromPublic": False}]
    assert rulekit.json_document(_resource({"policy": "{"}), "policy") is None
    assert rulekit.json_document(_resource({"policy": ""}), "policy") is None
    assert rulekit.json_document(_resource({}, {"policy": True}), "policy") is UNKNOWN
