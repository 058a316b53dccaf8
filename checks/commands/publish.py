"""`genai-lz publish securityhub REPORT.json`: the report's failing findings as ASFF in AWS
Security Hub (checks.integrations.securityhub); `--dry-run FILE` writes the ASFF instead.

Exit 0 = published (or written), 2 = the report is not a genai-lz JSON report, no account or
region, or Security Hub refused the findings (one line on stderr).
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from checks.commands import add_account_id_argument, add_command


def register(sub: Any) -> None:
    p = add_command(sub, "publish", _usage, "send a report's findings to another system (securityhub)",
                    "Exit 0 = published, 2 = invalid input or the target refused.")
    targets = p.add_subparsers(dest="target", metavar="TARGET")
    hub = targets.add_parser(
        "securityhub", help="fail and unknown findings as ASFF to AWS Security Hub (BatchImportFindings)",
        description="Stable finding ids (a rerun updates), fixed findings archived, lens ids as "
                    "Compliance.RelatedRequirements. Uses the standard AWS SDK environment (AWS_ENDPOINT_URL, credentials).")
    hub.set_defaults(func=run_securityhub)
    hub.add_argument("report", metavar="REPORT.json", help="a JSON report of `genai-lz check`")
    hub.add_argument("--region", help="Security Hub's region (default: AWS_REGION / the SDK configuration)")
    add_account_id_argument(hub, "the account the findings belong to: must be the caller's; needed for --dry-run when "
                                 "the report records no account")
    hub.add_argument("--plan", metavar="PLAN.json",
                     help="the plan the report judged, for the planned ARNs (default: the plan file the report names, "
                          "when it is still there with the same sha256)")
    hub.add_argument("--dry-run", metavar="FILE", help="write the ASFF (the BatchImportFindings body) to FILE; send nothing")


def _usage(args: argparse.Namespace) -> int:
    from checks.errors import LzError

    raise LzError("publish needs a target: genai-lz publish securityhub REPORT.json")


def run_securityhub(args: argparse.Namespace) -> int:
    import datetime as dt
    import os
    from pathlib import Path

    from checks.errors import LzError
    from checks.integrations import securityhub
    from checks.report.diff import load_report

    if args.account_id is not None and not re.fullmatch(r"\d{12}", args.account_id):
        raise LzError(f"--account-id {args.account_id!r} is not a 12-digit AWS account id")
    report = load_report(args.report)
    arns = securityhub.planned_arns(report, args.plan, str(args.report))
    now = dt.datetime.now(dt.timezone.utc)
    if args.dry_run:
        import orjson

        from checks.files import write_atomic

        recorded = report["evidence"].get("workspace") or {}
        account = args.account_id or (recorded.get("account_id") if isinstance(recorded, dict) else None)
        region = args.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        if not account:
            raise LzError("--dry-run needs --account-id: the report records no account")
        if not region:
            raise LzError("--dry-run needs --region (or AWS_REGION)")
        findings = securityhub.to_asff(report, account_id=account, region=region, now=now, arns=arns)
        data = orjson.dumps(securityhub.findings_document(findings), option=orjson.OPT_INDENT_2) + b"\n"
        try:
            write_atomic(Path(args.dry_run), data)
        except OSError as exc:
            raise LzError(f"cannot write {args.dry_run}: {exc.strerror or exc}") from None
        print(f"genai-lz: dry run: {len(findings)} ASFF finding(s) written to {args.dry_run}; nothing sent", file=sys.stderr)
        return 0
    client, region, account = securityhub.client_and_account(args.region)
    if args.account_id and args.account_id != account:
        raise LzError(f"--account-id {args.account_id} is not the caller's account {account}: BatchImportFindings "
                      "with the default product must be called from the findings' own account")
    outcome = securityhub.publish(report, client, account_id=account, region=region, now=now, arns=arns)
    print(f"genai-lz: Security Hub {region}, account {account}, workspace {outcome.workspace}: {outcome.active} active "
          f"({outcome.updated} updated), {outcome.archived} archived as fixed, in {outcome.batches} batch(es)",
          file=sys.stderr)
    return 0
