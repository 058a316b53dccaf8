"""No security group admits traffic from the whole internet."""
from checks import Result, UNKNOWN, rule
from checks import rulekit

# type -> list of (cidr attribute path pieces) ; ingress blocks handled for aws_security_group
RULE_CIDRS = {
    "aws_security_group_rule": ("cidr_blocks", "ipv6_cidr_blocks"),
    "aws_vpc_security_group_ingress_rule": ("cidr_ipv4", "cidr_ipv6"),
}
NETWORK_TYPES = ("aws_vpc", "aws_subnet", "aws_vpc_ipv6_cidr_block_association", "aws_vpc_ipv4_cidr_block_association",
                 "aws_ec2_managed_prefix_list")


def _scan(holder, paths, resource, prefix=""):
    """(open cidr paths, unknown paths) among ``paths`` of ``holder`` (a resource or ingress block)."""
    opened, undecided = [], []
    for path in paths:
        value = holder.get(path)
        values = value if isinstance(value, list) else [value]
        if value is UNKNOWN or (isinstance(value, list) and holder.is_unknown(path)):
            if not resource.references(prefix + path, NETWORK_TYPES):
                undecided.append(prefix + path)
            continue
        if any(rulekit.is_open_cidr(v) for v in values):
            opened.append(prefix + path)
    return opened, undecided


@rule(
    id="LZ-SEC-016",
    title="Security groups do not allow ingress from 0.0.0.0/0 or ::/0",
    pillar="security",
    framework=["SEC05-BP02"],
    severity="high",
    resource_types=("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"),
    remediation=(
        "Allow ingress only from the VPC CIDR, specific security groups (referenced_security_group_id / "
        "source_security_group_id) or prefix lists; put internet-facing entry points behind a load balancer "
        "or API Gateway with WAF in a separate, reviewed stack."
    ),
    rationale=(
        "The landing zone keeps inference endpoints, notebooks, accelerator nodes and interface endpoints "
        "private; one rule open to the internet on any port exposes model servers (often unauthenticated, "
        "e.g. vLLM / Triton / Jupyter) and their instance credentials. Unlike port-specific checks, any port "
        "fails. CIDRs known only after apply pass when they come from a VPC or subnet of the plan."
        " Framework SEC05-BP02 (control traffic flow within your network layers). A rule on every security group is "
        "not specific to foundation model endpoints (the lens' GENSEC01-BP02, the former mapping)."
    ),
)
def check(resource, plan, params):
    if resource.type == "aws_security_group":
        if resource.get("ingress") is UNKNOWN and resource.is_unknown("ingress"):
            return Result.unknown("ingress rules are known only after apply", path="ingress")
        opened, undecided = [], []
        for i, block in enumerate(resource.blocks("ingress")):
            o, u = _scan(block, ("cidr_blocks", "ipv6_cidr_blocks"), resource, f"ingress.{i}.")
            opened += o
            undecided += u
    else:
        if resource.type == "aws_security_group_rule":
            kind = resource.get("type")
            if kind is UNKNOWN:
                return Result.unknown("the rule type is known only after apply", path="type")
            if kind != "ingress":
                return None
        opened, undecided = _scan(resource, RULE_CIDRS[resource.type], resource)
    if opened:
        return Result.failed("ingress is open to the internet", path=opened[0])
    if undecided:
        return Result.unknown("an ingress CIDR is known only after apply and comes from no VPC or subnet of the plan",
                              path=undecided[0])
    return Result.passed("no ingress from 0.0.0.0/0 or ::/0")
