"""Workload plans create a multi-Region CloudTrail trail with log file validation."""
from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

REQUIRED = (
    ("is_multi_region_trail", "not multi-Region"),
    ("enable_log_file_validation", "log file validation is off"),
)


# Bedrock resources whose use CloudTrail records only as data events, and the resources.type
# of the advanced event selector that logs them (CloudTrail user guide, data events table).
BEDROCK_DATA_EVENT_TYPES = {
    "aws_bedrockagent_agent": "AWS::Bedrock::AgentAlias",
    "aws_bedrockagent_agent_alias": "AWS::Bedrock::AgentAlias",
    "aws_bedrockagent_knowledge_base": "AWS::Bedrock::KnowledgeBase",
    "aws_bedrock_guardrail": "AWS::Bedrock::Guardrail",
    "aws_bedrockagent_prompt": "AWS::Bedrock::PromptVersion",
}
BEDROCK_PREFIX = rulekit.BEDROCK_DATA_EVENT_PREFIX


def _needed_data_types(plan):
    """The Bedrock data event types the plan's resources need ({""} = any Bedrock type), or None
    when the plan does not use Bedrock."""
    if rulekit.bedrock_usage(plan) is None:
        return None
    needed = {kind for t, kind in BEDROCK_DATA_EVENT_TYPES.items() if plan.of_type(t)}
    return needed or {""}


def _problems(trail, needed=None):
    problems, undecided = [], []
    for path, problem in REQUIRED:
        value = trail.get(path)
        if value is UNKNOWN:
            undecided.append(path)
        elif value is not True:
            problems.append(problem)
    logging = trail.get("enable_logging", True)
    if logging is UNKNOWN:
        undecided.append("enable_logging")
    elif logging is False:
        problems.append("logging is stopped")
    if needed:
        logged = rulekit.trail_data_event_types(trail)
        if logged is UNKNOWN:
            undecided.append("advanced_event_selector")
        else:
            missing = sorted(n or f"{BEDROCK_PREFIX}*" for n in needed if not rulekit.data_events_cover(logged, n))
            if missing:
                problems.append(f"Bedrock data events are not recorded ({', '.join(missing)}: invocations of agents, "
                                "knowledge bases and guardrails leave no trail)")
    return problems, undecided


@plan_rule(
    id="LZ-SEC-021",
    title="A workload or GenAI plan records API activity (and Bedrock data events) with a multi-Region, validated CloudTrail trail",
    pillar="security",
    lens=["GENSEC03-BP01", "GENSEC01-BP04"],
    framework=["SEC04-BP01"],
    severity="high",
    applies_to="account",
    resource_types=("aws_cloudtrail",),
    remediation=(
        "Create an aws_cloudtrail with is_multi_region_trail = true, enable_log_file_validation = true, a "
        "CMK and a TLS-only, access-logged bucket (modules/security-baseline create_cloudtrail = true; add "
        "Bedrock data events with cloudtrail_bedrock_data_events: one advanced_event_selector per Bedrock resources.type "
        "with eventCategory = Data)."
    ),
    rationale=(
        "CloudTrail is the audit record of who changed guardrails, logging, model access and IAM, and of "
        "Bedrock / SageMaker control-plane calls; without it the GenAI controls cannot be audited. This is "
        "a plan-level rule (\"the account has one\"), not a per-trail setting check: it applies to plans "
        "that create a VPC or any Bedrock / SageMaker resource (a workload account), and is not_applicable "
        "to other plans. A workload plan whose root declares organization_security_services = true is "
        "covered by the organization trail (checked in the organization plan). Lens GENSEC03-BP01 asks for control plane AND data access monitoring: agent "
        "invocations, knowledge base retrievals, guardrail evaluations and prompt rendering are CloudTrail data "
        "events, which trails do not log by default. When the plan uses Bedrock, the trail needs an advanced event "
        "selector with eventCategory = Data for the resources.type of each Bedrock resource kind it creates "
        "(AWS::Bedrock::AgentAlias, KnowledgeBase, Guardrail, PromptVersion), or any AWS::Bedrock:: type when it "
        "only invokes models."
        " Lens GENSEC03-BP01: “Consider AWS CloudTrail to record management and data events.”; GENSEC01-BP04: “AWS "
        "CloudTrail can be used to monitor access to AWS services.”; framework SEC04-BP01 (configure service and "
        "application logging)."
    ),
)
def check(plan, params):
    evidence = rulekit.workload_evidence(plan)
    if evidence is None:
        return Result.not_applicable("the plan creates no VPC and no GenAI resource")
    trails = plan.of_type("aws_cloudtrail")
    if not trails and rulekit.organization_managed(plan):
        return Result.passed("the organization trail covers the account (organization_security_services = true): "
                             "the trail is in the organization plan, its Object Lock bucket in the log-archive plan")
    if not trails:
        return Result.failed(f"the plan builds a workload ({evidence.address}) but creates no CloudTrail trail",
                             value=evidence.address)
    needed = _needed_data_types(plan)
    judged = [(t, *_problems(t, needed)) for t in trails]
    good = [t for t, problems, undecided in judged if not problems and not undecided]
    if good:
        what = "multi-Region trail with log file validation" + (" and Bedrock data events" if needed else "")
        return [Result.passed(what, address=t.address) for t in good]
    results = []
    for trail, problems, undecided in judged:
        if problems:
            results.append(Result.failed(f"the trail: {'; '.join(problems)}", address=trail.address))
        else:
            results.append(Result.unknown(f"{', '.join(undecided)} known only after apply", address=trail.address))
    return results
