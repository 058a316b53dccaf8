"""Interface VPC endpoints have a network interface in at least reliability.min_azs AZs."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

@rule(
    id="LZ-REL-002",
    title="Interface VPC endpoints span subnets in at least the minimum number of Availability Zones",
    pillar="reliability",
    lens=["GENREL02-BP01"],
    framework=["REL10-BP01"],
    severity="medium",
    resource_types=("aws_vpc_endpoint",),
    remediation=(
        "Give every Interface endpoint one subnet per AZ (subnet_ids = the private subnets of at least "
        "params reliability.min_azs AZs), as modules/network does for its PrivateLink endpoints."
    ),
    rationale=(
        "An interface endpoint answers only in the AZs of its subnets: with one subnet, the Bedrock / SageMaker "
        "runtime becomes unreachable from the whole VPC when that AZ fails. Subnets are followed through "
        "configuration references (module outputs included) or by known subnet id; "
        "an AZ that is known only after apply gives unknown."
        " Lens GENREL02-BP01 (“Implement redundant network connections among model endpoints and supporting "
        "infrastructure”): the interface endpoint is the network connection to the model endpoint; framework "
        "REL10-BP01 (deploy the workload to multiple locations)."
    ),
)
def check(endpoint, plan, params):
    kind = endpoint.get("vpc_endpoint_type", "Gateway")
    if kind is UNKNOWN:
        return Result.unknown("the endpoint type is known only after apply", path="vpc_endpoint_type")
    if kind != "Interface":
        return None
    min_azs = int(params.get("reliability", {}).get("min_azs", 2))
    spread = rulekit.subnet_spread(endpoint, "subnet_ids")
    if spread is UNKNOWN:
        return Result.unknown("subnet_ids is known only after apply and refers to no planned subnet", path="subnet_ids")
    count, az_count, unresolved = spread
    via = rulekit.referenced(endpoint, "subnet_ids", "aws_subnet") if endpoint.is_unknown("subnet_ids") else None
    found = f"{count} subnet(s) in {az_count} known AZ(s)"
    if az_count >= min_azs:
        return Result.passed(f"{found}; at least {min_azs} required", path="subnet_ids",
                             via=via.address if via is not None else None)
    if unresolved and count >= min_azs:
        return Result.unknown(f"{found}; the AZ of {unresolved} subnet(s) is known only after apply", path="subnet_ids")
    return Result.failed(f"{found}; at least {min_azs} required", path="subnet_ids",
                         via=via.address if via is not None else None)
