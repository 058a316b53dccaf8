"""SageMaker endpoints and Bedrock usage have CloudWatch alarms on their metrics."""
from checks import UNKNOWN, Result, plan_rule, rulekit

ALARM = "aws_cloudwatch_metric_alarm"
ENDPOINT = "aws_sagemaker_endpoint"


def _namespaces(alarm):
    """The metric namespaces an alarm watches (plain metric or metric math), UNKNOWN inside if unknown."""
    found = [alarm.get("namespace")]
    for query in alarm.blocks("metric_query"):
        found.extend(m.get("namespace") for m in query.blocks("metric"))
    return [n for n in found if n is not None]


def _endpoint_names(alarm):
    values = [alarm.get("dimensions.EndpointName")]
    for query in alarm.blocks("metric_query"):
        values.extend(m.get("dimensions.EndpointName") for m in query.blocks("metric"))
    return [v for v in values if isinstance(v, str)]


@plan_rule(
    id="LZ-OPS-003",
    title="SageMaker endpoints and Bedrock usage have CloudWatch metric alarms",
    pillar="operational_excellence",
    lens=["GENOPS02-BP02"],
    severity="high",
    applies_to="account",
    resource_types=(ENDPOINT, ALARM),
    remediation=(
        "Add aws_cloudwatch_metric_alarm resources: namespace \"AWS/SageMaker\" with dimensions EndpointName = "
        "aws_sagemaker_endpoint.x.name (ModelLatency, Invocation5XXErrors) for every endpoint, and namespace "
        "\"AWS/Bedrock\" (InvocationThrottles, InvocationServerErrors, InvocationLatency) when the plan uses Bedrock."
    ),
    rationale=(
        "Foundation model metrics (latency, throttles, errors, token counts) only help when someone is told they "
        "moved: an alarm turns the metric into an operational signal. Each SageMaker endpoint needs an alarm tied "
        "to its EndpointName (by configuration reference or known name); a plan with Bedrock resources needs at "
        "least one alarm in the AWS/Bedrock namespace."
    ),
)
def check(plan, params):
    alarms = plan.of_type(ALARM)
    endpoints = plan.of_type(ENDPOINT)
    bedrock = [r.address for r in rulekit.genai_usage(plan, params).bedrock]
    if not endpoints and not bedrock:
        return Result.not_applicable("no SageMaker endpoint and no use of Bedrock in the plan (rulekit.genai_usage)")
    by_namespace, undecided = {}, []
    for alarm in alarms:
        spaces = _namespaces(alarm)
        if UNKNOWN in spaces:
            undecided.append(alarm)
        for space in spaces:
            if isinstance(space, str):
                by_namespace.setdefault(space, []).append(alarm)
    results = []
    # one pass over the alarms: which endpoints (by reference or known name) each one watches
    by_endpoint, by_name = {}, {}
    for alarm in by_namespace.get("AWS/SageMaker", []):
        for target in alarm.references("dimensions", ENDPOINT) + alarm.references("metric_query", ENDPOINT):
            by_endpoint.setdefault(target.address, []).append(alarm)
        for name in _endpoint_names(alarm):
            by_name.setdefault(name, []).append(alarm)
    for endpoint in endpoints:
        name = endpoint.get("name")
        tied = list(dict.fromkeys(by_endpoint.get(endpoint.address, []) +
                                  (by_name.get(name, []) if isinstance(name, str) else [])))
        if tied:
            results.append(Result.passed(f"alarmed by {', '.join(a.address for a in tied)}", via=tied[0].address,
                                         address=endpoint.address))
        elif undecided:
            results.append(Result.unknown(f"no AWS/SageMaker alarm names this endpoint; the namespace of "
                                          f"{undecided[0].address} is known only after apply", address=endpoint.address))
        else:
            results.append(Result.failed("no AWS/SageMaker metric alarm with this EndpointName", address=endpoint.address))
    if bedrock:
        bedrock_alarms = by_namespace.get("AWS/Bedrock", [])
        results.extend(Result.passed("alarm on AWS/Bedrock metrics", path="namespace", address=a.address)
                       for a in bedrock_alarms)
        if not bedrock_alarms:
            if undecided:
                results.append(Result.unknown(f"Bedrock is used ({bedrock[0]}); the namespace of {undecided[0].address} "
                                              "is known only after apply"))
            else:
                results.append(Result.failed(f"Bedrock is used ({bedrock[0]}) but no alarm watches the AWS/Bedrock namespace"))
    return results
