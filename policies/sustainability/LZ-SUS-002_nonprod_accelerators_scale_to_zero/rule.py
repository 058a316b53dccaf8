"""Non-production accelerator node groups can scale to zero nodes."""
from checks import UNKNOWN, Result, rule
from checks import rulekit

AUTOSCALER_TAG = "k8s.io/cluster-autoscaler/enabled"
# What the cluster autoscaler calls to change a group's size (cluster-autoscaler AWS README).
SCALING_ACTIONS = ("autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup")
POD_IDENTITY = "aws_eks_pod_identity_association"
OIDC_PROVIDER = "aws_iam_openid_connect_provider"


def _same_cluster(node_group, other, path="cluster_name"):
    """Does ``other`` (its ``path``) name the node group's cluster? By value when both are known,
    else by referring to the same planned aws_eks_cluster; UNKNOWN when neither tells."""
    mine, theirs = node_group.get("cluster_name"), other.get(path)
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs
    clusters = {c.address for c in node_group.references("cluster_name", "aws_eks_cluster")}
    if clusters & {c.address for c in other.references(path, "aws_eks_cluster")}:
        return True
    return UNKNOWN


def _can_scale(role):
    """True when a policy of the planned role allows the autoscaler's scaling actions, UNKNOWN when a
    policy of it is known only after apply, else False."""
    undecided = False
    for doc in rulekit.role_policy_documents(role):
        if not doc.known:
            undecided = True
            continue
        for statement in doc.statements:
            if not rulekit.is_allow(statement):
                continue
            actions = statement.get("Action", ())
            if any(rulekit.covers(a, wanted) for a in actions for wanted in SCALING_ACTIONS):
                return True
            undecided = undecided or any(a is UNKNOWN for a in actions)
    return UNKNOWN if undecided else False


def _federated_roles(plan):
    """(role, OIDC providers its trust policy federates) for every planned role that federates one."""
    found = []
    for role in plan.of_type("aws_iam_role"):
        providers = role.references("assume_role_policy", OIDC_PROVIDER)
        trust = rulekit.data_source(role, "assume_role_policy", "aws_iam_policy_document")
        if trust is not None:
            providers += trust.references("statement", OIDC_PROVIDER)
        if providers:
            found.append((role, providers))
    return found


def _irsa_roles(node_group, plan):
    """Planned roles whose trust policy federates an OIDC provider of the node group's cluster (IRSA)."""
    return [role for role, providers in rulekit.plan_index(plan, "LZ-SUS-002:federated-roles", _federated_roles)
            if any(_same_cluster(node_group, p, "url") is True for p in providers)]


def _autoscaler_on_cluster(node_group, plan):
    """(what, where) when an identity of the node group's cluster may scale its groups (a cluster
    autoscaler's EKS Pod Identity association or IRSA role), UNKNOWN when not known yet, else None."""
    undecided = False
    candidates = []
    for association in plan.of_type(POD_IDENTITY):
        same = _same_cluster(node_group, association)
        if same is UNKNOWN:
            undecided = True
        elif same:
            roles = association.references("role_arn", "aws_iam_role")
            undecided = undecided or not roles
            candidates += [(r, f"EKS Pod Identity {association.get('namespace')}/{association.get('service_account')}",
                            association.address) for r in roles]
    candidates += [(r, "IRSA role", r.address) for r in _irsa_roles(node_group, plan)]
    for role, kind, where in candidates:
        allowed = _can_scale(role)
        if allowed is True:
            return f"cluster autoscaler: {kind} with {role.address} allowed {' / '.join(SCALING_ACTIONS)}", where
        undecided = undecided or allowed is UNKNOWN
    return UNKNOWN if undecided else None


def _scheduled_to_zero(node_group):
    """(what, where) for an aws_autoscaling_schedule on the group's ASG that sets the desired capacity
    to 0, UNKNOWN when one's desired capacity is known only after apply, else None."""
    undecided = False
    for schedule in node_group.referenced_by("aws_autoscaling_schedule", "autoscaling_group_name"):
        desired = schedule.get("desired_capacity")
        if desired == 0:
            return f"scheduled to 0 by {schedule.address}", schedule.address
        undecided = undecided or desired is UNKNOWN
    return UNKNOWN if undecided else None


def _autoscaler_tagged(node_group):
    tags = node_group.tags
    if tags is UNKNOWN:
        return UNKNOWN
    value = tags.get(AUTOSCALER_TAG) if isinstance(tags, dict) else None
    if value is UNKNOWN:
        return UNKNOWN
    return isinstance(value, str) and value.lower() == "true"


