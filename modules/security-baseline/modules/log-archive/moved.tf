# Where resources moved when the key and the two buckets came from modules/_shared: Terraform
# carries existing state over instead of planning a replacement (tests/test_tf_shared.py). Keep
# these blocks until every state of this module has been planned and applied once with them.

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}

moved {
  from = aws_s3_bucket.logs
  to   = module.log_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_object_lock_configuration.logs
  to   = module.log_bucket.aws_s3_bucket_object_lock_configuration.this
}

moved {
  from = aws_s3_bucket_ownership_controls.logs
  to   = module.log_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.logs
  to   = module.log_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.logs
  to   = module.log_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.logs
  to   = module.log_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.logs
  to   = module.log_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.logs
  to   = module.log_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.logs
  to   = module.log_bucket.aws_s3_bucket_policy.this
}

moved {
  from = aws_s3_bucket.access
  to   = module.access_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.access
  to   = module.access_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.access
  to   = module.access_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.access
  to   = module.access_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.access
  to   = module.access_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.access
  to   = module.access_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.access
  to   = module.access_bucket.aws_s3_bucket_policy.this
}
