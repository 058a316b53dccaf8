mock_provider "aws" {
  # The provider checks that a policy argument is a JSON object.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  override_data {
    target = data.aws_region.current
    values = {
      name = "us-east-1"
    }
  }
}

variables {
  cluster_name = "genai-dev"
  account_id   = "111122223333"
  environment  = "dev"
  vpc_id       = "vpc-0123456789abcdef0"
  subnet_ids   = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  tags         = { project = "genai-lz" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_eks_cluster.this[0].vpc_config[0].endpoint_private_access == true && aws_eks_cluster.this[0].vpc_config[0].endpoint_public_access == false
    error_message = "The API endpoint must be private only by default."
  }

  assert {
    condition     = aws_eks_cluster.this[0].access_config[0].authentication_mode == "API" && aws_eks_cluster.this[0].access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "Authentication mode must be API without implicit creator admin."
  }

  assert {
    condition     = toset(aws_eks_cluster.this[0].enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    error_message = "All control plane log types must be enabled."
  }

  assert {
    condition     = toset(aws_eks_cluster.this[0].encryption_config[0].resources) == toset(["secrets"])
    error_message = "Secrets must be envelope encrypted."
  }

  assert {
    condition     = aws_eks_cluster.this[0].version == "1.35" && aws_eks_cluster.this[0].upgrade_policy[0].support_type == "STANDARD"
    error_message = "Default Kubernetes version 1.35 (in EKS standard support until 27 March 2027) on standard support."
  }

  assert {
    condition     = module.kms_key.key.enable_key_rotation == true
    error_message = "The module-created KMS key must rotate."
  }

  assert {
    condition     = aws_cloudwatch_log_group.cluster[0].retention_in_days == 365 && aws_cloudwatch_log_group.cluster[0].name == "/aws/eks/genai-dev/cluster"
    error_message = "Control plane log group must keep logs 365 days."
  }

  assert {
    condition     = alltrue([for k, lt in aws_launch_template.node : lt.metadata_options[0].http_tokens == "required" && lt.metadata_options[0].http_put_response_hop_limit == 1])
    error_message = "Launch templates must require IMDSv2 with hop limit 1."
  }

  assert {
    condition     = alltrue([for k, lt in aws_launch_template.node : lt.block_device_mappings[0].ebs[0].encrypted == "true"])
    error_message = "Node volumes must be encrypted."
  }

  assert {
    condition     = alltrue([for k, lt in aws_launch_template.node : alltrue([for ni in lt.network_interfaces : ni.associate_public_ip_address == "false"])])
    error_message = "Nodes must not get public IPs."
  }

  assert {
    condition     = toset(keys(aws_eks_node_group.this)) == toset(["inference", "training", "system"])
    error_message = "Inference, training and the untainted system node group are created by default."
  }

  assert {
    condition     = alltrue([for k in ["inference", "training"] : aws_eks_node_group.this[k].ami_type == "AL2023_x86_64_NEURON"])
    error_message = "Accelerator node groups must use the AL2023 Neuron AMI."
  }

  assert {
    condition     = alltrue([for k in ["inference", "training"] : length([for t in aws_eks_node_group.this[k].taint : t if t.key == "aws.amazon.com/neuron" && t.effect == "NO_SCHEDULE"]) == 1])
    error_message = "Accelerator node groups must carry the aws.amazon.com/neuron NoSchedule taint."
  }

  assert {
    condition     = aws_eks_node_group.this["inference"].instance_types == tolist(["inf2.xlarge"]) && aws_eks_node_group.this["inference"].labels == tomap({ workload = "inference", accelerator = "inferentia2" })
    error_message = "Inference runs on inf2 with the inference/inferentia2 labels."
  }

  assert {
    condition     = aws_eks_node_group.this["training"].instance_types == tolist(["trn1.32xlarge"]) && aws_eks_node_group.this["training"].labels == tomap({ workload = "training", accelerator = "trainium" })
    error_message = "Training runs on trn1 with the training/trainium labels."
  }

  assert {
    condition     = aws_eks_node_group.this["training"].capacity_type == "SPOT" && aws_eks_node_group.this["inference"].capacity_type == "ON_DEMAND"
    error_message = "Outside prod training must be SPOT and inference ON_DEMAND."
  }

  assert {
    condition     = output.node_group_capacity_types == { inference = "ON_DEMAND", training = "SPOT", system = "ON_DEMAND" }
    error_message = "node_group_capacity_types output must reflect the capacity types."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.node) == 3 && toset([for a in aws_iam_role_policy_attachment.node : a.policy_arn]) == toset(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"])
    error_message = "The node role gets exactly the three standard worker policies."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.cluster[0].policy_arn == "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
    error_message = "The cluster role gets AmazonEKSClusterPolicy."
  }

  assert {
    condition     = length(aws_placement_group.efa) == 0 && length(aws_security_group.efa) == 0
    error_message = "No placement group or EFA security group without EFA."
  }
}

run "system_node_group_runs_coredns_by_default" {
  command = plan

  assert {
    condition = (
      length(aws_eks_node_group.this["system"].taint) == 0 &&
      aws_eks_node_group.this["system"].ami_type == "AL2023_x86_64_STANDARD" &&
      aws_eks_node_group.this["system"].capacity_type == "ON_DEMAND" &&
      aws_eks_node_group.this["system"].scaling_config[0].min_size >= 1
    )
    error_message = "An untainted on-demand system node group with at least one node must exist by default: CoreDNS does not tolerate the Neuron taint."
  }

  assert {
    condition     = toset(keys(aws_eks_addon.this)) == toset(["coredns"]) && toset(keys(aws_eks_addon.before_compute)) == toset(["vpc-cni", "kube-proxy", "eks-pod-identity-agent"])
    error_message = "The core add-ons are managed: networking and the Pod Identity Agent before the nodes, CoreDNS after them."
  }

  assert {
    condition     = alltrue([for a in aws_eks_addon.before_compute : a.resolve_conflicts_on_create == "OVERWRITE" && a.tags["project"] == "genai-lz"])
    error_message = "Add-ons take over the self-managed defaults EKS installs and carry the tags."
  }
}

run "autoscaling_service_linked_role_before_key" {
  command = plan

  assert {
    condition     = aws_iam_service_linked_role.autoscaling[0].aws_service_name == "autoscaling.amazonaws.com"
    error_message = "The Auto Scaling service-linked role the key policy names must be created (it does not exist in a new account)."
  }
}

run "autoscaling_service_linked_role_toggle" {
  command = plan

  variables {
    create_autoscaling_service_linked_role = false
  }

  assert {
    condition     = length(aws_iam_service_linked_role.autoscaling) == 0 && module.kms_key.key != null
    error_message = "Accounts that already have the role can turn its creation off."
  }
}

run "pod_identity_for_bedrock" {
  command = plan

  variables {
    pod_identity_roles = {
      bedrock = {
        namespace       = "genai"
        service_account = "bedrock-invoke"
        policy_arns     = { invoke = "arn:aws:iam::111122223333:policy/genai-dev-bedrock-invoke" }
      }
      existing = {
        namespace       = "tools"
        service_account = "reader"
        role_arn        = "arn:aws:iam::111122223333:role/reader"
      }
    }
  }

  assert {
    condition = (
      jsondecode(aws_iam_role.pod_identity["bedrock"].assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com" &&
      toset(jsondecode(aws_iam_role.pod_identity["bedrock"].assume_role_policy).Statement[0].Action) == toset(["sts:AssumeRole", "sts:TagSession"])
    )
    error_message = "The pod role must trust pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession."
  }

  assert {
    condition = jsondecode(aws_iam_role.pod_identity["bedrock"].assume_role_policy).Statement[0].Condition.StringEquals == {
      "aws:RequestTag/eks-cluster-arn"            = "arn:aws:eks:us-east-1:111122223333:cluster/genai-dev"
      "aws:RequestTag/kubernetes-namespace"       = "genai"
      "aws:RequestTag/kubernetes-service-account" = "bedrock-invoke"
    }
    error_message = "The pod role is limited to this cluster, namespace and service account (Pod Identity session tags)."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.pod_identity["bedrock/invoke"].policy_arn == "arn:aws:iam::111122223333:policy/genai-dev-bedrock-invoke" && toset(keys(aws_iam_role.pod_identity)) == toset(["bedrock", "cluster-autoscaler"])
    error_message = "The given policies are attached to the created role; no role is created for a given role_arn (the cluster autoscaler has its own)."
  }

  assert {
    condition     = aws_eks_pod_identity_association.this["bedrock"].namespace == "genai" && aws_eks_pod_identity_association.this["bedrock"].service_account == "bedrock-invoke" && aws_eks_pod_identity_association.this["existing"].role_arn == "arn:aws:iam::111122223333:role/reader"
    error_message = "Each service account is associated with its role."
  }
}

run "cluster_autoscaler_by_default" {
  command = plan

  # Defaults: the training group has min_size 0, so the autoscaler is on.
  assert {
    condition = (
      aws_eks_pod_identity_association.this["cluster-autoscaler"].namespace == "kube-system" &&
      aws_eks_pod_identity_association.this["cluster-autoscaler"].service_account == "cluster-autoscaler" &&
      aws_iam_role_policy.cluster_autoscaler[0].name == "cluster-autoscaler"
    )
    error_message = "The cluster autoscaler's service account kube-system/cluster-autoscaler gets a Pod Identity role with its policy."
  }

  assert {
    condition = (
      toset(data.aws_iam_policy_document.cluster_autoscaler[0].statement[2].actions) == toset(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]) &&
      [for c in data.aws_iam_policy_document.cluster_autoscaler[0].statement[2].condition : "${c.test} ${c.variable} ${join(",", c.values)}"] == ["StringEquals aws:ResourceTag/k8s.io/cluster-autoscaler/genai-dev owned"] &&
      data.aws_iam_policy_document.cluster_autoscaler[0].statement[1].resources == toset(["arn:aws:eks:us-east-1:111122223333:nodegroup/genai-dev/*/*"]) &&
      alltrue([for a in data.aws_iam_policy_document.cluster_autoscaler[0].statement[0].actions : can(regex(":(Describe|Get)", a))])
    )
    error_message = "Capacity changes only on ASGs tagged k8s.io/cluster-autoscaler/<cluster> = owned; everything else is read-only; DescribeNodegroup only on this cluster's node groups."
  }

  assert {
    condition = (
      aws_autoscaling_group_tag.cluster_autoscaler["training|k8s.io/cluster-autoscaler/node-template/label/workload"].tag[0].value == "training" &&
      aws_autoscaling_group_tag.cluster_autoscaler["training|k8s.io/cluster-autoscaler/node-template/taint/aws.amazon.com/neuron"].tag[0].value == ":NoSchedule" &&
      aws_autoscaling_group_tag.cluster_autoscaler["training|k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuron"].tag[0].value == "16" &&
      aws_autoscaling_group_tag.cluster_autoscaler["inference|k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuroncore"].tag[0].value == "2" &&
      aws_autoscaling_group_tag.cluster_autoscaler["training|k8s.io/cluster-autoscaler/node-template/autoscaling-options/scaledownunneededtime"].tag[0].value == "5m0s" &&
      alltrue([for k, t in aws_autoscaling_group_tag.cluster_autoscaler : t.tag[0].propagate_at_launch == false])
    )
    error_message = "Each node group's ASG carries the node-template labels, taint and Neuron resources (scale-up from zero); outside prod accelerator nodes go after 5 minutes."
  }

  assert {
    condition     = !contains(keys(aws_autoscaling_group_tag.cluster_autoscaler), "system|k8s.io/cluster-autoscaler/node-template/resources/aws.amazon.com/neuron") && !contains(keys(aws_autoscaling_group_tag.cluster_autoscaler), "system|k8s.io/cluster-autoscaler/node-template/autoscaling-options/scaledownunneededtime")
    error_message = "The system group has no Neuron resources and keeps the Deployment's scale-down time."
  }

  assert {
    condition     = yamldecode(output.cluster_autoscaler_configmap).data == { "cluster-name" = "genai-dev", region = "us-east-1" } && yamldecode(output.cluster_autoscaler_configmap).metadata.name == "cluster-autoscaler-cluster"
    error_message = "The ConfigMap the Deployment reads names the cluster and Region."
  }
}

run "cluster_autoscaler_prod" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = length(aws_iam_role_policy.cluster_autoscaler) == 1 && !contains(keys(aws_autoscaling_group_tag.cluster_autoscaler), "training|k8s.io/cluster-autoscaler/node-template/autoscaling-options/scaledownunneededtime")
    error_message = "Prod runs the autoscaler with the Deployment's scale-down time (no per-group override)."
  }
}

