output "bucket_id" {
  description = "Name of the bucket (null when create = false)."
  value       = one(aws_s3_bucket.this[*].id)
}

output "bucket_arn" {
  description = "ARN of the bucket, known at plan time."
  value       = local.bucket_arn
}

output "policy" {
  description = "The bucket policy JSON (attached when create_bucket_policy)."
  value       = local.policy
}

output "resources" {
  description = "The bucket and its settings as resource objects (each null when not created), for assertions of the calling module's tests."
  value = {
    bucket              = one(aws_s3_bucket.this[*])
    ownership_controls  = one(aws_s3_bucket_ownership_controls.this[*])
    public_access_block = one(aws_s3_bucket_public_access_block.this[*])
    versioning          = one(aws_s3_bucket_versioning.this[*])
    encryption          = one(aws_s3_bucket_server_side_encryption_configuration.this[*])
    lifecycle           = one(aws_s3_bucket_lifecycle_configuration.this[*])
    # without its token (sensitive), which would make the whole output sensitive
    object_lock = one([for r in aws_s3_bucket_object_lock_configuration.this : { bucket = r.bucket, rule = r.rule }])
    logging     = one(aws_s3_bucket_logging.this[*])
    policy      = one(aws_s3_bucket_policy.this[*])
  }
}
