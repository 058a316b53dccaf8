"""Storage and encryption: S3 bucket companions and lifecycle rules, KMS customer managed keys."""
from __future__ import annotations

from typing import Any

from checks.model import Result
from checks.plan import Resource
from checks.rulekit.core import group_by, is_empty, plan_index, referenced, through_local
from checks.values import UNKNOWN

KMS_KEY_TYPES = ("aws_kms_key", "aws_kms_alias", "aws_kms_replica_key", "aws_kms_external_key")


def bucket_companions(bucket: Resource, type: str) -> list[Resource]:
    """Resources of ``type`` (aws_s3_bucket_versioning, ..._lifecycle_configuration) for a bucket.

    Found through the configuration reference at their ``bucket`` argument, or by the
    bucket's known name.
    """
    found = list(bucket.referenced_by(type, "bucket"))
    name = bucket.get("bucket")
    if isinstance(name, str) and name:
        by_name = plan_index(bucket.plan, f"by-bucket:{type}", lambda p: group_by(p, type, "bucket"))
        found.extend(r for r in by_name.get(name, ()) if r not in found)
    return found


def enabled_lifecycle_rules(config: Resource) -> tuple[list[Any], bool]:
    """The Enabled ``rule`` blocks of an aws_s3_bucket_lifecycle_configuration, and whether
    some rule's status is known only after apply."""
    enabled: list[Any] = []
    undecided = False
    for block in config.blocks("rule"):
        status = block.get("status")
        if status is UNKNOWN:
            undecided = True
        elif status == "Enabled":
            enabled.append(block)
    return enabled, undecided


def is_aws_managed_key(value: str) -> bool:
    """``alias/aws/s3`` or an ARN of such an alias: a key AWS owns, not the customer."""
    alias = value.split(":", 5)[-1] if value.startswith("arn:") else value
    return alias.startswith("alias/aws/")


def customer_managed_key(resource: Resource, path: str, what: str) -> Result:
    """Pass when ``path`` names a customer managed KMS key (a value or a planned key).

    * refers to a planned ``aws_kms_key`` / alias / replica: pass ``via`` that key;
    * a known ARN, id or alias that is not an ``alias/aws/...`` AWS managed alias: pass;
    * empty: fail (the service then uses an AWS owned or AWS managed key);
    * unknown and traceable to no key in the plan: unknown.
    """
    target = referenced(resource, path, KMS_KEY_TYPES)
    if target is not None:
        return Result.passed(f"{what}: customer managed key {target.address}", path=path, via=target.address)
    value = resource.get(path)
    if value is UNKNOWN:
        hint = (" (it comes from a local value, which plan JSON does not record: reference the key, a variable "
                "or a module output built directly from them)") if through_local(resource, path) else ""
        return Result.unknown(f"{what}: the KMS key ({path}) is known only after apply and refers to no key in "
                              f"this plan{hint}", path=path)
    if is_empty(value):
        return Result.failed(f"{what}: no customer managed KMS key ({path} is not set, so an AWS owned or AWS managed "
                             "key is used)", path=path)
    if not isinstance(value, str) or is_aws_managed_key(value):
        return Result.failed(f"{what}: an AWS managed key, not a customer managed key", path=path)
    return Result.passed(f"{what}: customer managed KMS key", path=path)
