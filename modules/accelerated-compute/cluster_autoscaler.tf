################################################################################
# Kubernetes Cluster Autoscaler: IAM (EKS Pod Identity) and scale-from-zero ASG tags
################################################################################

# The Kubernetes objects are in manifests/cluster-autoscaler.yaml (applied with the device plugins,
# `kubectl apply -k manifests`, after the ConfigMap of output cluster_autoscaler_configmap).
# EKS tags the Auto Scaling group of every managed node group with the auto-discovery tags
# k8s.io/cluster-autoscaler/enabled = "true" and k8s.io/cluster-autoscaler/<cluster> = "owned":
# the Deployment finds the groups with
# --node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/<cluster>.

locals {
  # null = on when a node group may scale to zero: without an autoscaler a group at min_size 0
  # stays at its desired size (and one at 0 never starts).
  create_cluster_autoscaler = length(local.node_groups) > 0 && coalesce(
    var.create_cluster_autoscaler, anytrue([for v in values(local.node_groups) : v.min_size == 0])
  )
  cluster_autoscaler_pod_identity = local.create_cluster_autoscaler ? {
    "cluster-autoscaler" = {
      namespace       = "kube-system"
      service_account = "cluster-autoscaler"
      policy_arns     = {}
      role_arn        = null
    }
  } : {}

  # Neuron devices (aws.amazon.com/neuron) and NeuronCores (aws.amazon.com/neuroncore) each instance
  # type advertises through the Neuron device plugin (AWS Neuron docs, instance types): inf1 has 4
  # cores per device, inf2 and trn1 2; trn2 8 physical cores per device, seen as 4 logical cores with
  # the default logical NeuronCore configuration (LNC=2).
  neuron_devices_by_instance_type = {
    "inf1.xlarge"    = { devices = 1, cores = 4 }
    "inf1.2xlarge"   = { devices = 1, cores = 4 }
    "inf1.6xlarge"   = { devices = 4, cores = 16 }
    "inf1.24xlarge"  = { devices = 16, cores = 64 }
    "inf2.xlarge"    = { devices = 1, cores = 2 }
    "inf2.8xlarge"   = { devices = 1, cores = 2 }
    "inf2.24xlarge"  = { devices = 6, cores = 12 }
    "inf2.48xlarge"  = { devices = 12, cores = 24 }
    "trn1.2xlarge"   = { devices = 1, cores = 2 }
    "trn1.32xlarge"  = { devices = 16, cores = 32 }
    "trn1n.32xlarge" = { devices = 16, cores = 32 }
    "trn2.48xlarge"  = { devices = 16, cores = 64 }
  }

  # Scaling up from zero: the autoscaler builds a template node from the ASG's tags. EKS does not put
  # the node group's labels, taints or the extended resources of the device plugins on the ASG, and
  # the autoscaler reads labels and taints from eks:DescribeNodegroup only for a group that never had
  # a node. Without these tags a pending pod that selects workload=training or requests
  # aws.amazon.com/neuron never scales its group up from 0 (cluster-autoscaler AWS README).
  cluster_autoscaler_node_template_tags = {
    for k, v in local.node_groups : k => merge(
      { for label, value in v.labels : "k8s.io/cluster-autoscaler/node-template/label/${label}" => value },
      { for t in v.taints : "k8s.io/cluster-autoscaler/node-template/taint/${t.key}" => "${t.value == null ? "" : t.value}:${local.kubernetes_taint_effect[t.effect]}" },
      contains(keys(local.neuron_devices_by_instance_type), v.instance_types[0]) ? {
        "k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuron"     = tostring(local.neuron_devices_by_instance_type[v.instance_types[0]].devices)
        "k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuroncore" = tostring(local.neuron_devices_by_instance_type[v.instance_types[0]].cores)
      } : {},
      v.efa_count > 0 ? { "k8s.io/cluster-autoscaler/node-template/resources/vpc.amazonaws.com/efa" = tostring(v.efa_count) } : {},
      # Outside prod an idle accelerator node goes after 5 minutes instead of the Deployment's 10.
      var.environment != "prod" && v.labels.workload != "system" ? {
        "k8s.io/cluster-autoscaler/node-template/autoscaling-options/scaledownunneededtime" = var.cluster_autoscaler_nonprod_scale_down_unneeded_time
      } : {},
    )
  }
  cluster_autoscaler_asg_tags = local.create_cluster_autoscaler ? merge([
    for k, tags in local.cluster_autoscaler_node_template_tags : { for key, value in tags : "${k}|${key}" => { group = k, key = key, value = value } }
  ]...) : {}

  kubernetes_taint_effect = { NO_SCHEDULE = "NoSchedule", NO_EXECUTE = "NoExecute", PREFER_NO_SCHEDULE = "PreferNoSchedule" }
}

# The autoscaler role's permissions (cluster-autoscaler AWS README, "Full Cluster Autoscaler
# Features Policy"): read-only discovery on every ASG / instance type, and the two actions that
# change capacity only on Auto Scaling groups tagged as owned by this cluster.
data "aws_iam_policy_document" "cluster_autoscaler" {
  count = local.create_cluster_autoscaler ? 1 : 0

  statement {
    sid = "DiscoverAutoScalingGroups"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "autoscaling:DescribeTags",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
    ]
    # These Describe/Get actions support no resource-level permissions.
    resources = ["*"]
  }

  statement {
    sid       = "DescribeOwnNodegroups"
    actions   = ["eks:DescribeNodegroup"]
    resources = ["arn:${local.partition}:eks:${local.region}:${var.account_id}:nodegroup/${var.cluster_name}/*/*"]
  }

  statement {
    sid       = "ScaleOwnNodeGroups"
    actions   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

resource "aws_iam_role_policy" "cluster_autoscaler" {
  count = local.create_cluster_autoscaler ? 1 : 0

  name   = "cluster-autoscaler"
  role   = aws_iam_role.pod_identity["cluster-autoscaler"].id
  policy = data.aws_iam_policy_document.cluster_autoscaler[0].json
}

# aws_autoscaling_group_tag on the managed node group's ASG (resources[0].autoscaling_groups[0].name)
# is the provider's documented way to tag an ASG that EKS created. Not propagated to instances:
# only the autoscaler reads them.
resource "aws_autoscaling_group_tag" "cluster_autoscaler" {
  for_each = local.cluster_autoscaler_asg_tags

  autoscaling_group_name = aws_eks_node_group.this[each.value.group].resources[0].autoscaling_groups[0].name

  tag {
    key                 = each.value.key
    value               = each.value.value
    propagate_at_launch = false
  }
}

# The Deployment pins one image; the autoscaler's minor version must match the cluster's.
check "cluster_autoscaler_image_matches_kubernetes_version" {
  assert {
    condition     = !local.create_cluster_autoscaler || strcontains(file("${path.module}/manifests/cluster-autoscaler.yaml"), "registry.k8s.io/autoscaling/cluster-autoscaler:v${var.kubernetes_version}.")
    error_message = "manifests/cluster-autoscaler.yaml pins a cluster-autoscaler image for another Kubernetes minor version than kubernetes_version (${var.kubernetes_version}): override it in a kustomize overlay (images: name registry.k8s.io/autoscaling/cluster-autoscaler, newTag v${var.kubernetes_version}.<latest patch>; module README, \"Cluster Autoscaler\")."
  }
}
