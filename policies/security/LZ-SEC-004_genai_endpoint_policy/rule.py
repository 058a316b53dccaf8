"""Endpoint policies of Bedrock / SageMaker endpoints are not full access."""
from checks import Result, UNKNOWN, rule
from checks import rulekit


@rule(
    id="LZ-SEC-004",
    title="Bedrock and SageMaker VPC endpoints have a restrictive endpoint policy (not full access)",
    pillar="security",
    lens=["GENSEC01-BP01", "GENSEC01-BP02"],
    severity="high",
    resource_types=("aws_vpc_endpoint",),
    remediation=(
        "Attach an endpoint policy that limits who can use the endpoint (aws:PrincipalAccount / "
        "aws:PrincipalOrgID condition or named principals) and what (e.g. bedrock:InvokeModel* on the "
        "approved model ARNs). modules/network builds one from bedrock_model_arns."
    ),
    rationale=(
        "Without a policy, or with Allow * on * for Principal *, the endpoint lets any principal, also from "
        "other accounts, reach every model and API through your network path: the endpoint is then a data "
        "exfiltration route instead of a control point (lens GENSEC01-BP02: private network communication "
        "between foundation models and applications; GENSEC01-BP01: least privilege access to foundation "
        "model endpoints). A statement is restricted by its principal, action, resource, or a condition on "
        "who acts or whose resources (aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn, "
        "aws:ResourceAccount, ...); a condition on anything else (aws:SecureTransport, aws:RequestedRegion, "
        "aws:SourceVpce) does not make Allow * on * less than full access; a policy known only after apply is judged "
        "through the aws_iam_policy_document it comes from, else unknown."
        " Lens GENSEC01-BP02: “Implementing a scoped down data perimeter on foundation model endpoints helps reduce "
        "the surface-area of potential threat vectors”."
    ),
)
def check(endpoint, plan, params):
    if endpoint.get("service_name") is UNKNOWN:
        return Result.unknown("service_name is known only after apply", path="service_name")
    service = rulekit.endpoint_service(endpoint)
    if not rulekit.is_genai_service(service):
        return None
    prefix = service.split(".")[0].split("-")[0]
    doc = rulekit.policy_document(endpoint, "policy")
    if not doc.known:
        return Result.unknown("the endpoint policy is known only after apply and comes from no "
                              "aws_iam_policy_document in the plan", path="policy")
    if not doc.statements:
        return Result.failed(f"{service} endpoint has no endpoint policy: the default policy allows full access",
                             path="policy")
    undecided = False
    for i, st in enumerate(doc.statements):
        if not rulekit.is_allow(st):
            continue
        scoped = rulekit.condition_scopes(st)
        if scoped:
            continue
        public = rulekit.public_principal(st, doc, i)
        every_action = rulekit.grants_whole_service(st, prefix)
        resources = st.get("Resource", [])
        any_resource = "NotResource" in st or rulekit.is_wildcard_resource(resources)
        if public and every_action and any_resource and scoped is False:
            return Result.failed(f"{service} endpoint policy allows every action on every resource to any principal "
                                 f"(statement {st.get('Sid') or i})", path="policy", via=doc.via)
        if public and every_action and any_resource and scoped is None:
            undecided = True  # a principal / organization condition whose value is known only after apply
        if public is None or every_action is None or (not any_resource and UNKNOWN in resources
                                                      and not doc.resolved(i, "Resource")):
            undecided = True
    if undecided:
        return Result.unknown(f"{service} endpoint policy has statements known only after apply", path="policy")
    return Result.passed(f"{service} endpoint policy restricts principals, actions, resources or conditions",
                         path="policy", via=doc.via)
