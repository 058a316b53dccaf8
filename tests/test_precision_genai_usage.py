"""Issue 23 item 5: one definition of GenAI use (rulekit.genai_usage), used by every rule.

A plan whose only Bedrock footprint is an identity with AmazonBedrockFullAccess attached:
before, the invocation-logging and guardrail rules read "no Bedrock here" while the budget
rules (another definition) saw a GenAI plan; now they all see the same usage.
"""
from __future__ import annotations

from checks import rulekit
from precision_helpers import check, document, from_document, load, statuses


def _only_group_attachment():
    doc = document("precision_managed_policies")
    keep = {"aws_iam_group.ml", "aws_iam_group_policy_attachment.bedrock"}
    doc["resource_changes"] = [rc for rc in doc["resource_changes"] if rc["address"] in keep]
    doc["planned_values"]["root_module"]["resources"] = [
        r for r in doc["planned_values"]["root_module"]["resources"] if r["address"] in keep]
    return from_document(doc)


def test_genai_usage_fields():
    usage = rulekit.genai_usage(load("precision_managed_policies"))
    assert "aws_iam_group_policy_attachment.bedrock" in {r.address for r in usage.bedrock}
    # a permission set grants in the member accounts it is assigned to, not in the plan's account
    assert not any(r.type.startswith("aws_ssoadmin_") for r in usage.bedrock)
    # AdministratorAccess / PowerUserAccess ("*", NotAction) are not evidence of Bedrock use
    assert "aws_iam_role_policy_attachment.admin" not in {r.address for r in usage.bedrock}
    assert usage.sagemaker == () and usage.accelerators == ()
    accelerated = rulekit.genai_usage(load("precision_launch_configuration"))
    assert {r.address for r in accelerated.accelerators} == {"aws_launch_configuration.fail", "aws_launch_configuration.pass"}
    assert not rulekit.genai_usage(load("precision_locals"))


def test_every_genai_rule_sees_the_same_usage():
    plan = _only_group_attachment()
    result = check(plan, ["LZ-SEC-013", "LZ-SEC-014", "LZ-OPS-003", "LZ-COST-001", "LZ-COST-003"])
    for rule_id in ("LZ-SEC-013", "LZ-SEC-014", "LZ-OPS-003", "LZ-COST-001", "LZ-COST-003"):
        assert set(statuses(result, rule_id).values()) == {"fail"}, rule_id
    # and a plan without GenAI use is not_applicable for all of them, Bedrock-endpoint rule included
    result = check(load("precision_locals"), ["LZ-SEC-001", "LZ-SEC-013", "LZ-SEC-014", "LZ-OPS-003", "LZ-COST-001"])
    assert {f.status.value for f in result.findings} == {"not_applicable"}


def _node_group(doc, name, instance_type):
    """A planned EKS node group (values only) added to a fixture document."""
    template = doc["resource_changes"][0]
    node_group = {**template, "address": f"aws_eks_node_group.{name}", "type": "aws_eks_node_group", "name": name,
                  "change": {"actions": ["create"], "before": None, "after_unknown": {}, "after": {
                      "cluster_name": "c", "node_group_name": name, "instance_types": [instance_type],
                      "tags": {"environment": "dev"}, "labels": None}}}
    doc["resource_changes"].append(node_group)


def test_owner_tag_rule_skips_cpu_only_node_groups():
    doc = document("precision_launch_configuration")
    _node_group(doc, "cpu", "m5.large")
    _node_group(doc, "inference", "inf2.xlarge")
    result = check(from_document(doc), ["LZ-OPS-004"])
    assert statuses(result, "LZ-OPS-004") == {"aws_eks_node_group.cpu": "not_applicable",
                                              "aws_eks_node_group.inference": "fail"}  # no owner tag
