"""Production SageMaker endpoint variants run at least reliability.min_endpoint_instances instances."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-REL-003",
    title="Production SageMaker endpoint variants run at least two instances",
    pillar="reliability",
    framework=["REL10-BP01"],
    severity="medium",
    resource_types=("aws_sagemaker_endpoint_configuration",),
    remediation=(
        "Set production_variants.initial_instance_count to at least params reliability.min_endpoint_instances "
        "(and the Application Auto Scaling min_capacity likewise) for production endpoint configurations, or use a "
        "serverless variant."
    ),
    rationale=(
        "SageMaker spreads the instances of a variant over Availability Zones; one instance is a single point of "
        "failure for the model endpoint. Applies to configurations tagged as production and to configurations with "
        "no environment tag (the stricter reading: an untagged endpoint is not known to be non-production); "
        "non-production ones may run one instance to save cost. Serverless variants scale by themselves."
        " Framework REL10-BP01 (deploy the workload to multiple locations). The former lens mapping (GENREL02-BP01, "
        "redundant network connections) does not describe instance counts."
    ),
)
def check(config, plan, params):
    env = rulekit.environment_class(config, params)
    if env is UNKNOWN:
        return Result.unknown("the tags (environment) are known only after apply", path="tags")
    if env == "non-production":
        return Result.not_applicable("non-production endpoint configuration: one instance is allowed")
    minimum = int(params.get("reliability", {}).get("min_endpoint_instances", 2))
    variants = config.blocks("production_variants")
    if config.is_unknown("production_variants") and not variants:
        return Result.unknown("production_variants are known only after apply", path="production_variants")
    short, unknown, instance_based = [], [], 0
    for i, variant in enumerate(variants):
        if variant.get("serverless_config"):
            continue
        instance_based += 1
        name = variant.get("variant_name") or f"#{i}"
        count = variant.get("initial_instance_count")
        if count is UNKNOWN:
            unknown.append(str(name))
        elif count is None or int(count) < minimum:
            short.append(f"{name} ({count or 'unset'})")
    label = "untagged (treated as production)" if env == "untagged" else "production"
    # no evidence path on production_variants as a whole: provider-computed fields inside it are unknown
    if short:
        return Result.failed(f"{label}: variant(s) {', '.join(short)} run fewer than {minimum} instances",
                             value=short)
    if unknown:
        return Result.unknown(f"initial_instance_count of variant(s) {', '.join(unknown)} is known only after apply")
    if not variants:
        return Result.failed("no production variant")
    if not instance_based:
        return Result.passed(f"{label}: serverless variants only (capacity is managed by SageMaker)")
    return Result.passed(f"{label}: every instance-based variant runs at least {minimum} instances")
