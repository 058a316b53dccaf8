output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the trail, the audit bucket, Config delivery and the trail log group (null when the module needs no key: no trail and no Config)."
  value       = var.create ? (var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn) : null
}

output "cloudtrail_arn" {
  description = "ARN of the multi-region CloudTrail trail."
  value       = try(aws_cloudtrail.this[0].arn, null)
}

output "cloudtrail_bucket_name" {
  description = "Name of the audit bucket (CloudTrail under cloudtrail/, AWS Config under config/)."
  value       = module.audit_bucket.bucket_id
}

output "cloudtrail_bucket_arn" {
  description = "ARN of the audit bucket."
  value       = local.create_bucket ? module.audit_bucket.bucket_arn : null
}

output "cloudtrail_log_group_name" {
  description = "Name of the CloudWatch Logs group receiving the trail (null when cloudtrail_cloudwatch_logs is false)."
  value       = try(aws_cloudwatch_log_group.trail[0].name, null)
}

output "guardduty_detector_id" {
  description = "Id of the GuardDuty detector."
  value       = try(aws_guardduty_detector.this[0].id, null)
}

output "config_recorder_name" {
  description = "Name of the AWS Config configuration recorder."
  value       = try(aws_config_configuration_recorder.this[0].name, null)
}

output "config_role_arn" {
  description = "ARN of the IAM role used by AWS Config."
  value       = try(aws_iam_role.config[0].arn, null)
}

output "access_analyzer_arn" {
  description = "ARN of the account IAM Access Analyzer."
  value       = try(aws_accessanalyzer_analyzer.this[0].arn, null)
}

output "securityhub_account_id" {
  description = "Id of the Security Hub account resource (null when create_securityhub is false)."
  value       = try(aws_securityhub_account.this[0].id, null)
}