run "cluster_autoscaler_off_when_no_group_scales_to_zero" {
  command = plan

  variables {
    training_node_group = { min_size = 1, desired_size = 1 }
  }

  assert {
    condition     = length(aws_iam_role_policy.cluster_autoscaler) == 0 && length(aws_autoscaling_group_tag.cluster_autoscaler) == 0 && !contains(keys(aws_eks_pod_identity_association.this), "cluster-autoscaler") && output.cluster_autoscaler_configmap == null
    error_message = "Without a group at min_size 0 the autoscaler is off unless create_cluster_autoscaler = true."
  }
}

run "cluster_autoscaler_image_for_another_version" {
  command = plan

  variables {
    kubernetes_version = "1.36"
  }

  expect_failures = [check.cluster_autoscaler_image_matches_kubernetes_version]
}

run "reject_cluster_autoscaler_without_pod_identity_agent" {
  command = plan

  variables {
    create_cluster_autoscaler = true
    cluster_addons            = { "vpc-cni" = { before_compute = true }, "coredns" = {} }
  }

  expect_failures = [var.create_cluster_autoscaler]
}

run "reject_reserved_pod_identity_key" {
  command = plan

  variables {
    pod_identity_roles = {
      "cluster-autoscaler" = { namespace = "kube-system", service_account = "cluster-autoscaler" }
    }
  }

  expect_failures = [var.create_cluster_autoscaler]
}

