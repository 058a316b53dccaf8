# Where resources moved when the key and the state bucket came from modules/_shared: Terraform carries
# existing state over instead of planning a replacement (tests/test_tf_shared.py). Keep these
# blocks until every state of this root has been planned and applied once with them.

moved {
  from = aws_kms_key.state
  to   = module.kms_key.aws_kms_key.this[0]
}

moved {
  from = aws_kms_alias.state
  to   = module.kms_key.aws_kms_alias.this[0]
}

moved {
  from = aws_s3_bucket.state
  to   = module.state_bucket.aws_s3_bucket.this[0]
}

moved {
  from = aws_s3_bucket_ownership_controls.state
  to   = module.state_bucket.aws_s3_bucket_ownership_controls.this[0]
}

moved {
  from = aws_s3_bucket_public_access_block.state
  to   = module.state_bucket.aws_s3_bucket_public_access_block.this[0]
}

moved {
  from = aws_s3_bucket_versioning.state
  to   = module.state_bucket.aws_s3_bucket_versioning.this[0]
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.state
  to   = module.state_bucket.aws_s3_bucket_server_side_encryption_configuration.this[0]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.state
  to   = module.state_bucket.aws_s3_bucket_lifecycle_configuration.this[0]
}

moved {
  from = aws_s3_bucket_logging.state
  to   = module.state_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.state
  to   = module.state_bucket.aws_s3_bucket_policy.this
}
