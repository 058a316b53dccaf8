"""Networks: open CIDRs, subnets and their availability zones, VPC endpoints."""
from __future__ import annotations

from typing import Any

from checks.plan import Resource
from checks.rulekit.core import group_by, plan_index, referrers
from checks.values import UNKNOWN

OPEN_CIDRS = ("0.0.0.0/0", "::/0")
GENAI_ENDPOINT_PREFIXES = ("bedrock", "sagemaker")


def is_open_cidr(value: Any) -> bool:
    return isinstance(value, str) and value.strip() in OPEN_CIDRS


def subnet_az(subnet: Resource) -> str | None:
    """The subnet's availability zone (name, else id) when known at plan time."""
    for key in ("availability_zone", "availability_zone_id"):
        az = subnet.get(key)
        if isinstance(az, str) and az:
            return az
    return None


def subnet_spread(resource: Resource, path: str) -> Any:
    """Where the subnets at ``path`` are: ``(count, az_count, unresolved)`` or UNKNOWN.

    ``count`` is the number of subnets, ``az_count`` the number of distinct known AZs
    (never more than ``count``), ``unresolved`` the subnets whose AZ is not known at plan
    time (unknown, not pinned, or a subnet outside the plan). Planned subnets are found
    through configuration references (through modules), else by their known id.
    """
    value = resource.get(path)
    subnets = resource.references(path, "aws_subnet")
    if isinstance(value, list):
        count = len(value)
        if not subnets:
            by_id = plan_index(resource.plan, "subnet-by-id", lambda p: {
                s.get("id"): s for s in p.of_type("aws_subnet") if isinstance(s.get("id"), str)})
            subnets = [by_id[v] for v in value if v in by_id]
    elif value is UNKNOWN and not subnets:
        return UNKNOWN
    else:
        count = len(subnets)
    azs: set[str] = set()
    unknown_az = 0
    for subnet in subnets:
        az = subnet_az(subnet)
        if az:
            azs.add(az)
        else:
            unknown_az += 1
    unresolved = max(count - len(subnets), 0) + unknown_az
    return count, min(len(azs), count), unresolved


def endpoint_service(endpoint: Resource) -> str | None:
    """``com.amazonaws.us-east-1.bedrock-runtime`` -> ``bedrock-runtime``;
    ``aws.sagemaker.us-east-1.studio`` -> ``sagemaker.studio``; None when unknown."""
    name = endpoint.get("service_name")
    if not isinstance(name, str):
        return None
    parts = name.split(".")
    if name.startswith("com.amazonaws.") and len(parts) >= 4:
        return ".".join(parts[3:])
    if name.startswith("aws.sagemaker.") and len(parts) >= 4:
        return "sagemaker." + ".".join(parts[3:])
    return name


def is_genai_service(service: str | None) -> bool:
    return bool(service) and service.split(".")[0].split("-")[0] in GENAI_ENDPOINT_PREFIXES  # type: ignore[union-attr]


def vpc_endpoints(vpc: Resource) -> list[Resource]:
    """VPC endpoints in ``vpc``: by configuration reference at vpc_id (also through a module's
    ``local.vpc_id``, see :func:`~checks.rulekit.core.referrers`), else by its known id."""
    found = referrers(vpc, "aws_vpc_endpoint", "vpc_id").found
    vpc_id = vpc.get("id")
    if isinstance(vpc_id, str) and vpc_id:
        by_vpc = plan_index(vpc.plan, "endpoints-by-vpc", lambda p: group_by(p, "aws_vpc_endpoint", "vpc_id"))
        found.extend(e for e in by_vpc.get(vpc_id, ()) if e not in found)
    return found
