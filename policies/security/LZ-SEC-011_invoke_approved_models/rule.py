"""bedrock:InvokeModel* is granted only on approved foundation models."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

TYPES = rulekit.IDENTITY_POLICY_TYPES
# Resources whose planned attributes name the model they serve.
MODEL_SOURCES = {
    "aws_bedrock_inference_profile": "model_source.copy_from",
    "aws_bedrock_provisioned_model_throughput": "model_arn",
    "aws_bedrock_custom_model": "base_model_identifier",
}
WILDCARDS = ("*", "?")


def model_verdict(arn, approved, allow_global=False, geographies=None):
    """None when the ARN is an approved model, else the reason it is not."""
    if arn == "*":
        return "Resource \"*\" (every model)"
    if not isinstance(arn, str):
        return f"resource {arn!r} is not an ARN"
    if not arn.startswith("arn:"):
        # a bare model id (e.g. base_model_identifier)
        return None if arn in approved else f"model {arn} is not approved"
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return f"{arn} is not an ARN"
    service, resource = parts[2], parts[5]
    if not rulekit.covers(service, "bedrock"):
        return None  # not a Bedrock ARN: InvokeModel on it grants nothing
    kind, _, ident = resource.partition("/")
    if any(w in service + kind + ident for w in WILDCARDS):
        return f"{arn} uses a wildcard: it would cover unapproved models"
    if kind == "foundation-model":
        return None if ident in approved else f"foundation model {ident} is not approved"
    if kind == "inference-profile":
        geo, _, model = ident.partition(".")
        if model not in approved:
            return f"inference profile {ident} does not serve an approved model"
        if geo == "global":
            if allow_global:
                return None
            return (f"inference profile {ident} routes requests to Regions world-wide (global.); params "
                    "allow_global_inference_profiles is false")
        if geographies is not None and geo not in geographies:
            return f"inference profile {ident}: geography {geo} is not in params inference_profile_geographies"
        return None  # a system cross-region profile of one approved geography serves exactly this model
    return f"{arn} ({kind}) cannot be traced to an approved foundation model"


def _statement_verdicts(doc, i, st, approved, allow_global, geographies):
    """(failures, undecided) for one Allow statement that grants InvokeModel."""
    failures, undecided = [], []
    if "NotResource" in st:
        return ["NotResource grants every other model"], []
    resources = st.get("Resource", [])
    for arn in resources:
        if arn is UNKNOWN:
            continue
        reason = model_verdict(arn, approved, allow_global, geographies)
        if reason:
            failures.append(reason)
    if any(r is UNKNOWN for r in resources):
        refs = doc.references(st, "resources")
        if not refs:
            undecided.append(f"statement {st.get('Sid') or i} names resources known only after apply")
        for ref in refs:
            path = MODEL_SOURCES.get(ref.type)
            if path is None:
                continue  # a guardrail, key or other ARN: InvokeModel on it grants no model
            source = ref.get(path)
            if source is UNKNOWN:
                undecided.append(f"the model of {ref.address} is known only after apply")
                continue
            reason = model_verdict(source, approved, allow_global, geographies)
            if reason:
                failures.append(f"{ref.address}: {reason}")
    return failures, undecided


@rule(
    id="LZ-SEC-011",
    title="bedrock:InvokeModel* is allowed only on approved foundation models",
    pillar="security",
    lens=["GENSEC01-BP01"],
    severity="high",
    resource_types=TYPES,
    remediation=(
        "Scope bedrock:InvokeModel / InvokeModelWithResponseStream to "
        "arn:<partition>:bedrock:<region>::foundation-model/<id> for ids in params approved_model_ids "
        "(modules/bedrock builds them from allowed_model_ids), or to inference profiles of those models. "
        "To add a model, add it to policies/params.yaml through review."
    ),
    rationale=(
        "The organisation approves models for cost, licence and evaluation reasons (params "
        "approved_model_ids). Resource \"*\", wildcards in model ids, NotResource, and ARNs of provisioned "
        "or custom models that cannot be traced to an approved base model fail. System-defined "
        "cross-region inference profiles of one geography (us./eu./apac.<model id>) pass when their model is "
        "approved and their geography is in params inference_profile_geographies: they route to the same "
        "model in other Regions of that geography; global.<model id> "
        "profiles route world-wide and fail unless params allow_global_inference_profiles is true. The "
        "approved list is params approved_model_ids, the same list the organization root's SCP is built "
        "from (a test checks they agree). AWS managed policies attached by ARN and Identity Center "
        "permission sets are judged by their content (policies/data/aws_managed_policies.yaml). Application inference profiles, "
        "provisioned throughput and custom models created in the plan are followed to the model they "
        "copy or are based on."
        " Lens GENSEC01-BP01: organization policies “can provide ways to block or restrict models your organization "
        "has not approved”."
    ),
)
def check(resource, plan, params):
    approved = set(params.get("approved_model_ids", ()))
    allow_global = params.get("allow_global_inference_profiles", False) is True
    geographies = set(params["inference_profile_geographies"]) if "inference_profile_geographies" in params else None
    verdicts = []
    for path, doc in rulekit.identity_policies(resource):
        if not doc.known:
            return Result.unknown("the policy is known only after apply and comes from no aws_iam_policy_document "
                                  "in the plan: cannot tell which models it allows", path=path)
        grants = False
        for i, st in enumerate(doc.statements):
            if not rulekit.is_allow(st):
                continue
            actions = st.get("NotAction") if "NotAction" in st else st.get("Action", ())
            covered = any(rulekit.covers(a, act) for a in actions for act in rulekit.BEDROCK_INVOKE_ACTIONS)
            if "NotAction" in st:
                covered = not covered
            if any(a is UNKNOWN for a in actions):
                return Result.unknown("actions known only after apply", path=path)
            if not covered:
                continue
            grants = True
            failures, undecided = _statement_verdicts(doc, i, st, approved, allow_global, geographies)
            if failures:
                source = f"{doc.managed}: " if doc.managed else ""
                return Result.failed(f"{source}InvokeModel allowed beyond approved models: {'; '.join(failures)}",
                                     path=path, via=doc.via)
            if undecided:
                return Result.unknown("; ".join(undecided), path=path)
        if grants:
            verdicts.append((path, doc.via))
    if not verdicts:
        return None
    path, via = verdicts[0]
    return Result.passed("InvokeModel is limited to approved models", path=path, via=via)
