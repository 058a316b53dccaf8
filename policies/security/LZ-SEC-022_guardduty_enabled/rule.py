"""Workload plans enable GuardDuty, with EKS protection when they run EKS."""
from checks import Result, UNKNOWN, plan_rule
from checks import rulekit

EKS_FEATURES = ("EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING", "EKS_AUDIT_LOGS")


def _eks_protected(detector, plan):
    """True / False / None (unknown) whether the detector watches EKS clusters."""
    if detector.get("datasources.kubernetes.audit_logs.enable") is True:
        return True
    undecided = False
    for feature in detector.referenced_by("aws_guardduty_detector_feature", "detector_id"):
        name, status = feature.get("name"), feature.get("status")
        if name in EKS_FEATURES and status == "ENABLED":
            return True
        if name is UNKNOWN or status is UNKNOWN:
            undecided = True
    return None if undecided else False


@plan_rule(
    id="LZ-SEC-022",
    title="A workload or GenAI plan enables a GuardDuty detector (with EKS protection when it runs EKS)",
    pillar="security",
    lens=["GENSEC01-BP04"],
    severity="high",
    applies_to="account",
    resource_types=("aws_guardduty_detector",),
    remediation=(
        "Create an aws_guardduty_detector with enable = true (modules/security-baseline create_guardduty = "
        "true) and, for EKS, an aws_guardduty_detector_feature EKS_RUNTIME_MONITORING (or EKS_AUDIT_LOGS) "
        "with status ENABLED, or let the organization's delegated administrator auto-enable it and declare "
        "organization_security_services = true in the workload root."
    ),
    rationale=(
        "GuardDuty detects credential exfiltration from accelerator nodes and notebooks, crypto-mining on "
        "GPU/Trainium capacity and anomalous API use of Bedrock/SageMaker roles. It applies to plans that "
        "create a VPC or any Bedrock / SageMaker resource, and is not_applicable otherwise. When the plan "
        "runs EKS clusters (inference / training), the detector must also watch EKS."
        " Lens GENSEC01-BP04 (implement access monitoring to generative AI services and foundation models): "
        "“Unintended and unauthorized use of generative AI services and foundation models can be identified quickly”, "
        "which is what GuardDuty's findings on the roles that invoke them do."
    ),
)
def check(plan, params):
    evidence = rulekit.workload_evidence(plan)
    if evidence is None:
        return Result.not_applicable("the plan creates no VPC and no GenAI resource")
    detectors = plan.of_type("aws_guardduty_detector")
    if not detectors and rulekit.organization_managed(plan):
        return Result.passed("GuardDuty is auto-enabled for the account by the organization's delegated administrator "
                             "(organization_security_services = true; checked in the audit plan)")
    if not detectors:
        return Result.failed(f"the plan builds a workload ({evidence.address}) but enables no GuardDuty detector",
                             value=evidence.address)
    eks = plan.has_type("aws_eks_cluster")
    results = []
    for detector in detectors:
        enabled = detector.get("enable", True)
        if enabled is UNKNOWN:
            results.append(Result.unknown("enable is known only after apply", path="enable", address=detector.address))
            continue
        if enabled is False:
            results.append(Result.failed("the detector is disabled", path="enable", address=detector.address))
            continue
        if eks:
            protected = _eks_protected(detector, plan)
            if protected is None:
                results.append(Result.unknown("the EKS protection features are known only after apply",
                                              address=detector.address))
                continue
            if not protected:
                results.append(Result.failed("the plan runs EKS but the detector has no EKS runtime or audit "
                                             "log protection", address=detector.address))
                continue
        results.append(Result.passed("GuardDuty detector enabled" + (" with EKS protection" if eks else ""),
                                     path="enable", address=detector.address))
    return results
