output "bucket_name" {
  description = "The log bucket: set it as log_archive_bucket_name in terraform/organization/envs/management.tfvars."
  value       = module.log_archive.bucket_name
}

output "kms_key_arn" {
  description = "The log-archive key: set it as log_archive_kms_key_arn in terraform/organization/envs/management.tfvars."
  value       = module.log_archive.kms_key_arn
}

output "access_log_bucket_name" {
  description = "The bucket receiving the log bucket's server access logs."
  value       = module.log_archive.access_log_bucket_name
}
