data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  dns_suffix = data.aws_partition.current.dns_suffix

  # The key ARN is written out where it is used (`var.kms_key_arn != null ? var.kms_key_arn :
  # module.kms_key.key_arn`), not passed through a local: plan JSON records no local values,
  # so a policy engine could not tell which key an attribute known only after apply refers to.
  create_kms_key = var.create && var.kms_key_arn == null

  log_group_name    = "/aws/eks/${var.cluster_name}/cluster"
  cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  # Neuron taint: only pods that request Neuron devices (and tolerate it) land on accelerator nodes.
  neuron_taints = [{ key = "aws.amazon.com/neuron", value = null, effect = "NO_SCHEDULE" }]

  accelerator_by_family = {
    inf1  = "inferentia"
    inf2  = "inferentia2"
    trn1  = "trainium"
    trn1n = "trainium"
    trn2  = "trainium2"
  }

  # EFA interfaces (one per network card) each instance type supports; a type that is not listed
  # has no EFA (trn1.2xlarge, every inf1/inf2 size used here). Neuron docs: trn1.32xlarge has 8
  # EFA devices, trn1n.32xlarge 16; trn2.48xlarge 16.
  efa_interfaces_by_instance_type = {
    "trn1.32xlarge"  = 8
    "trn1n.32xlarge" = 16
    "trn2.48xlarge"  = 16
  }
  training_efa_counts = distinct([for t in var.training_node_group.instance_types : lookup(local.efa_interfaces_by_instance_type, t, 0)])
  # One launch template serves every instance type of the group: they must agree on the count.
  training_efa_count = coalesce(var.training_node_group.efa_interface_count, min(local.training_efa_counts...))

  # Inference serves user traffic: never Spot. Training is interruptible and checkpointed: Spot outside prod.
  training_capacity_type = coalesce(var.training_node_group.capacity_type, var.environment == "prod" ? "ON_DEMAND" : "SPOT")
  training_efa           = var.create_training_node_group && var.training_node_group.enable_efa

  node_group_definitions = {
    inference = {
      enabled        = var.create_inference_node_group
      instance_types = var.inference_node_group.instance_types
      min_size       = var.inference_node_group.min_size
      desired_size   = var.inference_node_group.desired_size
      max_size       = var.inference_node_group.max_size
      disk_size      = var.inference_node_group.disk_size
      ami_type       = "AL2023_x86_64_NEURON"
      capacity_type  = "ON_DEMAND"
      labels = {
        workload    = "inference"
        accelerator = local.accelerator_by_family[split(".", var.inference_node_group.instance_types[0])[0]]
      }
      taints    = local.neuron_taints
      efa_count = 0
    }
    training = {
      enabled        = var.create_training_node_group
      instance_types = var.training_node_group.instance_types
      min_size       = var.training_node_group.min_size
      desired_size   = var.training_node_group.desired_size
      max_size       = var.training_node_group.max_size
      disk_size      = var.training_node_group.disk_size
      ami_type       = "AL2023_x86_64_NEURON"
      capacity_type  = local.training_capacity_type
      labels = {
        workload    = "training"
        accelerator = local.accelerator_by_family[split(".", var.training_node_group.instance_types[0])[0]]
      }
      taints    = local.neuron_taints
      efa_count = var.training_node_group.enable_efa ? local.training_efa_count : 0
    }
    system = {
      enabled        = var.create_system_node_group
      instance_types = var.system_node_group.instance_types
      min_size       = var.system_node_group.min_size
      desired_size   = var.system_node_group.desired_size
      max_size       = var.system_node_group.max_size
      disk_size      = var.system_node_group.disk_size
      ami_type       = "AL2023_x86_64_STANDARD"
      capacity_type  = "ON_DEMAND"
      labels         = { workload = "system" }
      taints         = []
      efa_count      = 0
    }
  }

  node_groups = { for k, v in local.node_group_definitions : k => v if var.create && v.enabled }

  cluster_security_group_id = try(aws_eks_cluster.this[0].vpc_config[0].cluster_security_group_id, null)
  node_security_group_ids   = concat([local.cluster_security_group_id], var.node_additional_security_group_ids)

  # One network interface per node without EFA (no public IP); with EFA one EFA interface per network card.
  # The public IP flag may only be set when the instance has a single interface.
  node_network_interfaces = {
    for k, v in local.node_groups : k => [
      for i in range(max(v.efa_count, 1)) : {
        device_index                = i == 0 ? 0 : 1
        network_card_index          = i
        interface_type              = v.efa_count > 0 ? "efa" : null
        associate_public_ip_address = max(v.efa_count, 1) == 1 ? false : null
        security_groups             = v.efa_count > 0 ? concat(local.node_security_group_ids, [aws_security_group.efa[0].id]) : local.node_security_group_ids
      }
    ]
  }

  node_role_policies = toset(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"])
}

