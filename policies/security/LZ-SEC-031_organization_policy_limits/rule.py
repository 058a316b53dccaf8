"""SCPs and RCPs fit AWS Organizations' limits, and a region deny exempts global services."""
from __future__ import annotations

import fnmatch

from checks import Result, UNKNOWN, rule
from checks import rulekit

# AWS Organizations quotas (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html):
# a policy document of either type holds at most 5,120 characters (through the API every
# character counts, whitespace too), and a root, OU or account has at most 5 of each type
# attached, the AWS managed full-access policy included (attached by default; the RCP one
# cannot be detached).
SIZE_LIMIT = 5120
ATTACH_LIMIT = 5
FULL_ACCESS = {"SERVICE_CONTROL_POLICY": "p-FullAWSAccess", "RESOURCE_CONTROL_POLICY": "p-RCPFullAWSAccess"}
TYPE_NAMES = {"SERVICE_CONTROL_POLICY": "SCP", "RESOURCE_CONTROL_POLICY": "RCP"}
TARGET_TYPES = ("aws_organizations_organizational_unit", "aws_organizations_account", "aws_organizations_organization")

# Global services whose single endpoint is in us-east-1: a region deny that does not allow
# us-east-1 must leave them out. CloudFront, IAM, Route 53 and Support are the ones the IAM
# User Guide's region-deny example names ("reference_policies_examples_aws_deny-requested-region");
# Organizations, STS (global endpoint), Budgets and Cost Explorer run the landing zone itself.
GLOBAL_SERVICES = ("cloudfront", "iam", "route53", "support", "organizations", "sts", "budgets", "ce")
GLOBAL_REGION = "us-east-1"
NEGATED_STRING_OPERATORS = ("StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase")


def _policy_type(policy) -> str | None:
    kind = policy.get("type")
    if kind is UNKNOWN:
        return None
    if kind is None:
        return "SERVICE_CONTROL_POLICY"  # the provider's default
    return kind if isinstance(kind, str) else "(not a policy type)"


def _denies(statement, service: str) -> bool | None:
    """Does a Deny statement's action set reach every action of ``service``? None: unknown elements."""
    probe = f"{service}:Zz0probeEveryAction"
    if "NotAction" in statement:
        excluded = statement["NotAction"]
        if any(a is UNKNOWN for a in excluded):
            return None
        return not any(rulekit.covers(a, probe) for a in excluded)
    actions = statement.get("Action", ())
    if any(rulekit.covers(a, probe) for a in actions):
        return True
    return None if any(a is UNKNOWN for a in actions) else False


def _allowed_regions(statement) -> list | None:
    """The regions a Deny statement leaves allowed through aws:RequestedRegion, or None
    when it is no region deny."""
    condition = statement.get("Condition")
    for operator, block in (condition.items() if isinstance(condition, dict) else ()):
        base = str(operator).split(":")[-1].removesuffix("IfExists")
        if base not in NEGATED_STRING_OPERATORS or not isinstance(block, dict):
            continue
        for key, values in block.items():
            if str(key).lower() == "aws:requestedregion":
                return rulekit.as_list(values)
    return None


def _region_deny(doc) -> Result | None:
    """A failing or unknown result when a region deny blocks the us-east-1 global services."""
    for i, st in enumerate(doc.statements):
        if rulekit.is_allow(st):
            continue
        allowed = _allowed_regions(st)
        if allowed is None:
            continue
        if any(isinstance(r, str) and fnmatch.fnmatchcase(GLOBAL_REGION, r.lower()) for r in allowed):
            continue
        denied = {s: _denies(st, s) for s in GLOBAL_SERVICES}
        blocked = [s for s, d in denied.items() if d]
        name = st.get("Sid") or i
        if blocked:
            return Result.failed(
                f"statement {name} denies every region but {', '.join(str(r) for r in allowed)} and does not exempt "
                f"the global services {', '.join(blocked)} (their endpoint is in {GLOBAL_REGION}): add them to NotAction",
                path="content", via=doc.via)
        if any(d is None for d in denied.values()) or any(r is UNKNOWN for r in allowed):
            return Result.unknown(f"statement {name}: actions or regions of the region deny are known only after apply",
                                  path="content")
    return None


def _check_policy(policy) -> Result | None:
    kind = _policy_type(policy)
    if kind is None:
        return Result.unknown("the policy type is known only after apply", path="type")
    if kind not in TYPE_NAMES:
        return None
    content = policy.get("content")
    if content is None:
        return None
    if content is not UNKNOWN and not isinstance(content, str):
        return Result.failed(f"the {TYPE_NAMES[kind]} content is not JSON text", path="content")
    if isinstance(content, str) and len(content) > SIZE_LIMIT:
        return Result.failed(f"the {TYPE_NAMES[kind]} has {len(content)} characters; AWS Organizations accepts at most "
                             f"{SIZE_LIMIT}: split it or shorten it (wildcards, fewer Sids, no whitespace)", path="content")
    doc = rulekit.policy_document(policy, "content")
    if kind == "SERVICE_CONTROL_POLICY" and doc.known:
        found = _region_deny(doc)
        if found is not None:
            return found
    if content is UNKNOWN:
        return Result.unknown(f"the {TYPE_NAMES[kind]} is known only after apply: its size cannot be checked",
                              path="content")
    return Result.passed(f"the {TYPE_NAMES[kind]} has {len(content or '')} of {SIZE_LIMIT} characters"
                         + (" and its region deny, if any, exempts the global services" if kind == "SERVICE_CONTROL_POLICY"
                            else ""), path="content")


