"""The Lambda function behind a Bedrock agent action group can be invoked only by that agent."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

EXECUTOR = "action_group_executor.0.lambda"


@rule(
    id="LZ-SEC-035",
    title="Lambda functions of Bedrock agent action groups can be invoked only by their agent (source_arn)",
    pillar="security",
    lens=["GENSEC05-BP01"],
    severity="high",
    resource_types=("aws_bedrockagent_agent_action_group",),
    remediation=(
        "Give the action group's function an aws_lambda_permission with principal = \"bedrock.amazonaws.com\", "
        "source_arn = aws_bedrockagent_agent.x.agent_arn and source_account = the account id; do not grant "
        "lambda:InvokeFunction to bedrock.amazonaws.com without source_arn."
    ),
    rationale=(
        "Lens GENSEC05-BP01 (implement least privilege access and permissions boundaries for agentic workflows): "
        "the action group's Lambda function is the agent's hands (it calls APIs with the function's role). A "
        "resource policy that lets bedrock.amazonaws.com invoke it without a source_arn lets any agent, in any "
        "account, use those hands (the confused-deputy problem). The rule follows action_group_executor.lambda to "
        "the planned function and its aws_lambda_permission resources; a function outside the plan is unknown."
    ),
)
def check(group, plan, params):
    if group.get("action_group_executor") is UNKNOWN:
        return Result.unknown("the executor is known only after apply", path="action_group_executor")
    executors = group.blocks("action_group_executor")
    if not executors or executors[0].get("lambda") in (None, ""):
        custom = executors[0].get("custom_control") if executors else None
        if custom == "RETURN_CONTROL":
            return Result.passed("the action group returns control to the application (no Lambda to invoke)",
                                 path="action_group_executor")
        return None
    function = rulekit.referenced(group, EXECUTOR, ("aws_lambda_function", "aws_lambda_alias"))
    if function is None:
        return Result.unknown("the action group's Lambda function is not defined in this plan: its resource "
                              "policy cannot be read", path=EXECUTOR)
    permissions = function.referenced_by("aws_lambda_permission", "function_name")
    bedrock = [p for p in permissions if p.get("principal") in ("bedrock.amazonaws.com", UNKNOWN)]
    if not bedrock:
        return Result.failed(f"{function.address} has no aws_lambda_permission for bedrock.amazonaws.com in this "
                             "plan (the agent cannot call it, or it is granted elsewhere without review)",
                             via=function.address)
    open_ = [p.address for p in bedrock if p.get("principal") == "bedrock.amazonaws.com"
             and p.get("source_arn") in (None, "")]
    if open_:
        return Result.failed(f"{', '.join(open_)} lets any Bedrock agent invoke {function.address} (no source_arn)",
                             via=open_[0])
    if any(p.get("principal") is UNKNOWN for p in bedrock):
        return Result.unknown("a permission's principal is known only after apply", path=EXECUTOR)
    return Result.passed(f"{function.address} may be invoked by Bedrock only from a named source_arn",
                         via=bedrock[0].address)
