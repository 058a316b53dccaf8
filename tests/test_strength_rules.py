"""Rule branches no fixture of the pack tries: each test changes one fact of a pass fixture
and asserts the one right status (issue 21: NotResource, a TLS-deny statement scoped to one
principal, a `spread` placement group for EFA training, an expiration known only after apply).
"""
from __future__ import annotations

import json

import pytest

from checks.model import Status
from strength_helpers import change_of, configure, edit, findings, fixture


def _policy(after: dict, *statements: dict) -> None:
    after["policy"] = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# -- NotResource ----------------------------------------------------------------------------


def test_not_resource_with_a_whole_service_is_every_resource():
    """Allow bedrock:* on NotResource <one model> grants every other resource: LZ-SEC-010 fails."""
    st = {"Effect": "Allow", "Action": "bedrock:*",
          "NotResource": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"}
    doc = edit(fixture("LZ-SEC-010"), "aws_iam_policy.pass", lambda a: _policy(a, st))
    found = findings("LZ-SEC-010", doc)["aws_iam_policy.pass"]
    assert found.status is Status.FAIL and "bedrock:* on every resource" in found.message


def test_not_resource_with_named_actions_passes():
    """NotResource with named actions (not the whole service) is not bedrock:* on *."""
    st = {"Effect": "Allow", "Action": ["bedrock:InvokeModel"],
          "NotResource": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"}
    doc = edit(fixture("LZ-SEC-010"), "aws_iam_policy.pass", lambda a: _policy(a, st))
    assert findings("LZ-SEC-010", doc)["aws_iam_policy.pass"].status is Status.PASS


def test_not_resource_in_a_public_endpoint_policy_fails():
    """A Bedrock endpoint policy: Principal *, bedrock:*, NotResource, no scoping condition."""
    st = {"Effect": "Allow", "Principal": "*", "Action": "bedrock:*",
          "NotResource": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"}
    doc = edit(fixture("LZ-SEC-004"), "aws_vpc_endpoint.pass", lambda a: _policy(a, st))
    found = findings("LZ-SEC-004", doc)["aws_vpc_endpoint.pass"]
    assert found.status is Status.FAIL and "every action on every resource" in found.message


# -- a TLS-deny statement scoped to one principal -------------------------------------------


def _tls_deny(principal) -> dict:
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": principal, "Action": "s3:*",
            "Resource": ["arn:aws:s3:::fixture-training-data", "arn:aws:s3:::fixture-training-data/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


@pytest.mark.parametrize("principal", [
    {"AWS": "arn:aws:iam::111122223333:role/uploader"},
    {"AWS": ["arn:aws:iam::111122223333:role/uploader"]},
    {"Service": "cloudtrail.amazonaws.com"},
])
def test_tls_deny_for_one_principal_leaves_the_others_on_http(principal):
    doc = edit(fixture("LZ-SEC-019"), "aws_s3_bucket_policy.tls", lambda a: _policy(a, _tls_deny(principal)))
    found = findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"]
    assert found.status is Status.FAIL, found.message


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}])
def test_tls_deny_for_everyone_passes(principal):
    doc = edit(fixture("LZ-SEC-019"), "aws_s3_bucket_policy.tls", lambda a: _policy(a, _tls_deny(principal)))
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.PASS


# -- a spread placement group for EFA training ----------------------------------------------


@pytest.mark.parametrize("strategy", ["spread", "partition"])
def test_efa_training_in_a_spread_placement_group_fails(strategy):
    doc = edit(fixture("LZ-PERF-003"), "aws_placement_group.byname", lambda a: a.update(strategy=strategy))
    found = findings("LZ-PERF-003", doc)
    assert found["aws_eks_node_group.pass"].status is Status.FAIL
    assert f"strategy '{strategy}', not 'cluster'" in found["aws_eks_node_group.pass"].message
    # the other node group has its own cluster placement group
    assert found['module.eks.aws_eks_node_group.pass["trn1.32xlarge"]'].status is Status.PASS


def test_efa_training_with_a_strategy_known_only_after_apply_is_unknown():
    doc = edit(fixture("LZ-PERF-003"), "aws_placement_group.byname", lambda a: a.update(strategy=None),
               unknown={"strategy": True})
    found = findings("LZ-PERF-003", doc)["aws_eks_node_group.pass"]
    assert found.status is Status.UNKNOWN and "strategy of aws_placement_group.byname" in found.message


# -- an expiration known only after apply ---------------------------------------------------


def _expiration(days, date=None):
    def update(after: dict) -> None:
        after["rule"][0]["expiration"] = [{"days": days, "date": date, "expired_object_delete_marker": False}]
    return update


def test_log_bucket_expiration_known_only_after_apply_still_expires():
    """days = <computed>: S3 takes only a positive day count (or a date), so the rule expires
    objects whatever the value; the bucket passes."""
    doc = edit(fixture("LZ-COST-007"), "aws_s3_bucket_lifecycle_configuration.trail", _expiration(None),
               unknown={"rule": [{"expiration": [{"days": True}]}]})
    assert findings("LZ-COST-007", doc)["aws_s3_bucket.pass"].status is Status.PASS


def test_log_bucket_expiration_without_days_or_date_fails():
    """An expiration block that sets neither days nor date (only the delete-marker cleanup)
    expires no current object: with no transition either, the bucket fails."""
    doc = edit(fixture("LZ-COST-007"), "aws_s3_bucket_lifecycle_configuration.trail", _expiration(None))
    assert findings("LZ-COST-007", doc)["aws_s3_bucket.pass"].status is Status.FAIL


def test_log_bucket_lifecycle_rules_known_only_after_apply_are_unknown():
    def drop(after: dict) -> None:
        after["rule"] = []
    doc = edit(fixture("LZ-COST-007"), "aws_s3_bucket_lifecycle_configuration.trail", drop, unknown={"rule": True})
    found = findings("LZ-COST-007", doc)["aws_s3_bucket.pass"]
    assert found.status is Status.UNKNOWN, found.message


# -- survivors of `make mutate` (tests/MUTATION.md): one test per surviving mutant ----------


def _kms(**after) -> dict:
    return edit(fixture("LZ-SEC-005"), "module.m.aws_kms_key.pass", lambda a: a.update(after))


@pytest.mark.parametrize("days, status", [(366, Status.FAIL), (365, Status.PASS), (90, Status.PASS)])
def test_kms_rotation_period_boundary(days, status):
    """365 days is the most the lens allows: one day more fails (a mutated limit passes it)."""
    found = findings("LZ-SEC-005", _kms(rotation_period_in_days=days))["module.m.aws_kms_key.pass"]
    assert found.status is status, found.message


def test_kms_key_spec_known_only_after_apply_is_unknown():
    """The spec set from a value known only after apply (usage known): it may be a key that
    rotates or one that cannot, so the rule cannot say."""
    doc = edit(fixture("LZ-SEC-005"), "aws_kms_key.pass",
               lambda a: a.update(customer_master_key_spec=None), unknown={"customer_master_key_spec": True})
    configure(doc, "aws_kms_key.pass", "customer_master_key_spec", {"references": ["terraform_data.spec.output"]})
    assert findings("LZ-SEC-005", doc)["aws_kms_key.pass"].status is Status.UNKNOWN


def test_kms_asymmetric_encryption_key_cannot_rotate():
    """RSA keys may encrypt (key_usage ENCRYPT_DECRYPT) but KMS cannot rotate them: not applicable."""
    found = findings("LZ-SEC-005", _kms(customer_master_key_spec="RSA_2048", enable_key_rotation=False))
    assert found["module.m.aws_kms_key.pass"].status is Status.NOT_APPLICABLE


BEDROCK_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"
SCOPED = {"Sid": "AccountOnly", "Effect": "Allow", "Principal": "*", "Action": "bedrock:*", "Resource": "*",
          "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}


def _endpoint(*statements: dict) -> dict:
    return edit(fixture("LZ-SEC-004"), "aws_vpc_endpoint.pass", lambda a: _policy(a, *statements))


def test_endpoint_policy_open_statement_after_a_scoped_one_fails():
    """A scoped statement does not end the reading: the open one after it still fails."""
    wide = {"Sid": "Wide", "Effect": "Allow", "Principal": "*", "Action": "bedrock:*", "Resource": "*"}
    found = findings("LZ-SEC-004", _endpoint(SCOPED, wide))["aws_vpc_endpoint.pass"]
    assert found.status is Status.FAIL and "(statement Wide)" in found.message


@pytest.mark.parametrize("resource", ["*", BEDROCK_MODEL])
def test_endpoint_policy_public_with_named_actions_passes(resource):
    st = {"Effect": "Allow", "Principal": "*", "Action": ["bedrock:InvokeModel"], "Resource": resource}
    assert findings("LZ-SEC-004", _endpoint(st))["aws_vpc_endpoint.pass"].status is Status.PASS


def test_endpoint_policy_public_whole_service_on_one_model_passes():
    st = {"Effect": "Allow", "Principal": "*", "Action": "bedrock:*", "Resource": BEDROCK_MODEL}
    assert findings("LZ-SEC-004", _endpoint(st))["aws_vpc_endpoint.pass"].status is Status.PASS


DOC = "module.endpoints.data.aws_iam_policy_document.app_only"
OUTSIDE = {"references": ["var.from_outside"]}  # a module input no module call sets: nothing in the plan


def _endpoint_doc(actions=("sagemaker:*",), principal="*", resources=("*",), account=None, unknown=()) -> dict:
    """The endpoint policy from aws_iam_policy_document, each part either known or known only
    after apply from outside the plan (``unknown``: actions, principal, resources, account)."""
    def part(name, known):
        return ([None], [True], OUTSIDE) if name in unknown else (list(known), [False], {"constant_value": list(known)})
    acts, resources_ = part("actions", actions), part("resources", resources)
    ids = part("principal", [principal])
    statement = {"actions": acts[0], "effect": None, "not_actions": None, "not_principals": [], "not_resources": None,
                 "principals": [{"identifiers": ids[0], "type": "AWS"}], "resources": resources_[0], "sid": None,
                 "condition": []}
    unknown_tree = {"actions": acts[1], "condition": [], "not_principals": [],
                    "principals": [{"identifiers": ids[1]}], "resources": resources_[1]}
    expressions = {"actions": acts[2], "resources": resources_[2],
                   "principals": [{"identifiers": ids[2], "type": {"constant_value": "AWS"}}]}
    if account is not None or "account" in unknown:
        known = "account" not in unknown
        statement["condition"] = [{"test": "StringEquals", "variable": "aws:PrincipalAccount",
                                   "values": [account] if known else [None]}]
        unknown_tree["condition"] = [{"values": [not known]}]
        expressions["condition"] = [{"test": {"constant_value": "StringEquals"},
                                     "variable": {"constant_value": "aws:PrincipalAccount"},
                                     "values": {"constant_value": [account]} if known else OUTSIDE}]
    doc = edit(fixture("LZ-SEC-004"), DOC, lambda a: a.update(statement=[statement]),
               unknown={"statement": [unknown_tree]})
    module = doc["configuration"]["root_module"]["module_calls"]["endpoints"]["module"]
    (config,) = [r for r in module["resources"] if r["address"] == "data.aws_iam_policy_document.app_only"]
    config["expressions"]["statement"] = [expressions]
    return doc


def _endpoint_status(doc: dict) -> Status:
    return findings("LZ-SEC-004", doc)["module.endpoints.aws_vpc_endpoint.pass"].status


def test_endpoint_policy_known_parts_read_from_the_document():
    assert _endpoint_status(_endpoint_doc()) is Status.FAIL
    assert _endpoint_status(_endpoint_doc(actions=["sagemaker:InvokeEndpoint"])) is Status.PASS
    assert _endpoint_status(_endpoint_doc(account="111122223333")) is Status.PASS


@pytest.mark.parametrize("part", ["principal", "actions", "resources", "account"])
def test_endpoint_policy_part_known_only_after_apply_is_unknown(part):
    """Principal *, sagemaker:* on *, with one part known only after apply and from outside the
    plan (the principal or the account may be `*`, the actions `sagemaker:*`, the resources
    `*`): the rule cannot pass it."""
    assert _endpoint_status(_endpoint_doc(unknown=(part,))) is Status.UNKNOWN


def test_endpoint_policy_unknown_account_on_named_actions_passes():
    """Whatever the account, named actions on the endpoint are not every action."""
    doc = _endpoint_doc(actions=["sagemaker:InvokeEndpoint"], unknown=("account",))
    assert _endpoint_status(doc) is Status.PASS


def test_endpoint_policy_deny_first_does_not_end_the_reading():
    deny = {"Effect": "Deny", "Principal": "*", "Action": "bedrock:DeleteGuardrail", "Resource": "*"}
    wide = {"Sid": "Wide", "Effect": "Allow", "Principal": "*", "Action": "bedrock:*", "Resource": "*"}
    assert findings("LZ-SEC-004", _endpoint(deny, wide))["aws_vpc_endpoint.pass"].status is Status.FAIL


def test_kms_rotation_left_to_the_provider_names_its_default():
    found = findings("LZ-SEC-005", fixture("LZ-SEC-005"))["aws_kms_key.pass"]
    assert found.status is Status.PASS and "default is 365 days" in found.message


def test_iam_wildcard_messages_and_paths():
    found = findings("LZ-SEC-010", fixture("LZ-SEC-010", "fail.json"))
    assert found["aws_iam_policy.fail"].message == "statement 0 allows bedrock:* on every resource"
    passing = findings("LZ-SEC-010", fixture("LZ-SEC-010"))["aws_iam_policy.pass"]
    assert passing.message == "no statement allows bedrock:* or sagemaker:* on every resource"


def test_iam_wildcard_pass_points_at_the_first_policy():
    def second_inline(after: dict) -> None:
        after["inline_policy"] = [*after["inline_policy"], {**after["inline_policy"][0], "name": "second"}]
    doc = edit(fixture("LZ-SEC-010"), "aws_iam_role.pass", second_inline)
    found = findings("LZ-SEC-010", doc)["aws_iam_role.pass"]
    assert found.status is Status.PASS and found.path == "inline_policy.0.policy"


def test_security_group_whose_ingress_is_wholly_unknown_is_unknown():
    """ingress set from a value known only after apply (a dynamic block over a computed list):
    the blocks may open anything, so it is not read as "no ingress" (issue 21's example)."""
    def unknown_ingress(after: dict) -> None:
        after["ingress"] = None
    doc = edit(fixture("LZ-SEC-016"), "aws_security_group.pass", unknown_ingress, unknown={"ingress": True})
    configure(doc, "aws_security_group.pass", "ingress", {"references": ["terraform_data.rules.output"]})
    found = findings("LZ-SEC-016", doc)["aws_security_group.pass"]
    assert found.status is Status.UNKNOWN, found.message


def test_security_group_first_undecided_ingress_is_the_path():
    block = {"cidr_blocks": None, "description": "", "from_port": 443, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
             "protocol": "tcp", "security_groups": [], "self": False, "to_port": 443}
    doc = edit(fixture("LZ-SEC-016"), "aws_security_group.pass", lambda a: a.update(ingress=[block, dict(block)]),
               unknown={"ingress": [{"cidr_blocks": True}, {"cidr_blocks": True}]})
    configure(doc, "aws_security_group.pass", "ingress", [{"cidr_blocks": {"references": ["var.from_outside"]}},
                                                          {"cidr_blocks": {"references": ["var.from_outside"]}}])
    found = findings("LZ-SEC-016", doc)["aws_security_group.pass"]
    assert found.status is Status.UNKNOWN and found.path == "ingress.0.cidr_blocks", (found.status, found.path)


def _tls_policy(**changes) -> dict:
    statement = {**_tls_deny("*"), **changes}
    return edit(fixture("LZ-SEC-019"), "aws_s3_bucket_policy.tls", lambda a: _policy(a, statement))


def test_tls_deny_passes_through_the_policy_it_reads():
    found = findings("LZ-SEC-019", fixture("LZ-SEC-019"))["aws_s3_bucket.pass"]
    assert found.status is Status.PASS and found.via == "aws_s3_bucket_policy.tls"


def test_tls_version_deny_enforces_https():
    """AWS's own S3 TLS policy: Deny s3:* when s3:TlsVersion < 1.2 (knowledge center
    s3-enforce-modern-tls: "this policy enforces HTTPS")."""
    doc = _tls_policy(Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}})
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.PASS


