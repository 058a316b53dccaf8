"""A non-production GenAI plan has a budget action that stops the plan's GenAI spend."""
from checks import UNKNOWN, Result, plan_rule
from checks import rulekit

ACTION_TYPES = ("APPLY_IAM_POLICY", "APPLY_SCP_POLICY", "RUN_SSM_DOCUMENTS")
DENY_ALL_POLICIES = ("arn:aws:iam::aws:policy/AWSDenyAll",)

# What a budget action can stop, and the API calls that start that spend.
SPEND = {
    "accelerator capacity": (
        "ec2:RunInstances", "ec2:StartInstances", "ec2:CreateFleet", "eks:CreateNodegroup",
        "eks:UpdateNodegroupConfig", "autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity",
        "sagemaker:CreateEndpoint", "sagemaker:CreateEndpointConfig", "sagemaker:UpdateEndpoint",
        "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateTransformJob",
        "sagemaker:CreateHyperParameterTuningJob", "sagemaker:CreateNotebookInstance", "sagemaker:StartNotebookInstance",
        "sagemaker:CreateApp", "sagemaker:CreateCluster"),
    "Bedrock invocation": ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:InvokeAgent",
                           "bedrock:RetrieveAndGenerate"),
    "provisioned throughput": ("bedrock:CreateProvisionedModelThroughput", "bedrock:UpdateProvisionedModelThroughput"),
    "model customization": ("bedrock:CreateModelCustomizationJob",),
}
CAPACITY_TYPES = ("aws_eks_node_group", "aws_instance", "aws_launch_template", "aws_launch_configuration",
                  "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration", "aws_sagemaker_notebook_instance")
IAM_DEFINITION = "definition.0.iam_action_definition.0"
SCP_DEFINITION = "definition.0.scp_action_definition.0"
SSM_DEFINITION = "definition.0.ssm_action_definition.0"


def _plan_spend(plan, footprint):
    """The kinds of GenAI spend the plan creates."""
    spend = set()
    if any(r.type in CAPACITY_TYPES for r in footprint):
        spend.add("accelerator capacity")
    if rulekit.bedrock_usage(plan) is not None:
        spend.add("Bedrock invocation")
    if plan.of_type("aws_bedrock_provisioned_model_throughput"):
        spend.add("provisioned throughput")
    if plan.of_type("aws_bedrock_custom_model"):
        spend.add("model customization")
    return spend


def _classes(statements, allow):
    """Spend classes that statements of the given effect grant (allow=True) or deny (allow=False)."""
    found = set()
    for st in statements:
        if rulekit.is_allow(st) != allow:
            continue
        patterns = st.get("Action", ())
        for kind, actions in SPEND.items():
            if any(rulekit.covers(p, a) for p in patterns for a in actions):
                found.add(kind)
    return found


def _denied(action, kind):
    """(denied spend classes | UNKNOWN, where) of the action's policy / SCP / SSM document."""
    if kind == "RUN_SSM_DOCUMENTS":
        sub = action.get(f"{SSM_DEFINITION}.action_sub_type")
        if sub is UNKNOWN:
            return UNKNOWN, None
        return ({"accelerator capacity"} if sub == "STOP_EC2_INSTANCES" else set()), None
    if kind == "APPLY_IAM_POLICY":
        path, types, attr = f"{IAM_DEFINITION}.policy_arn", "aws_iam_policy", "policy"
    else:
        path, types, attr = f"{SCP_DEFINITION}.policy_id", "aws_organizations_policy", "content"
    policy = rulekit.referenced(action, path, types)
    if policy is None:
        value = action.get(path)
        if value in DENY_ALL_POLICIES:
            return set(SPEND), None
        return UNKNOWN, None
    doc = rulekit.policy_document(policy, attr)
    if not doc.known:
        return UNKNOWN, policy.address
    return _classes(doc.statements, allow=False), policy.address


def _targets(action, kind, plan):
    """(planned roles | None when the targets are accounts / instances, names outside the plan, count)."""
    if kind == "RUN_SSM_DOCUMENTS":
        ids = action.get(f"{SSM_DEFINITION}.instance_ids")
        return None, [], UNKNOWN if ids is UNKNOWN else len(ids or ())
    if kind == "APPLY_SCP_POLICY":
        ids = action.get(f"{SCP_DEFINITION}.target_ids")
        return None, [], UNKNOWN if ids is UNKNOWN else len(ids or ())
    roles = list(action.references(f"{IAM_DEFINITION}.roles", "aws_iam_role"))
    names = action.get(f"{IAM_DEFINITION}.roles")
    users, groups = action.get(f"{IAM_DEFINITION}.users"), action.get(f"{IAM_DEFINITION}.groups")
    if UNKNOWN in (names, users, groups) and not roles:
        return roles, [], UNKNOWN
    by_name = rulekit.plan_index(plan, "roles-by-name", lambda p: rulekit.group_by(p, "aws_iam_role", "name"))
    outside = []
    for name in names if isinstance(names, list) else ():
        found = by_name.get(name, [])
        roles.extend(r for r in found if r not in roles)
        if not found:
            outside.append(name)
    outside += [f"user {u}" for u in users or () if isinstance(users, list)]
    outside += [f"group {g}" for g in groups or () if isinstance(groups, list)]
    count = len(set(r.address for r in roles)) + len(outside)
    return roles, outside, count


