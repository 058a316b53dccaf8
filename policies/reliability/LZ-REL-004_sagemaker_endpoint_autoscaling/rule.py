"""Every instance-based variant of a SageMaker endpoint is an Application Auto Scaling target with a policy."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

CONFIG = "aws_sagemaker_endpoint_configuration"
TARGET = "aws_appautoscaling_target"
DRIVERS = ("aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action")


def _targets(plan):
    """Once per plan: SageMaker scalable targets in plan order, by known resource id, and
    the known resource ids that a scaling policy or scheduled action drives."""
    targets = [t for t in plan.of_type(TARGET) if t.get("service_namespace") == "sagemaker"]
    by_rid = {}
    for t in targets:
        rid = t.get("resource_id")
        if isinstance(rid, str):
            by_rid.setdefault(rid, []).append(t)
    driven = {d.get("resource_id") for d in plan.of_type(*DRIVERS) if isinstance(d.get("resource_id"), str)}
    return {t.address: i for i, t in enumerate(targets)}, by_rid, driven


@rule(
    id="LZ-REL-004",
    title="SageMaker endpoint variants scale with Application Auto Scaling",
    pillar="reliability",
    lens=["GENREL01-BP01", "GENSUS01-BP01"],
    severity="medium",
    resource_types=("aws_sagemaker_endpoint",),
    remediation=(
        "Register each instance-based variant as an aws_appautoscaling_target (service_namespace = \"sagemaker\", "
        "scalable_dimension = \"sagemaker:variant:DesiredInstanceCount\", resource_id = "
        "\"endpoint/${aws_sagemaker_endpoint.x.name}/variant/<variant>\") and attach an aws_appautoscaling_policy "
        "(target tracking on SageMakerVariantInvocationsPerInstance)."
    ),
    rationale=(
        "Throughput of a self-hosted model must follow utilisation: without a scalable target and a policy the "
        "variant keeps its initial instance count, throttles under load and wastes capacity when idle. Targets are "
        "matched through the configuration reference in resource_id (also when the endpoint name is unknown until "
        "apply) or by the known resource id endpoint/<name>/variant/<variant>."
        " Lens GENREL01-BP01 (“Scale and balance foundation model throughput as a function of utilization”) and "
        "GENSUS01-BP01 (“Implement auto scaling and serverless architectures to optimize resource utilization”)."
    ),
)
def check(endpoint, plan, params):
    config = rulekit.referenced(endpoint, "endpoint_config_name", CONFIG)
    if config is None:
        return Result.unknown("the endpoint configuration is not in this plan; its variants cannot be checked",
                              path="endpoint_config_name")
    variants = [v for v in config.blocks("production_variants") if not v.get("serverless_config")]
    if not variants:
        if config.is_unknown("production_variants"):
            return Result.unknown(f"the variants of {config.address} are known only after apply")
        return Result.not_applicable(f"{config.address} has only serverless variants (they scale by themselves)")
    name = endpoint.get("name")
    order, by_rid, driven = rulekit.plan_index(plan, "LZ-REL-004:targets", _targets)
    referring = [t for t in endpoint.referenced_by(TARGET, "resource_id") if t.address in order]
    missing, undecided, covered = [], [], []
    for i, variant in enumerate(variants):
        vname = variant.get("variant_name")
        if vname is UNKNOWN or not vname:
            undecided.append(f"#{i}")
            continue
        # the first target in plan order with this endpoint's known resource id, or that
        # refers to the endpoint and names this variant (or an id known only after apply)
        candidates = list(by_rid.get(f"endpoint/{name}/variant/{vname}", ())) if isinstance(name, str) else []
        for t in referring:
            rid = t.get("resource_id")
            if rid is UNKNOWN or (isinstance(rid, str) and rid.endswith(f"/variant/{vname}")):
                candidates.append(t)
        match = min(candidates, key=lambda t: order[t.address]) if candidates else None
        if match is None:
            missing.append(vname)
        elif not any(match.referenced_by(kind, "resource_id") for kind in DRIVERS) \
                and not (isinstance(match.get("resource_id"), str) and match.get("resource_id") in driven):
            missing.append(f"{vname} (target {match.address} has no scaling policy)")
        else:
            covered.append(match.address)
    if missing:
        return Result.failed(f"variant(s) without autoscaling: {', '.join(missing)}")
    if undecided:
        return Result.unknown(f"variant name(s) {', '.join(undecided)} of {config.address} are known only after apply")
    return Result.passed(f"every instance-based variant scales ({', '.join(covered)})", via=covered[0])
