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
  value       = var.create ? (var.kms_key_arn != null ? var.kms_key_arn : aws_kms_key.this[0].arn) : null
}

output "cloudwatch_log_group_name" {
  description = "Name of the control plane log group."
  value       = try(aws_cloudwatch_log_group.cluster[0].name, null)
}

output "placement_group_name" {
  description = "Name of the cluster placement group of the EFA training node group (null without EFA)."
  value       = try(aws_placement_group.efa[0].name, null)
}
