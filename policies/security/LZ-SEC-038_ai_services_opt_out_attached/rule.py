"""An AI services opt-out policy opts the organization out of content use, attached to the root or every workload OU."""
from __future__ import annotations

import json

from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

POLICY_TYPE = "AISERVICES_OPT_OUT_POLICY"
OU = "aws_organizations_organizational_unit"
ROOT = "aws_organizations_organization"
ATTACHMENT = "aws_organizations_policy_attachment"
# OUs that hold no workload: the foundational accounts (log archive, audit, shared network).
FOUNDATIONAL_OUS = ("security", "infrastructure")


def _opts_out(policy):
    """True / False / UNKNOWN: does the policy opt every AI service (`default`) out with @@assign?"""
    kind = policy.get("type")
    if kind is UNKNOWN:
        return UNKNOWN
    if kind != POLICY_TYPE:
        return False
    content = policy.get("content")
    if content is UNKNOWN:
        return UNKNOWN
    try:
        document = json.loads(content) if isinstance(content, str) else None
    except ValueError:
        return False
    for key in ("services", "default", "opt_out_policy"):
        document = document.get(key) if isinstance(document, dict) else None
    return isinstance(document, dict) and document.get("@@assign") == "optOut"


def _targets(policy, plan):
    """The roots / OUs (resources) and known target ids the policy is attached to; UNKNOWN when an
    attachment's target is known only after apply and refers to nothing in the plan."""
    found, ids, undecided = [], [], False
    for attachment in policy.referenced_by(ATTACHMENT, "policy_id"):
        refs = attachment.references("target_id", (ROOT, OU))
        target = attachment.get("target_id")
        if refs:
            found.extend(refs)
        elif isinstance(target, str):
            ids.append(target)
        else:
            undecided = True
    return found, ids, undecided


def _workload_ous(plan):
    return [ou for ou in plan.of_type(OU)
            if not (isinstance(ou.get("name"), str) and ou.get("name").lower() in FOUNDATIONAL_OUS)]


def _covered(ou, attached, plan, seen=()):
    """Is the OU or one of its parent OUs in ``attached`` (policies are inherited down the tree)?"""
    if ou.address in attached:
        return True
    parents = [p for p in ou.references("parent_id", OU) if p.address not in seen]
    return any(_covered(p, attached, plan, (*seen, ou.address)) for p in parents)


@plan_rule(
    id="LZ-SEC-038",
    title="An AI services opt-out policy opts every AI service out of content use, attached to the root or every workload OU",
    pillar="security",
    framework=["SEC03-BP05"],
    severity="high",
    applies_to="account",
    resource_types=("aws_organizations_policy", ROOT, OU),
    remediation=(
        "Create an aws_organizations_policy of type AISERVICES_OPT_OUT_POLICY with content "
        "{\"services\":{\"default\":{\"opt_out_policy\":{\"@@assign\":\"optOut\",\"@@operators_allowed_for_child_policies\":"
        "[\"@@none\"]}}}}, enable the policy type on the root and attach it to the root (modules/organization "
        "create_ai_opt_out_policy = true does this)."
    ),
    rationale=(
        "AWS AI services (Amazon Q, Comprehend, Transcribe, Rekognition, ...) may store and use customer content "
        "to improve the service unless the organization opts out with an AI services opt-out policy; Bedrock "
        "itself does not use prompts and completions for training, the other AI services the workload accounts "
        "can call do. The opt-out applies to the accounts under the root or OU it is attached to: the rule "
        "passes when a policy of type AISERVICES_OPT_OUT_POLICY assigns optOut to `default` (every AI service) and "
        "is attached to the organization's root or to every OU that is not a foundational one (Security, "
        "Infrastructure), directly or through a parent OU. Applies to plans that create the organization or its "
        "OUs; a target or content known only after apply is unknown."
        " Framework SEC03-BP05 (“Define permission guardrails for your organization”): an organization policy set "
        "once for every account. No Generative AI Lens best practice in policies/lens names the opt-out from AI "
        "service improvement, so the rule maps to the framework only."
    ),
)
def check(plan, params):
    roots, ous = plan.of_type(ROOT), plan.of_type(OU)
    if not roots and not ous:
        return Result.not_applicable("the plan creates no organization and no OU")
    workload = _workload_ous(plan)
    results = []
    for policy in plan.of_type("aws_organizations_policy"):
        opts_out = _opts_out(policy)
        if opts_out is UNKNOWN:
            results.append(Result.unknown("the policy's type or content is known only after apply", address=policy.address))
            continue
        if not opts_out:
            continue
        targets, ids, open_target = _targets(policy, plan)
        if any(t.type == ROOT for t in targets) or any(i.startswith("r-") for i in ids):
            return Result.passed("every AI service is opted out of content use in the whole organization (attached "
                                 "to the root)", address=policy.address)
        attached = {t.address for t in targets}
        missing = [ou.address for ou in workload if not _covered(ou, attached, plan)]
        if workload and not missing:
            return Result.passed(f"every AI service is opted out of content use in every workload OU "
                                 f"({len(workload)})", address=policy.address)
        if open_target or ids:
            results.append(Result.unknown("an attachment's target is known only after apply and refers to no root or "
                                          "OU of the plan", address=policy.address))
        else:
            results.append(Result.failed(f"the opt-out is attached neither to the root nor to "
                                         f"{', '.join(missing) or 'any OU'}", address=policy.address))
    return results or Result.failed("no AI services opt-out policy (AISERVICES_OPT_OUT_POLICY opting `default` out "
                                    "with @@assign optOut) is attached to the root or the workload OUs")
