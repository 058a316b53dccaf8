"""Provisioned model throughput outside production has no commitment term."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

PATH = "commitment_duration"


@rule(
    id="LZ-COST-008",
    title="Provisioned model throughput outside production is bought without a 1- or 6-month commitment",
    pillar="cost_optimization",
    lens=["GENCOST02-BP01"],
    severity="high",
    resource_types=("aws_bedrock_provisioned_model_throughput",),
    remediation=(
        "Leave commitment_duration unset (no commitment, billed by the hour and deletable) on provisioned "
        "throughput outside production, and delete it when the test ends; buy OneMonth / SixMonths terms only in "
        "production, after load tests showed the model units are used."
    ),
    rationale=(
        "Lens GENCOST02-BP01 (balance cost and performance when selecting inference paradigms): provisioned "
        "throughput is billed per model unit per hour whether used or not; a OneMonth or SixMonths commitment "
        "cannot be deleted before the term ends, so a development experiment turns into months of fixed spend "
        "(thousands of dollars per model unit per month). On-demand or no-commitment throughput fits "
        "non-production. The environment is read from the environment tag; untagged resources count as "
        "non-production."
        " Lens GENCOST02-BP01 (“Balance cost and performance when selecting inference paradigms”): provisioned "
        "throughput is the paradigm chosen, and its commitment term is the cost side of that choice."
    ),
)
def check(throughput, plan, params):
    env = rulekit.environment_class(throughput, params)
    if env is UNKNOWN:
        return Result.unknown("the tags (environment) are known only after apply", path="tags")
    term = throughput.get(PATH)
    if term is UNKNOWN:
        return Result.unknown(f"{PATH} is known only after apply", path=PATH)
    if env == "production":
        return Result.not_applicable(f"production throughput ({term or 'no commitment'})")
    label = "untagged (treated as non-production)" if env == "untagged" else "non-production"
    units = throughput.get("model_units")
    if term:
        return Result.failed(f"{label} provisioned throughput with a {term} commitment "
                             f"({units} model unit(s) billed for the whole term)", path=PATH)
    return Result.passed(f"{label} provisioned throughput without commitment (deletable at any time)", path=PATH)
