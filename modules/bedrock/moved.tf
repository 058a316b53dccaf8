# Where resources moved when the key and the invocation log bucket came from modules/_shared: Terraform carries
# existing state over instead of planning a replacement (tests/test_tf_shared.py). Keep these
# blocks until every state of this module has been planned and applied once with them.

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}

moved {
  from = aws_s3_bucket.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.invocation_logs
  to   = module.invocation_log_bucket.aws_s3_bucket_policy.this
}
