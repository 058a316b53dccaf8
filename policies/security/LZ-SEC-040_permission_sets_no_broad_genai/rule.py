"""Identity Center permission sets other than the administrator / break-glass ones grant no bedrock:* and no *."""
from __future__ import annotations

from checks import Result, UNKNOWN, rule
from checks import rulekit

PERMISSION_SET = "aws_ssoadmin_permission_set"
CUSTOMER_MANAGED = "aws_ssoadmin_customer_managed_policy_attachment"
TYPES = ("aws_ssoadmin_permission_set_inline_policy", "aws_ssoadmin_managed_policy_attachment", CUSTOMER_MANAGED)
# The permission sets that may hold every Bedrock action: the platform administrators (model access, logging,
# guardrails) and the break-glass set. Every other set gets named actions.
EXEMPT = ("PlatformAdmin", "BreakGlass")
ANY_SERVICE = "zz0anyservice"


def _documents(resource, plan):
    """(path, PolicyDoc) pairs the resource grants; a customer managed reference is read from the aws_iam_policy
    of that name in this plan, or is None (defined in the member accounts: unreadable here)."""
    if resource.type != CUSTOMER_MANAGED:
        return rulekit.identity_policies(resource)
    found = []
    for i, ref in enumerate(resource.blocks("customer_managed_policy_reference")):
        name = ref.get("name")
        by_name = rulekit.plan_index(plan, "by-name:aws_iam_policy", lambda p: rulekit.group_by(p, "aws_iam_policy", "name"))
        policies = by_name.get(name, []) if isinstance(name, str) else []
        if not policies:
            found.append((f"customer_managed_policy_reference.{i}.name", None))
        else:
            found.extend((f"customer_managed_policy_reference.{i}.name", rulekit.policy_document(p, "policy"))
                         for p in policies)
    return found


def _broad(doc):
    """('fail', what) when an Allow grants bedrock:* or every action, ('unknown', why) when actions are
    known only after apply, ('pass', None) otherwise."""
    undecided = None
    for i, st in enumerate(doc.statements):
        if not rulekit.is_allow(st):
            continue
        bedrock = rulekit.grants_whole_service(st, "bedrock")
        if bedrock:
            everything = rulekit.grants_whole_service(st, ANY_SERVICE)
            return "fail", f"statement {st.get('Sid') or i} allows {'*' if everything else 'bedrock:*'}"
        if bedrock is None:
            undecided = f"statement {st.get('Sid') or i} has actions known only after apply"
    return ("unknown", undecided) if undecided else ("pass", None)


def _holders(resource):
    """The names of the permission sets the resource belongs to (UNKNOWN among them when not known)."""
    names = [s.get("name") for s in resource.references("permission_set_arn", PERMISSION_SET)]
    return {n if isinstance(n, str) else UNKNOWN for n in names} if names else {UNKNOWN}


@rule(
    id="LZ-SEC-040",
    title="Identity Center permission sets other than PlatformAdmin / break-glass grant no bedrock:* and no *",
    pillar="security",
    lens=["GENSEC01-BP01"],
    framework=["SEC03-BP02"],
    severity="high",
    resource_types=TYPES,
    remediation=(
        "Give the people's permission sets the Bedrock actions they use (bedrock:InvokeModel*, bedrock:ApplyGuardrail, "
        "bedrock:Get* / List* for reading) on the approved model and guardrail ARNs, never bedrock:* or *; attach "
        "AmazonBedrockLimitedAccess / ReadOnlyAccess instead of AmazonBedrockFullAccess / AdministratorAccess. Only "
        "the PlatformAdmin and BreakGlass permission sets may manage model access, logging and guardrails."
    ),
    rationale=(
        "A permission set is provisioned as a role in every account it is assigned to: bedrock:* in a developer's "
        "set lets every developer enable models, change or delete guardrails, turn off invocation logging and "
        "create agents in each of those accounts, whatever resource it is scoped to; * (AdministratorAccess, an "
        "inline \"*\") grants all of that and more. LZ-SEC-010 already fails bedrock:* or * on every resource in any "
        "identity policy, permission sets included; this rule adds what it does not judge for the people's sets: "
        "bedrock:* scoped to some resources, and customer managed policy references (read from the aws_iam_policy "
        "of that name when the plan defines it, unknown otherwise: the policy lives in the member accounts). It "
        "exempts the PlatformAdmin and BreakGlass sets, whose job is administration. AWS managed policies are judged "
        "by their content in policies/data/aws_managed_policies.yaml; those not listed there are not judged. A grant "
        "whose permission set the plan cannot tell is unknown."
        " Lens GENSEC01-BP01 (“Grant least privilege access to foundation model endpoints”: “These roles should be "
        "granted least privilege access”); framework SEC03-BP02 (“Grant least privilege access”)."
    ),
)
def check(resource, plan, params):
    documents = _documents(resource, plan)
    if not documents:
        return None
    for path, doc in documents:
        if doc is None:
            return Result.unknown("the customer managed policy is defined in the member accounts, not in this plan: "
                                  "its content cannot be read", path=path)
        if not doc.known:
            return Result.unknown("the policy (or the ARN of the managed policy) is known only after apply", path=path)
        status, message = _broad(doc)
        if status == "pass":
            continue
        holders = _holders(resource)
        if UNKNOWN not in holders and holders <= set(EXEMPT):
            continue
        if status == "unknown":
            return Result.unknown(message, path=path)
        if UNKNOWN in holders or len(holders) > 1:
            return Result.unknown(f"{message}, and the plan cannot tell which permission set holds it", path=path)
        what = f"{doc.managed}: {message}" if doc.managed else message
        return Result.failed(f"permission set {holders.pop()}: {what}", path=path, via=doc.via)
    return Result.passed("grants neither bedrock:* nor * (or belongs to the PlatformAdmin / BreakGlass set)",
                         path=documents[0][0])
