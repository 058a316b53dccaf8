# A customer managed KMS key with rotation, its alias and its key policy: the account root
# administers the key (AWS's default key policy statement, so IAM policies can grant use) and
# each caller adds the statements of the services that use it.

locals {
  # The trail's account, from its ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>).
  cloudtrail_account = var.cloudtrail_trail_arn == null ? null : split(":", var.cloudtrail_trail_arn)[4]

  # What CloudTrail needs to encrypt a trail's log files with the key (AWS CloudTrail User Guide,
  # "Configure AWS KMS key policies for CloudTrail"): data keys for this trail only, its files'
  # encryption context naming a trail of the trail's account, and DescribeKey to validate the key.
  cloudtrail_statements = var.cloudtrail_trail_arn == null ? [] : [
    {
      Sid       = "CloudTrailEncryptLogs"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:GenerateDataKey*"
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceArn" = var.cloudtrail_trail_arn }
        StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${var.partition}:cloudtrail:*:${local.cloudtrail_account}:trail/*" }
      }
    },
    {
      Sid       = "CloudTrailDescribeKey"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:DescribeKey"
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceArn" = var.cloudtrail_trail_arn } }
    },
  ]

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
    ], local.cloudtrail_statements, var.policy_statements)
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