################################################################################
# KMS key: Kubernetes secrets, control plane log group, node EBS volumes
################################################################################

# The key policy names the Auto Scaling service-linked role, which exists only once an Auto
# Scaling group has been created in the account (or it was created by hand). KMS rejects a key
# policy whose principal does not exist, so on a new account the role is created first. Accounts
# that already have it set create_autoscaling_service_linked_role = false (creating it again fails).
resource "aws_iam_service_linked_role" "autoscaling" {
  count = local.create_kms_key && var.create_autoscaling_service_linked_role ? 1 : 0

  aws_service_name = "autoscaling.amazonaws.com"
  description      = "Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling"

  tags = var.tags
}

module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_kms_key
  description             = "EKS ${var.cluster_name}: secrets envelope encryption, control plane logs and node volumes"
  alias                   = "eks/${var.cluster_name}"
  account_id              = var.account_id
  partition               = local.partition
  administrator_sid       = "AccountAdministration"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_statements = [
    {
      Sid       = "CloudWatchLogsControlPlaneLogGroup"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.${local.dns_suffix}" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      Condition = {
        ArnEquals = {
          "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"
        }
      }
    },
    {
      # Managed node groups launch instances through the Auto Scaling service-linked role,
      # which must be able to use the key for the encrypted root volumes.
      Sid       = "AutoScalingEncryptedNodeVolumes"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${var.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
      Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      Resource  = "*"
    },
    {
      Sid       = "AutoScalingAttachPersistentResources"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.partition}:iam::${var.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
      Action    = "kms:CreateGrant"
      Resource  = "*"
      Condition = { Bool = { "kms:GrantIsForAWSResource" = "true" } }
    },
  ]

  tags = var.tags

  # KMS validates the principals of the key policy: the service-linked role must exist first.
  depends_on = [aws_iam_service_linked_role.autoscaling]
}

################################################################################
# Control plane logs
################################################################################

resource "aws_cloudwatch_log_group" "cluster" {
  count = var.create ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.cluster_log_retention_in_days
  kms_key_id        = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn

  tags = var.tags
}

################################################################################
# Cluster IAM role
################################################################################