run "efa_count_derived_from_instance_type" {
  command = plan

  variables {
    training_node_group = { enable_efa = true, instance_types = ["trn1n.32xlarge"] }
    training_subnet_ids = ["subnet-0123456789abcdef1"]
  }

  assert {
    condition     = length(aws_launch_template.node["training"].network_interfaces) == 16 && output.training_efa_interface_count == 16
    error_message = "trn1n.32xlarge has 16 EFA interfaces (one per network card)."
  }

  assert {
    condition     = aws_eks_node_group.this["training"].subnet_ids == toset(["subnet-0123456789abcdef1"])
    error_message = "training_subnet_ids place the training group (the AZ with the trn1 capacity)."
  }
}

run "efa_count_trn1_32xlarge" {
  command = plan

  variables {
    training_node_group = { enable_efa = true }
  }

  assert {
    condition     = length(aws_launch_template.node["training"].network_interfaces) == 8 && length(aws_launch_template.node["inference"].network_interfaces) == 1
    error_message = "trn1.32xlarge has 8 EFA interfaces; inf2 none."
  }
}

run "reject_efa_on_type_without_efa" {
  command = plan

  variables {
    training_node_group = { enable_efa = true, instance_types = ["trn1.2xlarge"] }
  }

  expect_failures = [aws_launch_template.node]
}