def _judge(action, plan, spend):
    kind = action.get("action_type")
    addr = action.address
    if kind is UNKNOWN:
        return Result.unknown("action_type is known only after apply", path="action_type", address=addr)
    if kind not in ACTION_TYPES:
        return Result.failed(f"action_type {kind!r} does not stop spend", path="action_type", address=addr)
    denied, via = _denied(action, kind)
    if denied is UNKNOWN:
        return Result.unknown(f"what the {kind} action denies is known only after apply or lies outside this plan",
                              address=addr)
    stopped = denied & spend
    if not stopped:
        what = ", ".join(sorted(denied)) or "none of the GenAI spend"
        return Result.failed(f"the action denies {what}; the plan spends on {', '.join(sorted(spend))}",
                             via=via, address=addr)
    roles, outside, count = _targets(action, kind, plan)
    if count is UNKNOWN:
        return Result.unknown("the action's targets are known only after apply", address=addr)
    if count == 0:
        return Result.failed(f"the {kind} action has no target: it stops nothing", address=addr)
    if roles is None:  # accounts / OUs / instances: they are where the spend happens
        return Result.passed(f"{kind} stops {', '.join(sorted(stopped))}", via=via, address=addr)
    can_cause = set()
    for role in roles:
        for doc in rulekit.role_policy_documents(role):
            if doc.known:
                can_cause |= _classes(doc.statements, allow=True)
    effective = stopped & can_cause
    left = sorted(spend - effective)
    if effective:
        rest = f"; not stopped: {', '.join(left)}" if left else ""
        return Result.passed(f"denies {', '.join(sorted(effective))} to {', '.join(r.address for r in roles)}{rest}",
                             via=via, address=addr)
    if outside:
        return Result.unknown(f"the action denies {', '.join(sorted(stopped))} to {', '.join(outside)}, which this "
                              "plan does not define: whether they can cause that spend is not visible", address=addr)
    return Result.failed(f"the action denies {', '.join(sorted(stopped))} to {', '.join(r.address for r in roles)}, "
                         "but no policy of theirs in this plan allows that spend: the action stops nothing",
                         via=via, address=addr)


@plan_rule(
    id="LZ-COST-002",
    title="Non-production GenAI plans have a budget action that stops the plan's GenAI spend",
    pillar="cost_optimization",
    framework=["COST02-BP05"],
    severity="medium",
    applies_to="account",
    resource_types=("aws_budgets_budget_action",),
    remediation=(
        "Add an aws_budgets_budget_action on the account's budget (budget_name = aws_budgets_budget.x.name) whose "
        "deny policy / SCP denies the plan's GenAI spend (accelerator capacity: ec2:RunInstances, "
        "eks:CreateNodegroup, sagemaker:CreateEndpointConfig...; Bedrock invocation: bedrock:InvokeModel*; "
        "provisioned throughput: bedrock:CreateProvisionedModelThroughput), attached to the roles that make those "
        "calls (iam_action_definition roles), or an SSM STOP_EC2_INSTANCES action on the instances "
        "(modules/budgets: create_budget_action = true outside prod)."
    ),
    rationale=(
        "In development and test "
        "accounts an idle endpoint or a forgotten training job should not keep spending until someone reads an "
        "e-mail: a budget action stops it automatically. An action only stops spend when its policy denies the calls "
        "that create that spend and is attached to principals that make those calls: a deny of ec2:RunInstances "
        "attached to a role that only invokes Bedrock stops nothing. The rule reads the planned deny policy (or "
        "SCP), keeps the spend classes the plan has (accelerator capacity, Bedrock invocation, provisioned "
        "throughput, model customization), and checks that a target role's own policies allow one of them. "
        "Production is only alerted (stopping inference there is an outage). The environment is read from the "
        "environment tag of the plan's GenAI / accelerator resources; untagged resources count as non-production."
        " Framework COST02-BP05 (implement cost controls): after notifications, “you can enforce governance” with IAM "
        "policies and SCPs, which is what a budget action applies. No Generative AI Lens best practice asks for "
        "budget actions."
    ),
)
def check(plan, params):
    footprint = rulekit.genai_footprint(plan, params)
    if not footprint:
        return Result.not_applicable("the plan creates no Bedrock, SageMaker or accelerator resource")
    # resources that cannot carry tags (guardrail versions, logging configurations) say nothing about the environment
    tagged = [r for r in footprint if r.taggable or r.is_unknown("tags")]
    if tagged and all(rulekit.environment_class(r, params) == "production" for r in tagged):
        return Result.not_applicable("every taggable GenAI resource of the plan is tagged production: alerts only")
    spend = _plan_spend(plan, footprint) or {"accelerator capacity"}
    actions = plan.of_type("aws_budgets_budget_action")
    if not actions:
        return Result.failed(f"non-production GenAI resources ({footprint[0].address}, ...) but no "
                             "aws_budgets_budget_action")
    results = []
    for action in actions:
        name = action.get("budget_name")
        if rulekit.referenced(action, "budget_name", "aws_budgets_budget") is None and rulekit.is_empty(name):
            results.append(Result.failed("budget_name is not set", path="budget_name", address=action.address))
            continue
        results.append(_judge(action, plan, spend))
    return results