@pytest.mark.parametrize("key", ["s3:signatureAge", "s3:x-amz-server-side-encryption-aws-kms-key-id"])
def test_a_numeric_condition_on_another_key_is_no_tls_deny(key):
    doc = _tls_policy(Condition={"NumericLessThan": {key: "1.2"}})
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.FAIL


def test_a_not_action_deny_is_not_read_as_a_tls_deny():
    """The rule asks for a Deny on named actions (s3:* or Get/PutObject); a NotAction statement
    is not taken for one."""
    statement = {k: v for k, v in _tls_deny("*").items() if k != "Action"}
    doc = edit(fixture("LZ-SEC-019"), "aws_s3_bucket_policy.tls",
               lambda a: _policy(a, {**statement, "NotAction": "s3:ListBucket"}))
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.FAIL


@pytest.mark.parametrize("action", ["s3:DeleteObject", "s3:GetObject", ["s3:PutObject", "s3:ListBucket"]])
def test_a_tls_deny_that_leaves_reads_or_writes_open_fails(action):
    doc = _tls_policy(Action=action)
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.FAIL


def test_large_training_group_without_a_launch_template_fails():
    address = 'module.eks.aws_eks_node_group.pass["trn1.32xlarge"]'
    doc = edit(fixture("LZ-PERF-003"), address, lambda a: a.update(launch_template=[]))
    module = doc["configuration"]["root_module"]["module_calls"]["eks"]["module"]
    (group,) = [r for r in module["resources"] if r["address"] == "aws_eks_node_group.pass"]
    group["expressions"].pop("launch_template")
    change_of(doc, address)["after_unknown"].pop("launch_template", None)
    found = findings("LZ-PERF-003", doc)[address]
    assert found.status is Status.FAIL and "has no launch template" in found.message


