"""SageMaker endpoints and Bedrock usage have CloudWatch alarms on their metrics."""
from checks import UNKNOWN, Result, plan_rule, rulekit

ALARM = "aws_cloudwatch_metric_alarm"
GENAI_NAMESPACES = ("AWS/SageMaker", "AWS/Bedrock")
ACTION_TARGETS = ("aws_sns_topic", "aws_lambda_function", "aws_ssm_incident_response_plan")
ENDPOINT = "aws_sagemaker_endpoint"


def _namespaces(alarm):
    """The metric namespaces an alarm watches (plain metric or metric math), UNKNOWN inside if unknown."""
    found = [alarm.get("namespace")]
    for query in alarm.blocks("metric_query"):
        found.extend(m.get("namespace") for m in query.blocks("metric"))
    return [n for n in found if n is not None]


def _notifies(alarm):
    """True when the alarm acts on ALARM (actions enabled, alarm_actions not empty); UNKNOWN when
    that is known only after apply. alarm_actions is a set, so one ARN known only after apply
    makes the whole set unknown: a set that refers to a planned SNS topic is not empty."""
    enabled = alarm.get("actions_enabled", True)
    if enabled is False:
        return False
    actions = alarm.get("alarm_actions")
    if actions is UNKNOWN:
        return True if alarm.references("alarm_actions", ACTION_TARGETS) else UNKNOWN
    if enabled is UNKNOWN:
        return UNKNOWN
    return bool(actions)


def _target(alarm):
    """Where the alarm's actions go: the planned topic it refers to, else the alarm itself."""
    targets = alarm.references("alarm_actions", ACTION_TARGETS)
    return targets[0].address if targets else alarm.address


def _endpoint_names(alarm):
    values = [alarm.get("dimensions.EndpointName")]
    for query in alarm.blocks("metric_query"):
        values.extend(m.get("dimensions.EndpointName") for m in query.blocks("metric"))
    return [v for v in values if isinstance(v, str)]


@plan_rule(
    id="LZ-OPS-003",
    title="SageMaker endpoints and Bedrock usage have CloudWatch metric alarms that notify someone",
    pillar="operational_excellence",
    lens=["GENOPS02-BP02"],
    framework=["OPS08-BP04"],
    severity="high",
    applies_to="account",
    resource_types=(ENDPOINT, ALARM),
    remediation=(
        "Add aws_cloudwatch_metric_alarm resources: namespace \"AWS/SageMaker\" with dimensions EndpointName = "
        "aws_sagemaker_endpoint.x.name (ModelLatency, Invocation5XXErrors) for every endpoint, and namespace "
        "\"AWS/Bedrock\" (InvocationThrottles, InvocationServerErrors, InvocationLatency) when the plan uses Bedrock; "
        "give every alarm alarm_actions (an SNS topic with a subscriber, aws_sns_topic.x.arn) and leave "
        "actions_enabled on."
    ),
    rationale=(
        "Foundation model metrics (latency, throttles, errors, token counts) only help when someone is told they "
        "moved: an alarm turns the metric into an operational signal. Each SageMaker endpoint needs an alarm tied "
        "to its EndpointName (by configuration reference or known name); a plan with Bedrock resources needs at "
        "least one alarm in the AWS/Bedrock namespace. Lens GENOPS02-BP02 (monitor foundation model metrics) asks "
        "for alerts on these metrics: an alarm without alarm_actions (or with actions_enabled = false) changes "
        "state in a console nobody watches, so it fails and does not count as monitoring."
        " Lens GENOPS02-BP02 (monitor foundation model metrics): “Configure alarms to monitor specific thresholds and "
        "to send notifications or take actions when values exceed those thresholds.” Framework OPS08-BP04 (create "
        "actionable alerts)."
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
    results, silent = [], set()
    for space in GENAI_NAMESPACES:
        for alarm in by_namespace.get(space, []):
            notifies = _notifies(alarm)
            if notifies is UNKNOWN:
                results.append(Result.unknown("alarm_actions is known only after apply", path="alarm_actions",
                                              address=alarm.address))
                silent.add(alarm.address)
            elif not notifies:
                off = alarm.get("actions_enabled", True) is False
                results.append(Result.failed("the alarm notifies nobody: " + ("actions_enabled is false" if off else
                                             "alarm_actions is empty"), path="actions_enabled" if off else "alarm_actions",
                                             address=alarm.address))
                silent.add(alarm.address)
    # one pass over the alarms: which endpoints (by reference or known name) each one watches
    by_endpoint, by_name = {}, {}
    for alarm in by_namespace.get("AWS/SageMaker", []):
        for target in alarm.references("dimensions", ENDPOINT) + alarm.references("metric_query", ENDPOINT):
            by_endpoint.setdefault(target.address, []).append(alarm)
        for name in _endpoint_names(alarm):
            by_name.setdefault(name, []).append(alarm)
    for endpoint in endpoints:
        name = endpoint.get("name")
        watching = list(dict.fromkeys(by_endpoint.get(endpoint.address, []) +
                                      (by_name.get(name, []) if isinstance(name, str) else [])))
        tied = [a for a in watching if a.address not in silent]
        if tied:
            results.append(Result.passed(f"alarmed by {', '.join(a.address for a in tied)}", via=tied[0].address,
                                         address=endpoint.address))
        elif watching:
            results.append(Result.failed(f"only {', '.join(a.address for a in watching)} watch this endpoint, and "
                                         "none notifies anyone (no alarm_actions)", address=endpoint.address))
        elif undecided:
            results.append(Result.unknown(f"no AWS/SageMaker alarm names this endpoint; the namespace of "
                                          f"{undecided[0].address} is known only after apply", address=endpoint.address))
        else:
            results.append(Result.failed("no AWS/SageMaker metric alarm with this EndpointName", address=endpoint.address))
    if bedrock:
        bedrock_alarms = [a for a in by_namespace.get("AWS/Bedrock", []) if a.address not in silent]
        results.extend(Result.passed("alarm on AWS/Bedrock metrics with alarm actions", via=_target(a),
                                     address=a.address) for a in bedrock_alarms)
        if not bedrock_alarms and not any(a.address in silent for a in by_namespace.get("AWS/Bedrock", [])):
            if undecided:
                results.append(Result.unknown(f"Bedrock is used ({bedrock[0]}); the namespace of {undecided[0].address} "
                                              "is known only after apply"))
            else:
                results.append(Result.failed(f"Bedrock is used ({bedrock[0]}) but no alarm watches the AWS/Bedrock namespace"))
    return results
