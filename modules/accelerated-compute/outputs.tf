output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = try(aws_eks_cluster.this[0].name, null)
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = try(aws_eks_cluster.this[0].arn, null)
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API server (private unless endpoint_public_access is true)."
  value       = try(aws_eks_cluster.this[0].endpoint, null)
}

output "cluster_certificate_authority_data" {
  description = "Base64 encoded certificate data of the cluster CA."
  value       = try(aws_eks_cluster.this[0].certificate_authority[0].data, null)
}

output "cluster_security_group_id" {
  description = "Id of the security group EKS created for the control plane and attached to every node."
  value       = local.cluster_security_group_id
}

output "cluster_oidc_issuer_url" {
  description = "OIDC issuer URL of the cluster (for IRSA)."
  value       = try(aws_eks_cluster.this[0].identity[0].oidc[0].issuer, null)
}

output "node_group_arns" {
  description = "Map of node group key (inference, training, system) to node group ARN."
  value       = { for k, v in aws_eks_node_group.this : k => v.arn }
}

output "node_group_capacity_types" {
  description = "Map of node group key to capacity type (ON_DEMAND or SPOT)."
  value       = { for k, v in local.node_groups : k => v.capacity_type }
}

output "node_role_arn" {
  description = "ARN of the IAM role of the managed node groups."
  value       = try(aws_iam_role.node[0].arn, null)
}

output "cluster_role_arn" {
  description = "ARN of the IAM role of the EKS control plane."
  value       = try(aws_iam_role.cluster[0].arn, null)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting secrets, control plane logs and node volumes."
  value       = var.create ? (var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn) : null
}

output "cloudwatch_log_group_name" {
  description = "Name of the control plane log group."
  value       = try(aws_cloudwatch_log_group.cluster[0].name, null)
}

output "placement_group_name" {
  description = "Name of the cluster placement group of the EFA training node group (null without EFA)."
  value       = try(aws_placement_group.efa[0].name, null)
}

output "cluster_addon_names" {
  description = "Names of the EKS add-ons the module manages."
  value       = concat(keys(aws_eks_addon.before_compute), keys(aws_eks_addon.this))
}

output "pod_identity_role_arns" {
  description = "Map of pod_identity_roles key to the IAM role ARN associated with the service account (created or given)."
  value       = { for k, v in aws_eks_pod_identity_association.this : k => v.role_arn }
}

output "autoscaling_service_linked_role_arn" {
  description = "ARN of the Auto Scaling service-linked role the module created (null when create_autoscaling_service_linked_role is false or no key is created)."
  value       = try(aws_iam_service_linked_role.autoscaling[0].arn, null)
}

output "training_efa_interface_count" {
  description = "EFA interfaces per training node (0 without EFA): derived from the instance type unless efa_interface_count is set."
  value       = try(local.node_groups["training"].efa_count, 0)
}

output "device_plugin_manifests_path" {
  description = "Directory of the pinned Neuron and EFA device plugin manifests (kubectl apply -k <path> once the cluster and an admin access entry exist)."
  value       = "${path.module}/manifests"
}

output "pod_identity_role_names" {
  description = "Map of pod_identity_roles key to the name of the IAM role the module created (roles given by role_arn are not listed)."
  value       = { for k, v in aws_iam_role.pod_identity : k => v.name }
}

output "cluster_autoscaler_role_arn" {
  description = "ARN of the EKS Pod Identity role of kube-system/cluster-autoscaler (null when create_cluster_autoscaler is off)."
  value       = try(aws_eks_pod_identity_association.this["cluster-autoscaler"].role_arn, null)
}

output "cluster_autoscaler_configmap" {
  description = "ConfigMap kube-system/cluster-autoscaler-cluster (cluster name and Region) that manifests/cluster-autoscaler.yaml reads: `terraform output -raw cluster_autoscaler_configmap | kubectl apply -f -` before `kubectl apply -k manifests`. null when create_cluster_autoscaler is off."
  value = local.create_cluster_autoscaler ? yamlencode({
    apiVersion = "v1"
    kind       = "ConfigMap"
    metadata   = { name = "cluster-autoscaler-cluster", namespace = "kube-system", labels = { "app.kubernetes.io/name" = "cluster-autoscaler" } }
    data       = { "cluster-name" = var.cluster_name, "region" = local.region }
  }) : null
}
