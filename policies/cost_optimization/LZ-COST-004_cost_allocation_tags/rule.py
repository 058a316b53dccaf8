"""Every taggable AWS resource carries the required cost-allocation tags with values."""
from checks import UNKNOWN, Result, plan_rule


@plan_rule(
    id="LZ-COST-004",
    title="Every taggable resource carries the required cost-allocation tags",
    pillar="cost_optimization",
    lens=["GENCOST02-BP02"],
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
        "it covers every taggable type in one pass."
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
        values = res.values
        tags_all = values.get("tags_all")
        own = values.get("tags") or {}
        if res.node.get("tags_all") is UNKNOWN or res.node.get("tags") is UNKNOWN:
            missing = [k for k in required if not _has(own, k)]
            if missing:
                results.append(Result.unknown(f"tags are known only after apply; {', '.join(missing)} not seen",
                                              path="tags", address=res.address))
                continue
            tags = own
        else:
            tags = tags_all if isinstance(tags_all, dict) and tags_all else own
        missing = [k for k in required if not _has(tags, k)]
        if missing:
            results.append(Result.failed(f"missing or empty cost-allocation tag(s): {', '.join(missing)}",
                                         path="tags", value=sorted(tags), address=res.address))
        else:
            results.append(Result.passed(f"{len(required)} required tags set", address=res.address))
    return results


def _has(tags, key):
    value = tags.get(key) if isinstance(tags, dict) else None
    return isinstance(value, str) and value.strip() != ""