run "reject_efa_types_with_different_counts" {
  command = plan

  variables {
    training_node_group = { enable_efa = true, instance_types = ["trn1.32xlarge", "trn1n.32xlarge"] }
  }

  expect_failures = [aws_launch_template.node]
}

run "reject_version_out_of_standard_support" {
  command = plan

  variables {
    kubernetes_version = "1.31"
  }

  expect_failures = [var.kubernetes_version]
}

run "reject_bad_addon_version" {
  command = plan

  variables {
    cluster_addons = { coredns = { addon_version = "latest" } }
  }

  expect_failures = [var.cluster_addons]
}

run "reject_pod_identity_role_and_policies" {
  command = plan

  variables {
    pod_identity_roles = {
      bad = {
        namespace       = "genai"
        service_account = "x"
        role_arn        = "arn:aws:iam::111122223333:role/reader"
        policy_arns     = { a = "arn:aws:iam::111122223333:policy/a" }
      }
    }
  }

  expect_failures = [var.pod_identity_roles]
}

run "prod_training_on_demand" {
  command = plan

  variables {
    environment = "prod"
  }

  assert {
    condition     = aws_eks_node_group.this["training"].capacity_type == "ON_DEMAND"
    error_message = "Training must be ON_DEMAND in prod."
  }
}

run "explicit_capacity_and_existing_key" {
  command = plan

  variables {
    kms_key_arn         = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    training_node_group = { capacity_type = "ON_DEMAND", instance_types = ["trn2.48xlarge"] }
  }

  assert {
    condition     = module.kms_key.key == null && aws_eks_cluster.this[0].encryption_config[0].provider[0].key_arn == var.kms_key_arn && aws_cloudwatch_log_group.cluster[0].kms_key_id == var.kms_key_arn
    error_message = "A given key is used for secrets and logs and no key is created."
  }

  assert {
    condition     = aws_eks_node_group.this["training"].capacity_type == "ON_DEMAND" && aws_eks_node_group.this["training"].labels.accelerator == "trainium2"
    error_message = "An explicit capacity type wins over the environment default."
  }

  assert {
    condition     = alltrue([for k, lt in aws_launch_template.node : lt.block_device_mappings[0].ebs[0].kms_key_id == var.kms_key_arn])
    error_message = "Node volumes must use the given KMS key."
  }

  assert {
    condition     = data.aws_iam_policy_document.cluster_encryption[0].statement[0].resources == toset([var.kms_key_arn]) && output.kms_key_arn == var.kms_key_arn
    error_message = "The control plane may use the given key only, and the output names it."
  }
}

