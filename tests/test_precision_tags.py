"""Issue 23 item 4: tag semantics (tests/fixtures/tf/precision_tags).

``Environment = "dev"`` names the environment (the key is matched in any case), and a
resource with no tags argument in a configuration whose provider sets no default_tags has
known tags (none), not tags "known only after apply". Types that carry no cost are skipped
by the cost-allocation tag rule.
"""
from __future__ import annotations

from checks import rulekit
from precision_helpers import POLICY, check, load, messages, statuses


def test_environment_tag_key_in_any_case():
    plan = load("precision_tags")
    config = plan.get("aws_sagemaker_endpoint_configuration.dev")
    assert rulekit.environment(config, POLICY.params) == "dev"
    assert rulekit.environment_class(config, POLICY.params) == "non-production"
    # the production-endpoint rule no longer reads it as "untagged, treated as production" (a fail)
    result = check(plan, ["LZ-REL-003"])
    assert statuses(result, "LZ-REL-003") == {"aws_sagemaker_endpoint_configuration.dev": "not_applicable"}
    assert messages(result, "LZ-REL-003")["aws_sagemaker_endpoint_configuration.dev"].startswith("non-production")


def test_absent_tags_are_known_without_default_tags():
    plan = load("precision_tags")
    assert rulekit.effective_tags(plan.get("aws_cloudwatch_log_group.untagged")) == {}
    result = check(plan, ["LZ-COST-004"])
    got = statuses(result, "LZ-COST-004")
    assert got["aws_cloudwatch_log_group.untagged"] == "fail"      # known: no tags at all
    assert "unknown" not in got.values()
    said = messages(result, "LZ-COST-004")["aws_sagemaker_endpoint_configuration.dev"]
    assert "'Environment'" in said and "case-sensitive" in said    # says the key differs in case


def test_costless_types_are_skipped():
    result = check(load("precision_tags"), ["LZ-COST-004"])
    assert "aws_security_group.free" not in statuses(result, "LZ-COST-004")
    assert not rulekit.carries_cost(load("precision_managed_policies").get("aws_iam_role.admin"))
