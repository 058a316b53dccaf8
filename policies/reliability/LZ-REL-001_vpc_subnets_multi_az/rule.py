"""The subnets of every VPC span at least reliability.min_azs Availability Zones."""
from checks import Result, rule, rulekit


@rule(
    id="LZ-REL-001",
    title="The subnets of a VPC span at least the minimum number of Availability Zones",
    pillar="reliability",
    lens=["GENREL02-BP01"],
    framework=["REL10-BP01"],
    severity="medium",
    resource_types=("aws_vpc",),
    remediation=(
        "Create the VPC's subnets in at least params reliability.min_azs Availability Zones, each with a pinned "
        "availability_zone (modules/network takes one private subnet per entry of var.azs)."
    ),
    rationale=(
        "Model endpoints, interface endpoints and node groups can only be spread over the AZs the VPC has subnets in; "
        "a single-AZ VPC turns an AZ outage into an outage of the whole GenAI workload. A subnet whose AZ is not known "
        "at plan time (unpinned, or from an unknown value) makes the verdict unknown, never a pass."
        " Lens GENREL02-BP01 (“Implement redundant network connections among model endpoints and supporting "
        "infrastructure”): endpoints can only be redundant across the AZs the VPC has subnets in; framework "
        "REL10-BP01 (deploy the workload to multiple locations)."
    ),
)
def check(vpc, plan, params):
    min_azs = int(params.get("reliability", {}).get("min_azs", 2))
    found = rulekit.referrers(vpc, "aws_subnet", "vpc_id")
    subnets = found.found
    if not subnets:
        if found.open:
            return Result.unknown(f"{len(found.open)} subnet(s) take vpc_id from a local value (not recorded in plan "
                                  f"JSON) of a module with several VPCs: {found.open[0].address}, ...")
        return Result.failed("no subnet in the plan refers to this VPC")
    azs, unresolved = set(), []
    for subnet in subnets:
        az = rulekit.subnet_az(subnet)
        if az:
            azs.add(az)
        else:
            unresolved.append(subnet.address)
    via_local = f"; {len(found.inferred)} through local.vpc_id, the only VPC of its module" if found.inferred else ""
    found = f"{len(subnets)} subnets in {len(azs)} known AZ(s) ({', '.join(sorted(azs)) or 'none'}){via_local}"
    if len(azs) >= min_azs:
        return Result.passed(f"{found}; at least {min_azs} required", value=sorted(azs))
    if unresolved:
        return Result.unknown(f"{found}; the AZ of {', '.join(unresolved)} is known only after apply")
    return Result.failed(f"{found}; at least {min_azs} required", value=sorted(azs))
