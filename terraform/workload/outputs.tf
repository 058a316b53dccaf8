output "account_id" {
  description = "Member account the workload is deployed into."
  value       = var.account_id
}

output "vpc_id" {
  description = "Id of the workload VPC."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnet ids of the workload VPC."
  value       = module.network.private_subnet_ids
}

output "kms_key_arn" {
  description = "Customer managed KMS key of the security baseline (null when the organization runs the trail and Config for the account)."
  value       = module.security_baseline.kms_key_arn
}

output "bedrock_invoke_role_arn" {
  description = "Role allowed to invoke the approved Bedrock models."
  value       = module.bedrock.invoke_role_arn
}

output "bedrock_guardrail_id" {
  description = "Id of the Bedrock guardrail (null when left out for the local emulator)."
  value       = module.bedrock.guardrail_id
}

output "sagemaker_endpoint_name" {
  description = "Name of the SageMaker real-time endpoint."
  value       = module.sagemaker.endpoint_name
}

output "eks_cluster_name" {
  description = "Name of the EKS cluster for accelerated inference and training."
  value       = module.accelerated_compute.cluster_name
}

output "eks_cluster_autoscaler_configmap" {
  description = "ConfigMap the Cluster Autoscaler of the EKS cluster reads (cluster name, Region): `terraform output -raw eks_cluster_autoscaler_configmap | kubectl apply -f -`, then `kubectl apply -k modules/accelerated-compute/manifests`. null when the autoscaler is off."
  value       = module.accelerated_compute.cluster_autoscaler_configmap
}

output "budget_name" {
  description = "Name of the account's monthly cost budget (null when left out for the local emulator)."
  value       = module.budgets.budget_name
}
