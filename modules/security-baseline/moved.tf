# Where resources moved when the key and the audit bucket came from modules/_shared: Terraform
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
  from = aws_s3_bucket.audit
  to   = module.audit_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.audit
  to   = module.audit_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.audit
  to   = module.audit_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.audit
  to   = module.audit_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.audit
  to   = module.audit_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.audit
  to   = module.audit_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.audit
  to   = module.audit_bucket.aws_s3_bucket_policy.this
}