BIG_TEMPLATE = "aws_launch_template.big"


def _placement_name(name):
    def update(after: dict) -> None:
        after["placement"][0]["group_name"] = name
    return update


@pytest.mark.parametrize("name", ["aa-not-planned", "zz-not-planned"])
def test_placement_group_named_but_not_planned_is_unknown(name):
    """The template names a placement group this plan does not create: only the one with that
    exact name counts (not the first planned group that sorts near it)."""
    doc = edit(fixture("LZ-PERF-003"), BIG_TEMPLATE, _placement_name(name))
    found = findings("LZ-PERF-003", doc)["aws_eks_node_group.pass"]
    assert found.status is Status.UNKNOWN and f"placement group {name!r} is not in this plan" in found.message


@pytest.mark.parametrize("name", ["", None])
def test_template_without_a_placement_group_fails(name):
    doc = edit(fixture("LZ-PERF-003"), BIG_TEMPLATE, _placement_name(name))
    found = findings("LZ-PERF-003", doc)["aws_eks_node_group.pass"]
    assert found.status is Status.FAIL and "has no placement group" in found.message


def _efa(count: int):
    def update(after: dict) -> None:
        for i, ni in enumerate(after["network_interfaces"]):
            ni["interface_type"] = "efa" if i < count else "interface"
    return update


