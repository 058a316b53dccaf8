"""Identity policies do not grant bedrock:* / sagemaker:* (or *) on every resource."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

SERVICES = ("bedrock", "sagemaker")
TYPES = rulekit.IDENTITY_POLICY_TYPES


def _judge(doc):
    """('fail', message) / ('unknown', message) / ('pass', None) for one policy document."""
    undecided = None
    for i, st in enumerate(doc.statements):
        if not rulekit.is_allow(st):
            continue
        resources = st.get("Resource", [])
        every_resource = "NotResource" in st or rulekit.is_wildcard_resource(resources)
        open_resources = any(r is UNKNOWN for r in resources) and not doc.resolved(i, "Resource")
        for service in SERVICES:
            whole = rulekit.grants_whole_service(st, service)
            if whole and every_resource:
                return "fail", f"statement {st.get('Sid') or i} allows {service}:* on every resource"
            if (whole is None and (every_resource or open_resources)) or (whole and open_resources):
                undecided = f"statement {st.get('Sid') or i} has actions or resources known only after apply"
    return ("unknown", undecided) if undecided else ("pass", None)


@rule(
    id="LZ-SEC-010",
    title="IAM policies do not allow bedrock:* or sagemaker:* (or *) on all resources",
    pillar="security",
    lens=["GENSEC01-BP01", "GENSEC05-BP01"],
    severity="high",
    resource_types=TYPES,
    remediation=(
        "List the actions the principal needs (e.g. bedrock:InvokeModel, bedrock:ApplyGuardrail, "
        "sagemaker:InvokeEndpoint) and scope Resource to the model, guardrail, agent or endpoint ARNs. "
        "Build policies with aws_iam_policy_document so the plan shows them even when ARNs are known only "
        "after apply."
    ),
    rationale=(
        "bedrock:* on * lets a workload or an agent invoke any model (including unapproved, expensive "
        "ones), change guardrails and logging, create agents and read knowledge bases; sagemaker:* on * "
        "covers creating endpoints and presigned Studio URLs. AWS managed policies attached by ARN (role, user "
        "and group attachments, a role's managed_policy_arns, Identity Center permission sets) are judged by "
        "their content as recorded in policies/data/aws_managed_policies.yaml (AdministratorAccess, "
        "PowerUserAccess, AmazonBedrockFullAccess, AmazonSageMakerFullAccess, ...); Identity Center inline "
        "policies as inline policies. Statements with Action \"*\" or an Allow "
        "NotAction that leaves the service in, combined with Resource \"*\" or NotResource, fail. A "
        "policy known only after apply is read from the aws_iam_policy_document it comes from; "
        "unknown resource ARNs traced to planned resources are specific ARNs, never \"*\". Policies "
        "built with jsonencode() around unknown values cannot be read at plan time and are unknown."
        " Lens GENSEC01-BP01: “You can use AWS Identity and Access Management to limit access to foundation model "
        "endpoints to IAM roles. These roles should be granted least privilege access”; GENSEC05-BP01 (“Implement "
        "least privilege access and permissions boundaries for agentic workflows”) for agent roles."
    ),
)
def check(resource, plan, params):
    policies = rulekit.identity_policies(resource)
    if not policies:
        return None
    via = None
    for path, doc in policies:
        via = via or doc.via
        if not doc.known:
            return Result.unknown("the policy (or the ARN of the managed policy attached) is known only after apply and "
                                  "comes from nothing in the plan (jsonencode around unknown values)", path=path)
        status, message = _judge(doc)
        if status == "fail":
            return Result.failed(f"{doc.managed}: {message}" if doc.managed else message, path=path, via=doc.via)
        if status == "unknown":
            return Result.unknown(message, path=path)
    names = [doc.managed for _, doc in policies if doc.managed]
    return Result.passed("no statement allows bedrock:* or sagemaker:* on every resource"
                         + (f" ({'; '.join(names)})" if names else ""), path=policies[0][0], via=via)
