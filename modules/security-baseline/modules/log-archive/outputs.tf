output "bucket_name" {
  description = "Name of the Object Lock log bucket (organization trail under AWSLogs/, AWS Config under config/, Bedrock invocation logs under bedrock-invocation-logs/)."
  value       = try(aws_s3_bucket.logs[0].id, null)
}

output "bucket_arn" {
  description = "ARN of the log bucket."
  value       = try(aws_s3_bucket.logs[0].arn, null)
}

output "access_log_bucket_name" {
  description = "Name of the bucket receiving the log bucket's server access logs."
  value       = try(aws_s3_bucket.access[0].id, null)
}

output "kms_key_arn" {
  description = "ARN of the log-archive key (the organization trail and the AWS Config delivery channels use it)."
  value       = try(aws_kms_key.this[0].arn, null)
}

output "kms_alias_arn" {
  description = "ARN of the key alias."
  value       = try(aws_kms_alias.this[0].arn, null)
}
