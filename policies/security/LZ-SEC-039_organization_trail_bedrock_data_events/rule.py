"""The organization trail records the Bedrock data events of every member account."""
from __future__ import annotations

from checks import Result, UNKNOWN, rule
from checks import rulekit

# The Bedrock resources.type values whose use CloudTrail records only as data events (CloudTrail user
# guide, data events table, as LZ-SEC-021 reads them): agents, knowledge bases, guardrails, prompts. The
# organization trail covers accounts whose resources this plan cannot see, so it records them all.
REQUIRED = (
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::PromptVersion",
)


@rule(
    id="LZ-SEC-039",
    title="The organization trail records Bedrock data events (agents, knowledge bases, guardrails, prompts)",
    pillar="security",
    lens=["GENSEC03-BP01", "GENSEC01-BP04"],
    framework=["SEC04-BP01"],
    severity="high",
    resource_types=("aws_cloudtrail",),
    remediation=(
        "Add to the organization trail one advanced_event_selector per Bedrock resources.type with field_selector "
        "eventCategory = [\"Data\"] and resources.type = [\"AWS::Bedrock::AgentAlias\"] (then KnowledgeBase, "
        "Guardrail, PromptVersion), or resources.type starts_with [\"AWS::Bedrock::\"] (modules/security-baseline "
        "cloudtrail_bedrock_data_events = true)."
    ),
    rationale=(
        "Once the organization trail replaces the workload accounts' own trails (LZ-SEC-021 passes a member account "
        "on the organization trail's word), it is the only CloudTrail record of Bedrock data access in the "
        "organization: agent and flow invocations, knowledge base retrievals, guardrail "
        "evaluations and prompt renderings are data events, which a trail logs only through an advanced event "
        "selector with eventCategory = Data. LZ-SEC-021 judges a workload plan's own trail against the Bedrock "
        "resources that plan creates; this rule judges a trail with is_organization_trail = true against every "
        "Bedrock data resource type, since it covers accounts this plan cannot see. Other trails are not "
        "applicable; selectors known only after apply are unknown."
        " Lens GENSEC03-BP01 (“Implement control plane and data access monitoring to generative AI services and "
        "foundation models”: “Consider AWS CloudTrail to record management and data events.”), GENSEC01-BP04 "
        "(“Implement access monitoring to generative AI services and foundation models”); framework SEC04-BP01 "
        "(“Configure service and application logging”)."
    ),
)
def check(trail, plan, params):
    organization = trail.get("is_organization_trail")
    if organization is UNKNOWN:
        return Result.unknown("is_organization_trail is known only after apply", path="is_organization_trail")
    if organization is not True:
        return None
    logged = rulekit.trail_data_event_types(trail)
    if logged is UNKNOWN:
        return Result.unknown("the advanced event selectors are known only after apply", path="advanced_event_selector")
    missing = [t for t in REQUIRED if not rulekit.data_events_cover(logged, t)]
    if missing:
        return Result.failed(f"the organization trail does not record the Bedrock data events {', '.join(missing)}: "
                             "those invocations leave no CloudTrail record in any account", path="advanced_event_selector")
    return Result.passed(f"the organization trail records the Bedrock data events {', '.join(REQUIRED)}",
                         path="advanced_event_selector")