@pytest.mark.parametrize("count, status", [(4, Status.FAIL), (7, Status.FAIL), (8, Status.PASS)])
def test_trn1_32xlarge_needs_all_eight_efa_interfaces(count, status):
    template = 'module.eks.aws_launch_template.node["trn1.32xlarge"]'
    group = 'module.eks.aws_eks_node_group.pass["trn1.32xlarge"]'
    found = findings("LZ-PERF-003", edit(fixture("LZ-PERF-003"), template, _efa(count)))[group]
    assert found.status is status, found.message


@pytest.mark.parametrize("count, status", [(0, Status.FAIL), (1, Status.PASS)])
def test_a_large_type_without_an_efa_count_needs_one_interface(count, status):
    """An organisation lists a large training type in params without its EFA count: one EFA
    interface is the least it needs."""
    from strength_helpers import POLICY
    accelerators = {**POLICY.params["accelerators"],
                    "large_training_instance_types": ["trn1n.32xlarge", "x9.48xlarge"]}
    params = {**POLICY.params, "accelerators": accelerators}

    def retype(after: dict) -> None:
        after["instance_type"] = "x9.48xlarge"
        _efa(count)(after)
    found = findings("LZ-PERF-003", edit(fixture("LZ-PERF-003"), BIG_TEMPLATE, retype), params=params)
    assert found["aws_eks_node_group.pass"].status is status, found["aws_eks_node_group.pass"].message