run "efa_training" {
  command = plan

  variables {
    training_node_group = { enable_efa = true, efa_interface_count = 8 }
  }

  assert {
    condition     = aws_placement_group.efa[0].strategy == "cluster"
    error_message = "EFA needs a cluster placement group."
  }

  assert {
    condition     = length(aws_launch_template.node["training"].network_interfaces) == 8 && alltrue([for ni in aws_launch_template.node["training"].network_interfaces : ni.interface_type == "efa"])
    error_message = "One EFA interface per network card."
  }

  assert {
    condition     = aws_eks_node_group.this["training"].subnet_ids == toset([var.subnet_ids[0]])
    error_message = "The EFA node group is pinned to one subnet (one AZ)."
  }

  assert {
    condition     = length(aws_launch_template.node["inference"].placement) == 0
    error_message = "Only the training group is placed in the placement group."
  }
}

run "public_endpoint_restricted" {
  command = plan

  variables {
    endpoint_public_access = true
    public_access_cidrs    = ["203.0.113.0/24"]
  }

  assert {
    condition     = aws_eks_cluster.this[0].vpc_config[0].endpoint_public_access == true && aws_eks_cluster.this[0].vpc_config[0].public_access_cidrs == toset(["203.0.113.0/24"])
    error_message = "The public endpoint is limited to the given CIDRs."
  }
}

run "system_group_and_admins" {
  command = plan

  variables {
    create_system_node_group     = true
    create_training_node_group   = false
    cluster_admin_principal_arns = ["arn:aws:iam::111122223333:role/platform-admin"]
  }

  assert {
    condition     = toset(keys(aws_eks_node_group.this)) == toset(["inference", "system"]) && aws_eks_node_group.this["system"].ami_type == "AL2023_x86_64_STANDARD" && length(aws_eks_node_group.this["system"].taint) == 0
    error_message = "The system group is untainted on the standard AMI."
  }

  assert {
    condition     = aws_eks_access_policy_association.admin["arn:aws:iam::111122223333:role/platform-admin"].access_scope[0].type == "cluster"
    error_message = "Admins get a cluster-scoped access policy association."
  }
}

run "disabled" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_eks_cluster.this) == 0 && length(aws_eks_node_group.this) == 0 && module.kms_key.key == null && output.kms_key_arn == null
    error_message = "create = false creates nothing."
  }
}

run "reject_open_public_endpoint" {
  command = plan

  variables {
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }

  expect_failures = [var.public_access_cidrs]
}

run "reject_public_endpoint_without_cidrs" {
  command = plan

  variables {
    endpoint_public_access = true
  }

  expect_failures = [var.public_access_cidrs]
}

run "reject_gpu_for_inference" {
  command = plan

  variables {
    inference_node_group = { instance_types = ["g5.xlarge"] }
  }

  expect_failures = [var.inference_node_group]
}

run "reject_inferentia_for_training" {
  command = plan

  variables {
    training_node_group = { instance_types = ["inf2.48xlarge"] }
  }

  expect_failures = [var.training_node_group]
}

run "reject_bad_sizes" {
  command = plan

  variables {
    inference_node_group = { min_size = 3, desired_size = 2, max_size = 4 }
  }

  expect_failures = [var.inference_node_group]
}

run "reject_bad_capacity_type" {
  command = plan

  variables {
    training_node_group = { capacity_type = "CHEAP" }
  }

  expect_failures = [var.training_node_group]
}

run "reject_uppercase_environment" {
  command = plan

  variables {
    environment = "Prod"
  }

  expect_failures = [var.environment]
}

run "reject_single_subnet" {
  command = plan

  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.subnet_ids]
}

run "reject_bad_account_id" {
  command = plan

  variables {
    account_id = "1234"
  }

  expect_failures = [var.account_id]
}
