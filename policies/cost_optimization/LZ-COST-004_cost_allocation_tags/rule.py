"""Every taggable AWS resource carries the required cost-allocation tags with values."""
from checks import UNKNOWN, Result, plan_rule, rulekit


@plan_rule(
    id="LZ-COST-004",
    title="Every taggable resource carries the required cost-allocation tags",
    pillar="cost_optimization",
    framework=["COST03-BP02"],
    severity="medium",
    resource_types=(),
    remediation=(
        "Set the params tags.required keys (project, environment, owner, cost-center) with non-empty values, best "
        "through the AWS provider's default_tags so that every resource gets them; activate them as cost allocation "
        "tags in the Billing console."
    ),
    rationale=(
        "Cost Explorer and budgets can only attribute model, endpoint and accelerator spend to a project, "
        "environment and cost center through tags; an untagged resource is spend nobody owns. Runs once over every "
        "resource of the plan that has a tags argument (tags_all, with the provider's default_tags, when known), so "
        "it covers every taggable type in one pass. Types AWS does not bill (IAM, security groups, subnets, route "
        "tables, launch templates, aws_default_* adoptions: rulekit.COSTLESS_TYPES) are skipped. Tags are known "
        "when the tags argument is known and no aws provider sets default_tags, even though tags_all is computed "
        "after apply. Keys are matched exactly (cost allocation tags are case-sensitive); a key present in "
        "another case is named in the message."
        " Framework COST03-BP02 (add organization information to cost and usage): tags attribute spend to owners. No "
        "Generative AI Lens best practice covers cost allocation."
    ),
)
def check(plan, params):
    required = list(params.get("tags", {}).get("required", ()))
    if not required:
        return Result.not_applicable("params tags.required is empty")
    results = []
    for res in plan.resources:
        if res.provider not in ("aws", ""):
            continue
        if not res.taggable and not res.node.is_unknown("tags") and not res.node.is_unknown("tags_all"):
            continue
        if not rulekit.carries_cost(res):
            continue  # AWS bills nothing for it: a cost-allocation tag attributes no spend
        tags = rulekit.effective_tags(res)
        if tags is UNKNOWN:
            own = res.values.get("tags") or {}
            missing = [k for k in required if not _has(own, k)]
            if missing:
                results.append(Result.unknown(f"tags are known only after apply; {', '.join(missing)} not seen",
                                              path="tags", address=res.address))
                continue
            tags = own
        missing = [k for k in required if not _has(tags, k)]
        if missing:
            results.append(Result.failed(_missing_message(tags, missing), path="tags", value=sorted(tags),
                                         address=res.address))
        else:
            results.append(Result.passed(f"{len(required)} required tags set", address=res.address))
    return results


def _missing_message(tags, missing):
    """Names the keys that are there in another case: cost allocation tag keys are case-sensitive."""
    other_case = {k: next((n for n in tags if isinstance(n, str) and n != k and n.lower() == k.lower()), None)
                  for k in missing if k not in tags}
    cased = [f"{k} (set as {other_case[k]!r}: cost allocation tag keys are case-sensitive)"
             for k in missing if other_case.get(k)]
    absent = [k for k in missing if not other_case.get(k)]
    parts = ([f"missing or empty cost-allocation tag(s): {', '.join(absent)}"] if absent else []) + cased
    return "; ".join(parts) if absent else "cost-allocation tag(s) in another case: " + "; ".join(cased)


def _has(tags, key):
    value = tags.get(key) if isinstance(tags, dict) else None
    return isinstance(value, str) and value.strip() != ""
