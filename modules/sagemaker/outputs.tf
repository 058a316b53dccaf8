output "domain_id" {
  description = "ID of the SageMaker Studio domain (null unless create_domain)."
  value       = try(aws_sagemaker_domain.this[0].id, null)
}

output "domain_arn" {
  description = "ARN of the SageMaker Studio domain (null unless create_domain)."
  value       = try(aws_sagemaker_domain.this[0].arn, null)
}

output "domain_url" {
  description = "Studio URL of the domain (reachable only from inside the VPC in VpcOnly mode)."
  value       = try(aws_sagemaker_domain.this[0].url, null)
}

output "user_profile_arns" {
  description = "Map of user profile name to ARN."
  value       = { for k, v in aws_sagemaker_user_profile.this : k => v.arn }
}

output "execution_role_arn" {
  description = "ARN of the SageMaker execution role."
  value       = try(aws_iam_role.execution[0].arn, null)
}

output "execution_role_name" {
  description = "Name of the SageMaker execution role."
  value       = try(aws_iam_role.execution[0].name, null)
}

output "security_group_id" {
  description = "ID of the security group of the domain apps and the endpoint's model."
  value       = try(aws_security_group.this[0].id, null)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the domain and endpoint volumes (created or given)."
  value       = var.create ? (var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn) : null
}

output "endpoint_name" {
  description = "Name of the real-time endpoint (null unless create_endpoint)."
  value       = try(aws_sagemaker_endpoint.this[0].name, null)
}

output "endpoint_config_name" {
  description = "Name of the endpoint configuration (null unless create_endpoint)."
  value       = try(aws_sagemaker_endpoint_configuration.this[0].name, null)
}

output "model_name" {
  description = "Name of the SageMaker model behind the endpoint (null unless create_endpoint)."
  value       = try(aws_sagemaker_model.this[0].name, null)
}

output "alarm_arns" {
  description = "Map of endpoint alarm key (model-latency-p99, invocation-5xx-errors, memory-utilization, disk-utilization) to CloudWatch alarm ARN. Empty unless create_endpoint and create_alarms."
  value       = { for k, v in aws_cloudwatch_metric_alarm.endpoint : k => v.arn }
}

output "alarm_names" {
  description = "Map of endpoint alarm key to CloudWatch alarm name."
  value       = { for k, v in aws_cloudwatch_metric_alarm.endpoint : k => v.alarm_name }
}

output "s3_egress_rule_planned" {
  description = "Whether the security group allows HTTPS egress to S3 (create_s3_egress_rule); known at plan time."
  value       = length(aws_vpc_security_group_egress_rule.https_s3) == 1
}