IAM_DOC = "module.m.data.aws_iam_policy_document.invoke"


def _iam_doc(actions=("sagemaker:*",), resources=("*",), unknown=()) -> dict:
    """module.m's role policy from aws_iam_policy_document, a part known only after apply from
    outside the plan (``unknown``: actions, resources)."""
    def part(name, known):
        return ([None], [True], OUTSIDE) if name in unknown else (list(known), [False], {"constant_value": list(known)})
    acts, res = part("actions", actions), part("resources", resources)
    doc = edit(fixture("LZ-SEC-010"), IAM_DOC, lambda a: a["statement"][0].update(actions=acts[0], resources=res[0]),
               unknown={"statement": [{"actions": acts[1], "condition": [], "not_principals": [], "principals": [],
                                       "resources": res[1]}]})
    module = doc["configuration"]["root_module"]["module_calls"]["m"]["module"]
    (config,) = [r for r in module["resources"] if r["address"] == "data.aws_iam_policy_document.invoke"]
    config["expressions"]["statement"] = [{"actions": acts[2], "resources": res[2]}]
    return doc


def _iam_status(doc: dict) -> Status:
    return findings("LZ-SEC-010", doc)["module.m.aws_iam_role_policy.pass"].status


def test_iam_document_parts_known_only_after_apply():
    assert _iam_status(_iam_doc()) is Status.FAIL                                  # sagemaker:* on *
    assert _iam_status(_iam_doc(unknown=("resources",))) is Status.UNKNOWN         # may be *
    assert _iam_status(_iam_doc(unknown=("actions",))) is Status.UNKNOWN           # may be sagemaker:*
    assert _iam_status(_iam_doc(actions=["sagemaker:InvokeEndpoint"], unknown=("resources",))) is Status.PASS


