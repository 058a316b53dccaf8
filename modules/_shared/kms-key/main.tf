# A customer managed KMS key with rotation, its alias and its key policy: the account root
# administers the key (AWS's default key policy statement, so IAM policies can grant use) and
# each caller adds the statements of the services that use it.

locals {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = var.administrator_sid
        Effect    = "Allow"
        Principal = { AWS = "arn:${var.partition}:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ], var.policy_statements)
  })
}

resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_109:Key policy: Resource "*" means this key only; the account root statement keeps the key manageable (AWS default key policy).
  #checkov:skip=CKV_AWS_111:Key policy: Resource "*" means this key only; the account root statement keeps the key manageable (AWS default key policy).
  #checkov:skip=CKV_AWS_356:Key policy: Resource "*" means this key only.
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = local.policy

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create ? 1 : 0

  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this[0].key_id
}
