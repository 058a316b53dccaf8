"""Cross-resource facts of the workload plans (dev, prod) that a real AWS account depends on and
that the mock provider and the emulator accept either way: the SageMaker model has a source and
a path to it, the Bedrock invoke and endpoint policies grant what the callers use (and no more),
the guardrail cannot be skipped, the budget action stops spending, every alarm notifies someone.

The plans are the offline plans `make lz-plans` writes into build/ (planned here when missing).
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

import pytest

from test_landing_zone_gate import _landing_zone_plan

ENVS = ("dev", "prod")


class Plan:
    def __init__(self, env: str) -> None:
        self.env = env
        self.doc = _landing_zone_plan("workload", env)
        self.changes = {rc["address"]: rc for rc in self.doc["resource_changes"]}
        self.variables = {k: v.get("value") for k, v in self.doc.get("variables", {}).items()}

    def after(self, address: str) -> dict[str, Any]:
        return self.changes[address]["change"]["after"]

    def unknown(self, address: str) -> dict[str, Any]:
        return self.changes[address]["change"]["after_unknown"]

    def of_type(self, type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for address, rc in self.changes.items():
            if rc["type"] == type_ and rc["change"]["actions"] != ["delete"]:
                yield address, rc["change"]["after"]

    def module_call(self, name: str) -> dict[str, Any]:
        return self.doc["configuration"]["root_module"]["module_calls"][name]

    def config_resource(self, module: str, address: str) -> dict[str, Any]:
        resources = self.module_call(module)["module"]["resources"]
        return next(r for r in resources if r["address"] == address)


@pytest.fixture(scope="module", params=ENVS)
def lz(request) -> Plan:
    return Plan(request.param)


def statements(policy: str | dict) -> list[dict[str, Any]]:
    doc = json.loads(policy) if isinstance(policy, str) else policy
    found = doc["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --------------------------------------------------------------------------------------
# item 1: the SageMaker model has a source; item 12: and a planned path to it


def test_sagemaker_model_has_a_source_it_can_reach(lz):
    model = lz.after("module.sagemaker.aws_sagemaker_model.this[0]")
    container = model["primary_container"][0]
    env = container["environment"] or {}
    if model["enable_network_isolation"]:
        # an S3 artefact downloaded by SageMaker; TGI serves what lands in /opt/ml/model
        assert re.match(r"^s3://[a-z0-9.-]+/.+", container["model_data_url"] or "")
        assert env.get("HF_MODEL_ID") == "/opt/ml/model"
        bucket = container["model_data_url"][5:].split("/")[0]
        assert lz.variables["account_id"] in bucket, "the artefact bucket belongs to this account"
    else:
        assert env.get("HF_MODEL_ID"), "a container without an artefact needs HF_MODEL_ID"
        assert model["tags"].get("network-isolation-off-justification")


def test_sagemaker_s3_egress_rule_is_planned_with_the_prefix_list_known_after_apply(lz):
    address = "module.sagemaker.aws_vpc_security_group_egress_rule.https_s3[0]"
    rule = lz.after(address)
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 443, 443)
    assert lz.unknown(address)["prefix_list_id"] is True
    expressions = lz.module_call("sagemaker")["expressions"]
    assert "module.network.s3_prefix_list_id" in expressions["s3_prefix_list_id"]["references"]
    assert expressions["create_s3_egress_rule"] == {"constant_value": True}


# --------------------------------------------------------------------------------------
# items 7 and 9: the invoke policy (profiles and destination models; the guardrail required)

INVOKE = {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}
INVOKE_DOC = "module.bedrock.data.aws_iam_policy_document.invoke_with_guardrail[0]"
# every policy document of the invoke role's managed policies
INVOKE_DOCS = (INVOKE_DOC, "module.bedrock.data.aws_iam_policy_document.invoke_through_profiles[0]",
               "module.bedrock.data.aws_iam_policy_document.guardrail_use[0]")


def _invoke_statements(lz: Plan, doc: str | None = None) -> dict[str, tuple[int, dict[str, Any]]]:
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    for address in (doc,) if doc else INVOKE_DOCS:
        found.update({st["sid"]: (i, st) for i, st in enumerate(lz.after(address)["statement"])})
    return found


def _conditions(st: dict[str, Any]) -> dict[tuple[str, str], list[Any]]:
    return {(c["test"], c["variable"]): c["values"] for c in st["condition"]}


def test_invoke_policies_are_the_guardrail_documents_attached_to_the_invoke_role(lz):
    for policy, doc in (("invoke", "invoke_with_guardrail"), ("invoke_through_profiles", "invoke_through_profiles"),
                        ("guardrail_use", "guardrail_use")):
        expressions = lz.config_resource("bedrock", f"aws_iam_policy.{policy}")["expressions"]
        assert f"data.aws_iam_policy_document.{doc}[0].json" in expressions["policy"]["references"]
        assert lz.unknown(f"module.bedrock.aws_iam_policy.{policy}[0]")["policy"] is True
        attachment = lz.config_resource("bedrock", f"aws_iam_role_policy_attachment.{policy}")["expressions"]
        assert f"aws_iam_policy.{policy}[0].arn" in attachment["policy_arn"]["references"]
        # one attachment per role that invokes: the invoke role ("invoke") and the EKS pods' role
        assert f'module.bedrock.aws_iam_role_policy_attachment.{policy}["invoke"]' in lz.changes
        assert f'module.bedrock.aws_iam_role_policy_attachment.{policy}["eks-pods"]' in lz.changes
    assert "module.bedrock.aws_bedrock_guardrail.this[0]" in lz.changes
    assert "module.bedrock.aws_bedrock_guardrail_version.this[0]" in lz.changes


def test_invoke_requires_the_guardrail_and_denies_inference_without_it(lz):
    statements = _invoke_statements(lz, INVOKE_DOC)
    unknown = lz.unknown(INVOKE_DOC)["statement"]
    i, allow = statements["InvokeApprovedModelsThroughTheGuardrail"]
    j, deny = statements["DenyInvokeWithoutTheGuardrail"]
    assert set(allow["actions"]) == INVOKE == set(deny["actions"]) and deny["effect"] == "Deny"
    assert ("StringEquals", "bedrock:GuardrailIdentifier") in _conditions(allow)
    assert ("StringNotEquals", "bedrock:GuardrailIdentifier") in _conditions(deny)
    # the identifier is the guardrail's ARN and version: known only after apply, never a literal or "*"
    for index, st in ((i, allow), (j, deny)):
        k = next(n for n, c in enumerate(st["condition"]) if c["variable"] == "bedrock:GuardrailIdentifier")
        assert unknown[index]["condition"][k]["values"] == [True]
    assert set(allow["resources"]) <= set(deny["resources"])
    guarded_models = {a.rsplit("/", 1)[1] for a in allow["resources"] if ":foundation-model/" in a}
    exempt = set(lz.variables["guardrail_exempt_model_ids"])
    assert guarded_models == set(lz.variables["allowed_model_ids"]) - exempt


def test_only_embedding_models_are_invoked_without_the_guardrail(lz):
    for sid, (_, st) in _invoke_statements(lz).items():
        if st["effect"] in (None, "Allow") and INVOKE & set(st["actions"]):
            if not any(c["variable"] == "bedrock:GuardrailIdentifier" for c in st["condition"]):
                assert sid == "InvokeGuardrailExemptModels"
                assert all("embed" in a for a in st["resources"]), st["resources"]


def test_guardrail_conditions_name_the_planned_guardrail_and_version(lz):
    """The condition value is an expression of the guardrail and its published version (plan JSON keeps
    the references of plain statement blocks), in every statement that requires the guardrail."""
    for address in (INVOKE_DOC, INVOKE_DOCS[1]):
        config = lz.config_resource("bedrock", address.removeprefix("module.bedrock.").removesuffix("[0]"))
        conditions = [c for st in config["expressions"]["statement"] for c in st.get("condition", [])
                      if c["variable"] == {"constant_value": "bedrock:GuardrailIdentifier"}]
        assert conditions
        for condition in conditions:
            refs = condition["values"]["references"]
            assert "aws_bedrock_guardrail.this[0].guardrail_arn" in refs
            assert "aws_bedrock_guardrail_version.this[0].version" in refs


def test_inference_profiles_and_their_destination_models_are_both_granted(lz):
    profiles = lz.variables["allowed_inference_profiles"]
    assert profiles, "the workload plans at least one cross-Region inference profile"
    region, account = "us-east-1", lz.variables["account_id"]
    statements = _invoke_statements(lz)
    _, allow = statements["InvokeApprovedModelsThroughTheGuardrail"]
    _, through = statements["InvokeDestinationRegionModelsThroughProfilesAndTheGuardrail"]
    profile_arns = {f"arn:aws:bedrock:{region}:{account}:inference-profile/{p['id']}" for p in profiles}
    assert profile_arns <= set(allow["resources"])
    destinations = {f"arn:aws:bedrock:{r}::foundation-model/{p['id'].split('.', 1)[1]}"
                    for p in profiles for r in p["destination_regions"]}
    assert set(through["resources"]) == destinations
    assert set(_conditions(through)[("StringEquals", "bedrock:InferenceProfileArn")]) == profile_arns
    assert ("StringEquals", "bedrock:GuardrailIdentifier") in _conditions(through)


# --------------------------------------------------------------------------------------
# item 6: each Bedrock endpoint's policy allows exactly the API set that endpoint serves

RUNTIME_API = {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:CountTokens",
               "bedrock:ApplyGuardrail", "bedrock:GetAsyncInvoke", "bedrock:ListAsyncInvokes"}
AGENT_RUNTIME_API = {"bedrock:InvokeAgent", "bedrock:GetAgentMemory", "bedrock:DeleteAgentMemory", "bedrock:Retrieve",
                     "bedrock:RetrieveAndGenerate", "bedrock:InvokeFlow", "bedrock:Rerank", "bedrock:InvokeInlineAgent",
                     "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}


def _endpoint_policy(lz: Plan, service: str) -> list[dict[str, Any]]:
    return statements(lz.after(f'module.network.aws_vpc_endpoint.interface["{service}"]')["policy"])


@pytest.mark.parametrize("service, api", [("bedrock-runtime", RUNTIME_API), ("bedrock-agent-runtime", AGENT_RUNTIME_API)])
def test_bedrock_endpoint_policy_allows_its_api_set_to_this_account_only(lz, service, api):
    policy = _endpoint_policy(lz, service)
    assert {a for st in policy for a in as_list(st["Action"])} == api
    for st in policy:
        assert st["Effect"] == "Allow" and st["Condition"]["StringEquals"]["aws:PrincipalAccount"] == lz.variables["account_id"]


def test_runtime_endpoint_carries_what_the_invoke_role_is_granted(lz):
    policy = _endpoint_policy(lz, "bedrock-runtime")
    endpoint_actions = {a for st in policy for a in as_list(st["Action"])}
    role_actions = {a for _, st in _invoke_statements(lz).values() if st["effect"] in (None, "Allow")
                    for a in st["actions"] if a.startswith("bedrock:")}
    assert role_actions and role_actions <= endpoint_actions
    invoke_resources = {r for st in policy if "bedrock:InvokeModel" in as_list(st["Action"]) for r in as_list(st["Resource"])}
    _, through = _invoke_statements(lz)["InvokeDestinationRegionModelsThroughProfilesAndTheGuardrail"]
    _, allow = _invoke_statements(lz)["InvokeApprovedModelsThroughTheGuardrail"]
    assert set(through["resources"]) | set(allow["resources"]) <= invoke_resources
    assert "*" not in invoke_resources


# --------------------------------------------------------------------------------------
# item 11: every alarm notifies a topic that CloudWatch may publish to and whose key it may use

TOPIC = "module.budgets.aws_sns_topic.this[0]"


def _cloudwatch_grant(policy: str | dict) -> dict[str, Any]:
    found = [st for st in statements(policy) if st["Effect"] == "Allow"
             and "cloudwatch.amazonaws.com" in as_list((st.get("Principal") or {}).get("Service", []))]
    assert len(found) == 1, "exactly one grant to cloudwatch.amazonaws.com"
    return found[0]


def test_every_alarm_notifies_the_workload_topic(lz):
    alarms = list(lz.of_type("aws_cloudwatch_metric_alarm"))
    assert len(alarms) >= 8
    modules = {address.split(".aws_cloudwatch_metric_alarm")[0].removeprefix("module.") for address, _ in alarms}
    assert modules == {"bedrock", "sagemaker"}
    for module in modules:
        references = lz.module_call(module)["expressions"]["alarm_sns_topic_arns"]["references"]
        assert "module.budgets.sns_topic_arn" in references
    for address, alarm in alarms:
        assert alarm["actions_enabled"] is True
        assert lz.unknown(address).get("alarm_actions") is True, f"{address} has no alarm action"
    assert lz.module_call("budgets")["expressions"]["create_sns_topic"] == {"constant_value": True}


def test_the_topic_lets_cloudwatch_publish_and_its_key_lets_cloudwatch_use_it(lz):
    import fnmatch

    account, region = lz.variables["account_id"], "us-east-1"
    topic = lz.after(TOPIC)
    topic_arn = f"arn:aws:sns:{region}:{account}:{topic['name']}"
    publish = _cloudwatch_grant(lz.after("module.budgets.aws_sns_topic_policy.this[0]")["policy"])
    assert as_list(publish["Action"]) == ["SNS:Publish"] and publish["Resource"] == topic_arn
    key_config = lz.config_resource("budgets", "aws_sns_topic.this")["expressions"]["kms_master_key_id"]
    assert "module.kms_key.key_arn" in key_config["references"]
    use_key = _cloudwatch_grant(lz.after("module.budgets.module.kms_key.aws_kms_key.this[0]")["policy"])
    assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(as_list(use_key["Action"]))
    for grant in (publish, use_key):
        assert grant["Condition"]["StringEquals"]["aws:SourceAccount"] == account
        pattern = grant["Condition"]["ArnLike"]["aws:SourceArn"]
        for address, alarm in lz.of_type("aws_cloudwatch_metric_alarm"):
            alarm_arn = f"arn:aws:cloudwatch:{region}:{account}:alarm:{alarm['alarm_name']}"
            assert fnmatch.fnmatchcase(alarm_arn, pattern), f"{address} may not publish ({pattern})"


# --------------------------------------------------------------------------------------
# item 10: the non-prod budget action stops new accelerator capacity and Bedrock inference

ACTION = "module.budgets.aws_budgets_budget_action.this[0]"
DENY_POLICY = "module.budgets.aws_iam_policy.deny_accelerated[0]"


@pytest.fixture(scope="module")
def dev() -> Plan:
    return Plan("dev")


def _denied(dev: Plan) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for st in statements(dev.after(DENY_POLICY)["policy"]):
        assert st["Effect"] == "Deny"
        for action in as_list(st["Action"]):
            found[action] = st
    return found


def test_budget_action_denies_accelerator_capacity_and_bedrock_inference(dev):
    denied = _denied(dev)
    run = denied["ec2:RunInstances"]["Condition"]["StringLike"]["ec2:InstanceType"]
    assert set(run) == {"inf*", "trn*", "p*", "g*"}
    for action in ("eks:CreateNodegroup", "eks:UpdateNodegroupConfig", "autoscaling:SetDesiredCapacity",
                   "sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:CreateEndpointConfig",
                   "bedrock:CreateProvisionedModelThroughput", "bedrock:InvokeModel",
                   "bedrock:InvokeModelWithResponseStream", "bedrock:InvokeAgent"):
        assert action in denied, action
    for action in ("sagemaker:CreateEndpoint", "bedrock:InvokeModel", "eks:UpdateNodegroupConfig"):
        assert "Condition" not in denied[action] and denied[action]["Resource"] == "*"
    # everything the invoke role may call on Bedrock to spend tokens is denied once the action fires
    granted = {a for _, st in _invoke_statements(dev).values() if st["effect"] in (None, "Allow")
               for a in st["actions"] if a.startswith("bedrock:Invoke")}
    assert granted and granted <= set(denied)


def test_budget_action_attaches_the_policy_to_the_roles_humans_pipelines_and_apps_use(dev):
    action = dev.after(ACTION)
    assert action["action_type"] == "APPLY_IAM_POLICY" and action["notification_type"] == "ACTUAL"
    roles = set(action["definition"][0]["iam_action_definition"][0]["roles"])
    human_and_pipeline = set(dev.variables["budget_action_role_names"])
    assert human_and_pipeline and human_and_pipeline <= roles
    assert dev.after("module.bedrock.aws_iam_role.invoke[0]")["name"] in roles
    assert dev.after("module.sagemaker.aws_iam_role.execution[0]")["name"] in roles  # Studio users run as it
    config = dev.config_resource("budgets", "aws_budgets_budget_action.this")["expressions"]
    assert "aws_iam_policy.deny_accelerated[0].arn" in config["definition"][0]["iam_action_definition"][0]["policy_arn"]["references"]
    execution = statements(dev.after("module.budgets.aws_iam_role_policy.budget_action[0]")["policy"])
    attachable = {r.rsplit("/", 1)[1] for st in execution if "iam:AttachRolePolicy" in st["Action"] for r in st["Resource"]}
    assert attachable == roles
    assert all(st["Condition"]["ArnEquals"]["iam:PolicyARN"].endswith(":policy/" + dev.after(DENY_POLICY)["name"])
               for st in execution)


def test_prod_is_notified_only():
    prod = Plan("prod")
    assert ACTION not in prod.changes and DENY_POLICY not in prod.changes


# --------------------------------------------------------------------------------------
# the workload repeats the network module's default endpoints to give the Bedrock ones their policies:
# an endpoint added to the module's default must not silently disappear from the workload

def test_workload_keeps_every_default_interface_endpoint_of_the_network_module(lz):
    from conftest import REPO

    text = (REPO / "modules" / "network" / "variables.tf").read_text(encoding="utf-8")
    block = text[text.index('variable "interface_endpoints"'):]
    default = block[block.index("default = {"):block.index("\n  }\n", block.index("default = {"))]
    defaults = set(re.findall(r'^\s*"([^"]+)"\s*=\s*\{', default, flags=re.M))
    assert {"bedrock-runtime", "bedrock-agent-runtime", "sts"} <= defaults
    planned = {address.split('["', 1)[1].rstrip('"]') for address, _ in lz.of_type("aws_vpc_endpoint")
               if address.startswith("module.network.aws_vpc_endpoint.interface[")}
    assert defaults <= planned, f"the workload dropped the network default endpoints {sorted(defaults - planned)}"
