output "bucket_name" {
  description = "Name of the Object Lock log bucket (organization trail under AWSLogs/, AWS Config under config/, Bedrock invocation logs under bedrock-invocation-logs/)."
  value       = module.log_bucket.bucket_id
}

output "bucket_arn" {
  description = "ARN of the log bucket."
  value       = var.create ? module.log_bucket.bucket_arn : null
}

output "access_log_bucket_name" {
  description = "Name of the bucket receiving the log bucket's server access logs."
  value       = module.access_bucket.bucket_id
}

output "kms_key_arn" {
  description = "ARN of the log-archive key (the organization trail and the AWS Config delivery channels use it)."
  value       = module.kms_key.key_arn
}

output "kms_alias_arn" {
  description = "ARN of the key alias."
  value       = module.kms_key.alias_arn
}