# -- attachments: how many policies of a type does each target get? ----------------------


def _attachment_facts(attachment):
    """(target key or None, policy type or None, policy key) of one attachment."""
    target = attachment.get("target_id")
    if isinstance(target, str):
        target_key = target
    else:
        targets = {r.address for r in attachment.references("target_id", TARGET_TYPES)}
        target_key = targets.pop() if len(targets) == 1 else None
    policy_id = attachment.get("policy_id")
    policies = attachment.references("policy_id", "aws_organizations_policy")
    if isinstance(policy_id, str):
        kind = next((k for k, v in FULL_ACCESS.items() if v == policy_id), None)
        if kind is None and len(policies) == 1:
            kind = _policy_type(policies[0])
        return target_key, kind, policy_id
    kinds = {_policy_type(p) for p in policies}
    kind = kinds.pop() if len(kinds) == 1 else None
    policy_key = policies[0].address if len(policies) == 1 else None
    return target_key, kind, policy_key


def _attachment_index(plan):
    """Per policy type: {target key: set of policy keys} and the attachments whose target or
    policy the plan cannot tell."""
    index: dict[str, dict] = {}
    for attachment in plan.of_type("aws_organizations_policy_attachment"):
        target, kind, policy = _attachment_facts(attachment)
        entry = index.setdefault(kind, {"targets": {}, "open": 0})
        if target is None or policy is None:
            entry["open"] += 1
        else:
            entry["targets"].setdefault(target, set()).add(policy)
    return index


def _count(policies: set, kind: str) -> int:
    return len(policies) + (0 if FULL_ACCESS[kind] in policies else 1)


def _check_attachment(attachment, plan) -> Result | None:
    target, kind, policy = _attachment_facts(attachment)
    if kind is None:
        return Result.unknown("the plan cannot show which policy this attachment attaches (its policy_id refers to "
                              "policies of several types through an index, or to none planned here), so neither its "
                              "type nor its target's count can be checked", path="policy_id")
    if kind not in TYPE_NAMES:
        return None
    entry = rulekit.plan_index(plan, "organization_policy_attachments", _attachment_index)[kind]
    name = TYPE_NAMES[kind]
    if target is None or policy is None:
        everything = sum(len(p) for p in entry["targets"].values()) + entry["open"] + 1
        if everything <= ATTACH_LIMIT:
            return Result.passed(f"the plan attaches {everything - 1} {name}s in all: no target can get more than "
                                 f"{ATTACH_LIMIT} with {FULL_ACCESS[kind]}")
        return Result.unknown(f"the target or policy of this {name} attachment is known only after apply (through a "
                              "local or an index), so the plan cannot show how many policies its target gets",
                              path="target_id")
    # the count is read through the target the attachment refers to (its id is known only after apply)
    via = None if isinstance(attachment.get("target_id"), str) else target
    count = _count(entry["targets"][target], kind)
    if count > ATTACH_LIMIT:
        return Result.failed(f"{target} gets {count} {name}s ({FULL_ACCESS[kind]} included); AWS allows "
                             f"{ATTACH_LIMIT} per root, OU or account: merge policies", path="target_id", via=via)
    if count + entry["open"] > ATTACH_LIMIT:
        return Result.unknown(f"{target} gets {count} {name}s, and {entry['open']} more attachments have targets known "
                              "only after apply", path="target_id")
    return Result.passed(f"{target} gets {count} of {ATTACH_LIMIT} {name}s ({FULL_ACCESS[kind]} included)",
                         path="target_id", via=via)


@rule(
    id="LZ-SEC-031",
    title="SCPs and RCPs fit AWS Organizations' size and per-target limits, and a region deny exempts global services",
    pillar="security",
    framework=["SEC03-BP05"],
    severity="medium",
    resource_types=("aws_organizations_policy", "aws_organizations_policy_attachment"),
    remediation=(
        "Keep each SCP and RCP within 5,120 characters (jsonencode() or aws_iam_policy_document's minified json, "
        "wildcards such as ec2:Describe*, several policies instead of one); attach at most 4 of each type per root, "
        "OU or account besides the AWS managed full-access policy (merge policies, or attach at a parent OU); in a "
        "region deny, list the global services in NotAction the way AWS's example does (cloudfront, iam, route53, "
        "support, organizations, sts, budgets, ce, ...) or allow us-east-1."
    ),
    rationale=(
        "Each is accepted by the mock provider and breaks in a real organization: AWS Organizations rejects an SCP "
        "or RCP over 5,120 characters and a sixth policy of a type on one target (the AWS managed FullAWSAccess / "
        "RCPFullAWSAccess counts), so the apply fails part-way; and a region deny without exemptions denies IAM, "
        "Organizations, STS's global endpoint, Route 53, CloudFront, Support, Budgets and Cost Explorer, whose one "
        "endpoint is in us-east-1, in every member account: nobody can manage roles, budgets or support cases. "
        "Attachments whose target or policy the plan cannot tell (a target through a local) are unknown unless "
        "the whole plan attaches too few policies to reach the limit. Medium: a breach breaks the apply or the accounts, it opens nothing."
        " Framework SEC03-BP05 (define permission guardrails for your organization): the limits are Organizations "
        "mechanics no Generative AI Lens best practice names."
    ),
)
def check(resource, plan, params):
    if resource.type == "aws_organizations_policy_attachment":
        return _check_attachment(resource, plan)
    return _check_policy(resource)
