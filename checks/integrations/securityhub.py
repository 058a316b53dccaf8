"""A JSON report's findings in AWS Security Hub, as ASFF (`genai-lz publish securityhub`).

What is sent: every ``fail`` (Compliance.Status FAILED) and ``unknown`` (WARNING) finding
of the report, RecordState ACTIVE, with the required ASFF attributes (SchemaVersion
2018-10-08, Id, ProductArn, GeneratorId, AwsAccountId, Types, CreatedAt, UpdatedAt,
Severity.Label, Title, Description, Resources with Type and Id):

* ``Id`` = ``genai-lz/<workspace>/<fingerprint>``: the fingerprint of rule id + resource
  address (:func:`checks.model.finding_fingerprint`, the one SARIF uses), so a rerun updates
  the same finding instead of adding one; ``CreatedAt`` stays the first import's;
* ``ProductArn`` = the account's default product
  ``arn:aws:securityhub:<region>:<account>:product/<account>/default`` (BatchImportFindings
  must then be called from the finding's own account); ``GeneratorId`` = ``genai-lz/<rule id>``;
* ``Compliance.RelatedRequirements`` = the lens best-practice ids (at most 32);
* ``Resources[0]``: ``Id`` = the planned ARN when the plan knows it (then ``Type`` is the
  ASFF type of the resource when there is one), else the Terraform address with ``Type``
  ``Other``; ``Details.Other`` keeps the address, the Terraform type and the module;
* ``ProductFields`` name the workspace, rule, pillar, plan sha256 and rule-pack version.

Fixed findings are archived: the ACTIVE findings this product holds for the same
workspace (GetFindings, filtered by product, record state and workspace; the same filter is
applied again to the answer: the emulator, moto 5.2.5, implements no GetFindings filter and
returns every finding) that the report no longer
fails are imported again with RecordState ARCHIVED and Compliance.Status PASSED.
BatchImportFindings takes at most 100 findings per call: findings go in batches of 100.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from checks.errors import LzError, ToolError
from checks.model import finding_fingerprint, workspace_name

if TYPE_CHECKING:  # pragma: no cover
    from checks.plan import Plan

SCHEMA_VERSION = "2018-10-08"
BATCH_SIZE = 100            # BatchImportFindings: at most 100 findings per request
MAX_REQUIREMENTS = 32       # Compliance.RelatedRequirements: at most 32 items
TITLE_MAX, DESCRIPTION_MAX, OTHER_VALUE_MAX = 256, 1024, 1023
FINDING_TYPES = ["Software and Configuration Checks/Industry and Regulatory Standards/AWS Well-Architected Generative AI Lens"]
WORKSPACE_FIELD = "genai-lz/Workspace"
SEVERITY_LABEL = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFORMATIONAL"}
COMPLIANCE = {"fail": "FAILED", "unknown": "WARNING"}
PUBLISHED = tuple(COMPLIANCE)
# Terraform resource type -> ASFF resource type (used only with a planned ARN as the Id).
ASFF_TYPES = {
    "aws_s3_bucket": "AwsS3Bucket", "aws_iam_role": "AwsIamRole", "aws_iam_policy": "AwsIamPolicy",
    "aws_iam_user": "AwsIamUser", "aws_kms_key": "AwsKmsKey", "aws_vpc": "AwsEc2Vpc", "aws_subnet": "AwsEc2Subnet",
    "aws_security_group": "AwsEc2SecurityGroup", "aws_instance": "AwsEc2Instance",
    "aws_lambda_function": "AwsLambdaFunction", "aws_eks_cluster": "AwsEksCluster",
    "aws_cloudtrail": "AwsCloudTrailTrail", "aws_sns_topic": "AwsSnsTopic", "aws_sqs_queue": "AwsSqsQueue",
    "aws_cloudwatch_metric_alarm": "AwsCloudWatchAlarm", "aws_sagemaker_notebook_instance": "AwsSageMakerNotebookInstance",
}


def product_arn(region: str, account_id: str) -> str:
    return f"arn:aws:securityhub:{region}:{account_id}:product/{account_id}/default"


def timestamp(now: dt.datetime) -> str:
    """ASFF time: ISO 8601 in UTC with milliseconds and Z."""
    return now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def finding_id(workspace: str, rule_id: str, address: str) -> str:
    return f"genai-lz/{workspace}/{finding_fingerprint(rule_id, address)}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _recorded_plan(source: str, sha256: str, report_path: str | None) -> "Plan | None":
    """The plan file a report names, loaded, when it is still there with the report's
    sha256. A relative name is relative to where the check ran: this directory, or
    (publishing from elsewhere) one of the report file's parent directories. Each
    candidate is read once, as any plan is (the size limit, regular files only)."""
    import hashlib
    from pathlib import Path

    from checks import plan as plan_module

    named = Path(source)
    candidates = [named]
    if not named.is_absolute() and report_path:
        candidates += [parent / named for parent in Path(report_path).resolve().parents]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            data = plan_module.read_input(candidate)
        except LzError:  # too large, not readable: not the plan to use
            continue
        if hashlib.sha256(data).hexdigest() == sha256:
            try:
                return plan_module.loads(data, source=str(candidate))
            except LzError:
                return None
    return None


def planned_arns(report: Mapping[str, Any], plan_path: str | None, report_path: str | None = None) -> dict[str, str]:
    """address -> ARN for the resources of the report's plan whose ``arn`` is known at plan
    time. The plan is ``plan_path`` (its sha256 must be the report's), else the plan file the
    report names when it is still there with the same sha256 (see :func:`_recorded_plan`;
    ``report_path`` is where the report was read from); {} when there is none."""
    from checks import plan as plan_module

    recorded = report["evidence"]["plan"]
    if plan_path:
        plan = plan_module.load(plan_path)
        if plan.sha256 != recorded["sha256"]:
            raise LzError(f"--plan {plan_path}: sha256 {plan.sha256[:12]}… is not the sha256 of the plan the report "
                          f"judged ({recorded['sha256'][:12]}…): pass the plan the report was made from")
    else:
        found = _recorded_plan(str(recorded["source"]), str(recorded["sha256"]), report_path)
        if found is None:
            return {}
        plan = found
    arns: dict[str, str] = {}
    for f in report["findings"]:
        resource = plan.get(f["address"]) if f["status"] in PUBLISHED else None
        if resource is None or resource.is_unknown("arn"):
            continue
        arn = resource.get("arn")
        if isinstance(arn, str) and arn.startswith("arn:"):
            arns[f["address"]] = arn
    return arns


def to_asff(report: Mapping[str, Any], *, account_id: str, region: str, now: dt.datetime,
            arns: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The report's fail and unknown findings as ASFF (RecordState ACTIVE)."""
    evidence = report["evidence"]
    workspace = workspace_name(evidence)
    urls = {row["id"]: row["url"] for row in report["lens_coverage"]}
    when = timestamp(now)
    arns = arns or {}
    out: list[dict[str, Any]] = []
    for f in report["findings"]:
        if f["status"] not in PUBLISHED:
            continue
        address, rule_id = f["address"], f["rule_id"]
        arn = arns.get(address)
        other = {"TerraformAddress": address, "TerraformType": f["resource_type"], "Module": f["module"] or "(root)",
                 "Workspace": workspace}
        resource: dict[str, Any] = {
            "Type": ASFF_TYPES.get(f["resource_type"], "Other") if arn else "Other",
            "Id": _cut(arn or address, 512), "Partition": "aws", "Region": region,
            "Details": {"Other": {k: _cut(v, OTHER_VALUE_MAX) for k, v in other.items() if v}},
        }
        finding: dict[str, Any] = {
            "SchemaVersion": SCHEMA_VERSION,
            "Id": finding_id(workspace, rule_id, address),
            "ProductArn": product_arn(region, account_id),
            "GeneratorId": f"genai-lz/{rule_id}",
            "AwsAccountId": account_id,
            "Types": list(FINDING_TYPES),
            "CreatedAt": when,
            "UpdatedAt": when,
            "Severity": {"Label": SEVERITY_LABEL[f["severity"]], "Original": f["severity"]},
            "FindingProviderFields": {"Severity": {"Label": SEVERITY_LABEL[f["severity"]], "Original": f["severity"]},
                                      "Types": list(FINDING_TYPES)},
            "Title": _cut(f"{rule_id} {f['title']}", TITLE_MAX),
            "Description": _cut(f"{f['message']} (Terraform address {address})", DESCRIPTION_MAX),
            "Resources": [resource],
            "Compliance": {"Status": COMPLIANCE[f["status"]], "RelatedRequirements": list(f["lens"][:MAX_REQUIREMENTS])},
            "RecordState": "ACTIVE",
            "ProductFields": {WORKSPACE_FIELD: workspace, "genai-lz/RuleId": rule_id, "genai-lz/Pillar": f["pillar"],
                              "genai-lz/Status": f["status"], "genai-lz/PlanSha256": evidence["plan"]["sha256"],
                              "genai-lz/PackVersion": evidence["policy"]["pack_version"]},
        }
        if not finding["Compliance"]["RelatedRequirements"]:
            del finding["Compliance"]["RelatedRequirements"]
        url = next((urls[bp] for bp in f["lens"] if bp in urls), None)
        if url:
            finding["Remediation"] = {"Recommendation": {
                "Text": _cut(f"See rule {rule_id} in the genai-lz report and the lens best practice {f['lens'][0]}.", 512),
                "Url": url}}
        out.append(finding)
    return out


def archived(finding: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """An earlier ACTIVE finding, sent again as fixed: ARCHIVED, Compliance PASSED."""
    keep = ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "Severity",
            "Title", "Description", "Resources", "ProductFields", "FindingProviderFields", "Remediation")
    out = {k: finding[k] for k in keep if k in finding}
    out["UpdatedAt"] = timestamp(now)
    out["RecordState"] = "ARCHIVED"
    out["Compliance"] = {**dict(finding.get("Compliance") or {}), "Status": "PASSED"}
    return out


def batches(items: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class Outcome:
    """What a publication did."""

    workspace: str
    findings: list[dict[str, Any]] = field(default_factory=list)   # everything sent (active + archived)
    active: int = 0
    updated: int = 0      # active findings that existed already (same Id)
    archived: int = 0
    batches: int = 0


def _ours(finding: Mapping[str, Any], product: str, workspace: str) -> bool:
    return (finding.get("ProductArn") == product and finding.get("RecordState", "ACTIVE") == "ACTIVE"
            and (finding.get("ProductFields") or {}).get(WORKSPACE_FIELD) == workspace)


def active_findings(client: Any, product: str, workspace: str) -> dict[str, dict[str, Any]]:
    """Id -> the ACTIVE findings of ``product`` for ``workspace`` in Security Hub."""
    filters = {"ProductArn": [{"Value": product, "Comparison": "EQUALS"}],
               "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
               "ProductFields": [{"Key": WORKSPACE_FIELD, "Value": workspace, "Comparison": "EQUALS"}]}
    found: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("get_findings").paginate(Filters=filters, PaginationConfig={"PageSize": 100}):
        for finding in page.get("Findings", []):
            if _ours(finding, product, workspace):
                found[finding["Id"]] = finding
    return found


def publish(report: Mapping[str, Any], client: Any, *, account_id: str, region: str,
            now: dt.datetime | None = None, arns: Mapping[str, str] | None = None) -> Outcome:
    """Import the report's failing findings and archive the fixed ones (see the module doc)."""
    from botocore.exceptions import BotoCoreError, ClientError

    now = now or dt.datetime.now(dt.timezone.utc)
    workspace = workspace_name(report["evidence"])
    product = product_arn(region, account_id)
    current = to_asff(report, account_id=account_id, region=region, now=now, arns=arns)
    outcome = Outcome(workspace)
    try:
        existing = active_findings(client, product, workspace)
        for finding in current:
            before = existing.pop(finding["Id"], None)
            if before is not None:
                finding["CreatedAt"] = before.get("CreatedAt", finding["CreatedAt"])
                outcome.updated += 1
        fixed = [archived(f, now) for _, f in sorted(existing.items())]
        outcome.findings = current + fixed
        outcome.active, outcome.archived = len(current), len(fixed)
        for batch in batches(outcome.findings):
            answer = client.batch_import_findings(Findings=list(batch))
            outcome.batches += 1
            failed = answer.get("FailedFindings") or []
            if answer.get("FailedCount") or failed:
                first = failed[0] if failed else {}
                raise ToolError(f"Security Hub refused {answer.get('FailedCount', len(failed))} finding(s) of batch "
                                f"{outcome.batches}: {first.get('ErrorCode', '?')}: {first.get('ErrorMessage', '?')} "
                                f"(finding {first.get('Id', '?')})")
    except (BotoCoreError, ClientError) as exc:
        raise ToolError(f"Security Hub ({region}): {exc}") from None
    return outcome


def client_and_account(region: str | None, endpoint_url: str | None = None,
                       **credentials: str) -> tuple[Any, str, str]:
    """A Security Hub client from the standard AWS SDK environment (AWS_ENDPOINT_URL, the
    credential chain; or ``endpoint_url`` and ``credentials`` (aws_access_key_id, ...) when
    given), its region, and the caller's account (STS GetCallerIdentity)."""
    from checks.optional import boto3_module

    boto3 = boto3_module("to publish findings to Security Hub")
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    config = Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=10, read_timeout=60)
    try:
        session = boto3.session.Session(region_name=region, **credentials) if region else boto3.session.Session(**credentials)
        if not session.region_name:
            raise LzError("no AWS region: pass --region or set AWS_REGION")
        account = session.client("sts", config=config, endpoint_url=endpoint_url).get_caller_identity()["Account"]
        client = session.client("securityhub", config=config, endpoint_url=endpoint_url)
    except (BotoCoreError, ClientError) as exc:
        raise ToolError(f"cannot find the AWS account to publish from (sts:GetCallerIdentity): {exc}") from None
    return client, session.region_name, account


def findings_document(findings: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What a dry run writes: the BatchImportFindings request body."""
    return {"Findings": list(findings)}