def test_iam_deny_first_does_not_end_the_reading():
    deny = {"Effect": "Deny", "Action": "bedrock:DeleteGuardrail", "Resource": "*"}
    wide = {"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"}
    doc = edit(fixture("LZ-SEC-010"), "aws_iam_policy.pass", lambda a: _policy(a, deny, wide))
    found = findings("LZ-SEC-010", doc)["aws_iam_policy.pass"]
    assert found.status is Status.FAIL and found.message == "statement 1 allows bedrock:* on every resource"


@pytest.mark.parametrize("value", ["true", "True"])
def test_a_deny_of_tls_requests_is_no_tls_deny(value):
    """Deny when aws:SecureTransport = true denies the HTTPS requests and lets plain HTTP in."""
    doc = _tls_policy(Condition={"Bool": {"aws:SecureTransport": value}})
    assert findings("LZ-SEC-019", doc)["aws_s3_bucket.pass"].status is Status.FAIL


def test_kms_rotation_not_set_fails():
    """enable_key_rotation left unset (null in the plan): the provider default is off."""
    found = findings("LZ-SEC-005", _kms(enable_key_rotation=None))["module.m.aws_kms_key.pass"]
    assert found.status is Status.FAIL


def _ingress(cidrs, ipv6, unknown_cidrs=False) -> dict:
    block = {"cidr_blocks": cidrs, "description": "", "from_port": 443, "ipv6_cidr_blocks": ipv6, "prefix_list_ids": [],
             "protocol": "tcp", "security_groups": [], "self": False, "to_port": 443}
    doc = edit(fixture("LZ-SEC-016"), "aws_security_group.pass", lambda a: a.update(ingress=[block]),
               unknown={"ingress": [{"cidr_blocks": unknown_cidrs}]})
    if unknown_cidrs:
        configure(doc, "aws_security_group.pass", "ingress", [{"cidr_blocks": OUTSIDE}])
    return doc


def test_an_open_ipv6_range_after_an_unknown_ipv4_one_fails():
    found = findings("LZ-SEC-016", _ingress(None, ["::/0"], unknown_cidrs=True))["aws_security_group.pass"]
    assert found.status is Status.FAIL and found.path == "ingress.0.ipv6_cidr_blocks"


def test_the_first_open_range_is_the_path():
    found = findings("LZ-SEC-016", _ingress(["0.0.0.0/0"], ["::/0"]))["aws_security_group.pass"]
    assert found.status is Status.FAIL and found.path == "ingress.0.cidr_blocks"


@pytest.mark.parametrize("size, status", [(16, Status.PASS), (17, Status.FAIL)])
def test_accelerator_group_limit_defaults_to_16(size, status):
    """An organisation's params without budgets.max_accelerator_group_size: the limit is 16."""
    from strength_helpers import POLICY
    params = {**POLICY.params, "budgets": {k: v for k, v in POLICY.params["budgets"].items()
                                           if k != "max_accelerator_group_size"}}
    doc = edit(fixture("LZ-COST-006"), "aws_eks_node_group.pass",
               lambda a: a["scaling_config"][0].update(max_size=size))
    assert findings("LZ-COST-006", doc, params=params)["aws_eks_node_group.pass"].status is status