def _scaled_down_by(node_group, plan):
    """(what, where) scales the group down to zero, None when nothing does, UNKNOWN when not known yet."""
    undecided = False
    for found in (_scheduled_to_zero(node_group), _autoscaler_on_cluster(node_group, plan)):
        if isinstance(found, tuple):
            return found
        undecided = undecided or found is UNKNOWN
    return UNKNOWN if undecided else None


@rule(
    id="LZ-SUS-002",
    title="Non-production accelerator node groups scale to zero (min_size 0 and something that scales them down)",
    pillar="sustainability",
    lens=["GENSUS01-BP01"],
    framework=["SUS02-BP01"],
    severity="medium",
    resource_types=("aws_eks_node_group",),
    remediation=(
        "Set scaling_config.min_size = 0 on non-production node groups of Inferentia, Trainium or GPU instance types "
        "and make something scale them down: run the Kubernetes Cluster Autoscaler on the cluster with an EKS Pod "
        "Identity association (aws_eks_pod_identity_association on the cluster, kube-system/cluster-autoscaler) or an "
        "IRSA role whose policy allows autoscaling:SetDesiredCapacity and TerminateInstanceInAutoScalingGroup on the "
        "cluster's groups (aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster> = owned; modules/accelerated-compute "
        "create_cluster_autoscaler), or add an aws_autoscaling_schedule on the group's Auto Scaling group "
        "(resources[0].autoscaling_groups[0].name) with desired_capacity = 0 outside working hours."
    ),
    rationale=(
        "An idle accelerator still draws power and bills by the hour; outside production nothing needs a warm node "
        "around the clock. Training and inference groups both: a development inference group serves developers, "
        "not users, so a cold start of a few minutes is acceptable (production inference keeps its minimum for "
        "latency and is not applicable). Untagged groups are treated as non-production (the control applies unless "
        "the resource says it is production). min_size 0 alone proves nothing: the group stays at its desired size "
        "until something lowers it, so the rule also asks for what does: a schedule that sets the desired capacity to "
        "0, or a cluster autoscaler whose identity on the group's cluster (EKS Pod Identity association or IRSA role) "
        "may change the Auto Scaling groups' capacity. The auto-discovery tag alone proves nothing runs (EKS puts it "
        "on every managed node group's ASG): a group that has only the tag is unknown, not passed (lens GENSUS01-BP01: "
        "implement auto scaling to optimize resource utilization)."
        " Lens GENSUS01-BP01 (“Implement auto scaling and serverless architectures to optimize resource utilization”); "
        "framework SUS02-BP01 (scale workload infrastructure dynamically)."
    ),
)
def check(node_group, plan, params):
    accelerated = rulekit.accelerated_types(node_group, params)
    if accelerated is UNKNOWN:
        return Result.unknown("the instance types are known only after apply", path="instance_types")
    if not accelerated:
        return None
    env = rulekit.environment_class(node_group, params)
    if env is UNKNOWN:
        return Result.unknown("the tags (environment) are known only after apply", path="tags")
    if env == "production":
        return Result.not_applicable("production accelerator group: keeps a minimum for latency")
    label = "untagged (treated as non-production)" if env == "untagged" else "non-production"
    size = node_group.get("scaling_config.min_size")
    if size is UNKNOWN:
        return Result.unknown("scaling_config.min_size is known only after apply", path="scaling_config.min_size")
    if size == 0:
        how = _scaled_down_by(node_group, plan)
        if how is UNKNOWN:
            return Result.unknown("min_size is 0; whether anything scales the group down (a schedule, a cluster "
                                  "autoscaler's role) is known only after apply", path="scaling_config.min_size")
        if how is None:
            tagged = _autoscaler_tagged(node_group)
            if tagged is UNKNOWN:
                return Result.unknown("min_size is 0 and nothing in the plan scales the group down; its tags (the "
                                      "cluster-autoscaler auto-discovery tag) are known only after apply", path="tags")
            if tagged:
                return Result.unknown(f"min_size is 0 and the group is tagged for the cluster autoscaler ({AUTOSCALER_TAG}); "
                                      "whether it runs is not visible in the plan: no Pod Identity association or IRSA "
                                      "role on the cluster may scale Auto Scaling groups", path="tags")
            return Result.failed(f"{label} {', '.join(accelerated)} group allows zero nodes (min_size 0) but nothing "
                                 "scales it down: no cluster autoscaler role on its cluster (EKS Pod Identity / IRSA "
                                 "allowed autoscaling:SetDesiredCapacity), no aws_autoscaling_schedule to 0",
                                 path="scaling_config.min_size")
        return Result.passed(f"{label} {', '.join(accelerated)} group scales to zero ({how[0]})",
                             path="scaling_config.min_size", via=how[1])
    return Result.failed(f"{label} {', '.join(accelerated)} group keeps at least {size} node(s) running",
                         path="scaling_config.min_size")