resource "aws_iam_role" "cluster" {
  count = var.create ? 1 : 0

  name        = "${var.cluster_name}-cluster"
  description = "EKS control plane role for ${var.cluster_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EKSControlPlane"
      Effect    = "Allow"
      Principal = { Service = "eks.${local.dns_suffix}" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  count = var.create ? 1 : 0

  role       = aws_iam_role.cluster[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

# Envelope encryption of secrets: the control plane uses the key only for this cluster's secrets.
# Built with aws_iam_policy_document: the key ARN is known only after apply, and the document
# keeps the actions (and the key reference) readable in the plan.
data "aws_iam_policy_document" "cluster_encryption" {
  count = var.create ? 1 : 0

  statement {
    sid       = "SecretsEnvelopeEncryption"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  count = var.create ? 1 : 0

  name   = "secrets-encryption"
  role   = aws_iam_role.cluster[0].id
  policy = data.aws_iam_policy_document.cluster_encryption[0].json
}

################################################################################
# Cluster
################################################################################

resource "aws_eks_cluster" "this" {
  count = var.create ? 1 : 0

  name                      = var.cluster_name
  role_arn                  = aws_iam_role.cluster[0].arn
  version                   = var.kubernetes_version
  enabled_cluster_log_types = local.cluster_log_types

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = var.bootstrap_cluster_creator_admin_permissions
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = var.cluster_additional_security_group_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
    }
  }

  upgrade_policy {
    support_type = var.support_type
  }

  tags = var.tags

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
    aws_cloudwatch_log_group.cluster,
  ]
}

resource "aws_eks_access_entry" "admin" {
  for_each = var.create ? toset(var.cluster_admin_principal_arns) : toset([])

  cluster_name  = aws_eks_cluster.this[0].name
  principal_arn = each.value
  type          = "STANDARD"

  tags = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = aws_eks_access_entry.admin

  cluster_name  = aws_eks_cluster.this[0].name
  principal_arn = each.value.principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

################################################################################
# Node IAM role: the three standard worker policies only
################################################################################

resource "aws_iam_role" "node" {
  count = length(local.node_groups) > 0 ? 1 : 0

  name        = "${var.cluster_name}-node"
  description = "EKS managed node group role for ${var.cluster_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EC2Nodes"
      Effect    = "Allow"
      Principal = { Service = "ec2.${local.dns_suffix}" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = length(local.node_groups) > 0 ? local.node_role_policies : toset([])

  role       = aws_iam_role.node[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

################################################################################
# EFA (training): cluster placement group + self-referencing security group
################################################################################

# EFA traffic between training nodes needs a single AZ and low latency: a node group whose
# launch template has EFA interfaces is placed in a "cluster" placement group, and the node
# group is restricted to the first subnet (one AZ).
resource "aws_placement_group" "efa" {
  count = var.create && local.training_efa ? 1 : 0

  name     = "${var.cluster_name}-training-efa"
  strategy = "cluster"

  tags = var.tags
}

# EFA requires a security group that allows all traffic to and from itself (and nothing else).
resource "aws_security_group" "efa" {
  #checkov:skip=CKV2_AWS_5:attached to the EFA network interfaces of the training launch template (a dynamic block checkov does not follow)
  count = var.create && local.training_efa ? 1 : 0

  name_prefix = "${var.cluster_name}-efa-"
  description = "EFA: all traffic between training nodes of ${var.cluster_name}"
  vpc_id      = var.vpc_id

  ingress {
    description = "EFA from training nodes"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  egress {
    description = "EFA to training nodes"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  tags = merge(var.tags, { Name = "${var.cluster_name}-efa" })

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Launch templates: IMDSv2 only, encrypted EBS, no public IP
################################################################################

resource "aws_launch_template" "node" {
  for_each = local.node_groups

  name_prefix            = "${var.cluster_name}-${each.key}-"
  description            = "EKS ${var.cluster_name} ${each.key} nodes"
  update_default_version = true
  ebs_optimized          = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = var.metadata_http_put_response_hop_limit
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = each.value.disk_size
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  dynamic "network_interfaces" {
    for_each = local.node_network_interfaces[each.key]

    content {
      device_index                = network_interfaces.value.device_index
      network_card_index          = network_interfaces.value.network_card_index
      interface_type              = network_interfaces.value.interface_type
      associate_public_ip_address = network_interfaces.value.associate_public_ip_address
      delete_on_termination       = true
      security_groups             = network_interfaces.value.security_groups
    }
  }

  dynamic "placement" {
    for_each = each.value.efa_count > 0 ? [aws_placement_group.efa[0].name] : []

    content {
      group_name = placement.value
    }
  }

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume", "network-interface"])

    content {
      resource_type = tag_specifications.value
      tags          = merge(var.tags, { Name = "${var.cluster_name}-${each.key}" })
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true

    precondition {
      condition = each.key != "training" || !var.training_node_group.enable_efa || (
        length(local.training_efa_counts) == 1 && local.training_efa_counts[0] > 0 &&
        local.training_efa_count <= local.training_efa_counts[0]
      )
      error_message = "training_node_group.enable_efa needs instance types that all support the same number of EFA interfaces (trn1.32xlarge 8, trn1n.32xlarge 16, trn2.48xlarge 16; trn1.2xlarge has none), and efa_interface_count (when set) may not exceed it."
    }
  }
}

################################################################################
# Managed node groups
################################################################################

resource "aws_eks_node_group" "this" {
  for_each = local.node_groups

  cluster_name    = aws_eks_cluster.this[0].name
  node_group_name = "${var.cluster_name}-${each.key}"
  node_role_arn   = aws_iam_role.node[0].arn
  subnet_ids = (
    each.key == "training" && length(var.training_subnet_ids) > 0 ? var.training_subnet_ids :
    each.value.efa_count > 0 ? [var.subnet_ids[0]] : var.subnet_ids
  )

  ami_type       = each.value.ami_type
  capacity_type  = each.value.capacity_type
  instance_types = each.value.instance_types
  labels         = each.value.labels

  dynamic "taint" {
    for_each = each.value.taints

    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  scaling_config {
    min_size     = each.value.min_size
    desired_size = each.value.desired_size
    max_size     = each.value.max_size
  }

  update_config {
    max_unavailable = 1
  }

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  tags = merge(var.tags, { workload = each.value.labels.workload })

  # The managed networking add-ons (VPC CNI, kube-proxy) and the Pod Identity Agent are in place
  # before the first node joins.
  depends_on = [aws_iam_role_policy_attachment.node, aws_eks_addon.before_compute]

  lifecycle {
    # The cluster autoscaler / Karpenter owns the running size once the group exists.
    ignore_changes = [scaling_config[0].desired_size]
  }
}

################################################################################
# EKS add-ons: VPC CNI, kube-proxy, CoreDNS, EKS Pod Identity Agent
################################################################################

# The networking add-ons (and the Pod Identity Agent) go in before the node groups so that nodes
# become Ready with the managed versions; the others (CoreDNS) need running nodes and come after.
# addon_version null = the default version EKS picks for the cluster's Kubernetes version
# (aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>).
resource "aws_eks_addon" "before_compute" {
  for_each = { for k, v in var.cluster_addons : k => v if var.create && var.create_cluster_addons && v.before_compute }

  cluster_name                = aws_eks_cluster.this[0].name
  addon_name                  = each.key
  addon_version               = each.value.addon_version
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = each.value.resolve_conflicts_on_create
  resolve_conflicts_on_update = each.value.resolve_conflicts_on_update
  preserve                    = each.value.preserve

  tags = var.tags
}

resource "aws_eks_addon" "this" {
  for_each = { for k, v in var.cluster_addons : k => v if var.create && var.create_cluster_addons && !v.before_compute }

  cluster_name                = aws_eks_cluster.this[0].name
  addon_name                  = each.key
  addon_version               = each.value.addon_version
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = each.value.resolve_conflicts_on_create
  resolve_conflicts_on_update = each.value.resolve_conflicts_on_update
  preserve                    = each.value.preserve

  tags = var.tags

  depends_on = [aws_eks_node_group.this]
}

################################################################################
# EKS Pod Identity: IAM roles for Kubernetes service accounts
################################################################################

locals {
  # The cluster autoscaler's service account is one more Pod Identity role (cluster_autoscaler.tf).
  pod_identity_roles = var.create ? merge(var.pod_identity_roles, local.cluster_autoscaler_pod_identity) : {}
  # Roles the module creates (no role_arn given), and their policy attachments keyed by static names.
  pod_identity_created_roles = { for k, v in local.pod_identity_roles : k => v if v.role_arn == null }
  pod_identity_policy_attachments = merge([
    for k, v in local.pod_identity_created_roles : { for name, arn in v.policy_arns : "${k}/${name}" => { role = k, policy_arn = arn } }
  ]...)
  cluster_arn_planned = "arn:${local.partition}:eks:${local.region}:${var.account_id}:cluster/${var.cluster_name}"
}

# Trust policy required by EKS Pod Identity (EKS user guide "Create IAM role with trust policy
# required by EKS Pod Identity"): the pods.eks.amazonaws.com service assumes the role and tags the
# session; the session tags it sets limit the role to this cluster, namespace and service account.
resource "aws_iam_role" "pod_identity" {
  for_each = local.pod_identity_created_roles

  name        = "${var.cluster_name}-pod-${each.key}"
  description = "EKS Pod Identity role of ${each.value.namespace}/${each.value.service_account} on ${var.cluster_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowEksAuthToAssumeRoleForPodIdentity"
      Effect    = "Allow"
      Principal = { Service = "pods.eks.${local.dns_suffix}" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      Condition = {
        StringEquals = {
          "aws:RequestTag/eks-cluster-arn"            = local.cluster_arn_planned
          "aws:RequestTag/kubernetes-namespace"       = each.value.namespace
          "aws:RequestTag/kubernetes-service-account" = each.value.service_account
        }
      }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "pod_identity" {
  for_each = local.pod_identity_policy_attachments

  role       = aws_iam_role.pod_identity[each.value.role].name
  policy_arn = each.value.policy_arn
}

resource "aws_eks_pod_identity_association" "this" {
  for_each = local.pod_identity_roles

  cluster_name    = aws_eks_cluster.this[0].name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = each.value.role_arn != null ? each.value.role_arn : aws_iam_role.pod_identity[each.key].arn

  tags = var.tags
}
