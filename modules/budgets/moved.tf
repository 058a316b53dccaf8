# Where resources moved when the key came from modules/_shared: Terraform carries
# existing state over instead of planning a replacement (tests/test_tf_shared.py). Keep these
# blocks until every state of this module has been planned and applied once with them.

moved {
  from = aws_kms_key.sns
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.sns
  to   = module.kms_key.aws_kms_alias.this
}
