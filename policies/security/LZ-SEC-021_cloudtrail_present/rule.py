"""Workload plans create a multi-Region CloudTrail trail with log file validation."""
from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

REQUIRED = (
    ("is_multi_region_trail", "not multi-Region"),
    ("enable_log_file_validation", "log file validation is off"),
)


def _problems(trail):
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
    return problems, undecided


@plan_rule(
    id="LZ-SEC-021",
    title="A workload or GenAI plan records API activity with a multi-Region, validated CloudTrail trail",
    pillar="security",
    lens=["GENSEC03-BP01", "GENSEC01-BP04"],
    severity="high",
    applies_to="account",
    resource_types=("aws_cloudtrail",),
    remediation=(
        "Create an aws_cloudtrail with is_multi_region_trail = true, enable_log_file_validation = true, a "
        "CMK and a TLS-only, access-logged bucket (modules/security-baseline create_cloudtrail = true; add "
        "Bedrock data events with cloudtrail_bedrock_data_events)."
    ),
    rationale=(
        "CloudTrail is the audit record of who changed guardrails, logging, model access and IAM, and of "
        "Bedrock / SageMaker control-plane calls; without it the GenAI controls cannot be audited. This is "
        "a plan-level rule (\"the account has one\"), not a per-trail setting check: it applies to plans "
        "that create a VPC or any Bedrock / SageMaker resource (a workload account), and is not_applicable "
        "to other plans. An account covered by an organization trail created in another plan records a "
        "waiver for this rule."
    ),
)
def check(plan, params):
    evidence = rulekit.workload_evidence(plan)
    if evidence is None:
        return Result.not_applicable("the plan creates no VPC and no GenAI resource")
    trails = plan.of_type("aws_cloudtrail")
    if not trails:
        return Result.failed(f"the plan builds a workload ({evidence.address}) but creates no CloudTrail trail",
                             value=evidence.address)
    judged = [(t, *_problems(t)) for t in trails]
    good = [t for t, problems, undecided in judged if not problems and not undecided]
    if good:
        return [Result.passed("multi-Region trail with log file validation", address=t.address) for t in good]
    results = []
    for trail, problems, undecided in judged:
        if problems:
            results.append(Result.failed(f"the trail is {'; '.join(problems)}", address=trail.address))
        else:
            results.append(Result.unknown(f"{', '.join(undecided)} known only after apply", address=trail.address))
    return results
