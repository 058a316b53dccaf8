# The log-archive account's central, tamper-resistant log store: one S3 bucket with Object
# Lock (GOVERNANCE) that receives the organization trail, the AWS Config deliveries of every
# member account and the replicated Bedrock invocation logs, encrypted with a CMK of this
# account; a second bucket receives its S3 server access logs.

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  bucket_name        = "${var.bucket_prefix}${var.account_id}-${local.region}"
  access_bucket_name = "${var.bucket_prefix}access-${var.account_id}-${local.region}"
  bucket_arn         = "arn:${local.partition}:s3:::${local.bucket_name}"
  access_bucket_arn  = "arn:${local.partition}:s3:::${local.access_bucket_name}"
  trail_arn          = "arn:${local.partition}:cloudtrail:${var.trail_home_region}:${var.management_account_id}:trail/${var.organization_trail_name}"

  # Nobody but break-glass deletes log objects or versions (Object Lock stops it too while the
  # retention runs) or the key: the statements carry this condition.
  not_break_glass = { ArnNotLike = { "aws:PrincipalARN" = var.break_glass_role_arn_patterns } }

  # Only the invocation-log replication roles of the organization's accounts (modules/bedrock names them
  # <name>-bedrock-log-replication) write replicas; they can neither delete nor replicate deletions.
  replication_roles = {
    StringEquals = { "aws:PrincipalOrgID" = var.organization_id }
    ArnLike      = { "aws:PrincipalARN" = "arn:${local.partition}:iam::*:role/${var.replication_role_name_pattern}" }
  }
}

################################################################################
# KMS key: CloudTrail and AWS Config of the organization encrypt with it; nobody in a member
# account (nor here, but break-glass) can disable or delete it
################################################################################

resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  description             = "genai-lz log archive: organization trail, AWS Config, Bedrock invocation logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "DenyKeyDestructionButBreakGlass"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion", "kms:UntagResource"]
        Resource  = "*"
        Condition = local.not_break_glass
      },
      {
        Sid       = "CloudTrailEncryptLogs"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceArn" = local.trail_arn }
          StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${local.partition}:cloudtrail:*:${var.management_account_id}:trail/*" }
        }
      },
      {
        Sid       = "CloudTrailDescribeKey"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:DescribeKey"
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "ConfigDeliveryFromTheOrganization"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceOrgID" = var.organization_id } }
      },
      {
        Sid       = "S3ServerAccessLogDelivery"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
      {
        Sid       = "InvocationLogReplicationFromTheOrganization"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:Encrypt"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:PrincipalOrgID" = var.organization_id, "kms:ViaService" = "s3.${local.region}.amazonaws.com" }
          ArnLike      = local.replication_roles.ArnLike
        }
      },
    ]
  })

  tags = merge(var.tags, { "genai-lz:protected" = "log-archive" })
}

resource "aws_kms_alias" "this" {
  count = var.create ? 1 : 0

  name          = "alias/${var.kms_alias_name}"
  target_key_id = aws_kms_key.this[0].key_id
}

################################################################################
# Log bucket with Object Lock
################################################################################

resource "aws_s3_bucket" "logs" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_144:The log archive is the replication destination; a second copy in another region is the operator's choice (Object Lock already protects it).
  #checkov:skip=CKV2_AWS_62:Log delivery needs no S3 event notifications.
  bucket              = local.bucket_name
  object_lock_enabled = true
  force_destroy       = false

  tags = merge(var.tags, { "genai-lz:protected" = "log-archive" })
}

resource "aws_s3_bucket_object_lock_configuration" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.object_lock_retention_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

resource "aws_s3_bucket_versioning" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id

  rule {
    id     = "archive-then-expire"
    status = "Enabled"

    filter {}

    transition {
      days          = var.glacier_transition_days
      storage_class = "GLACIER"
    }

    transition {
      days          = var.deep_archive_transition_days
      storage_class = "DEEP_ARCHIVE"
    }

    expiration {
      days = var.expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

resource "aws_s3_bucket_logging" "logs" {
  count = var.create ? 1 : 0

  bucket        = aws_s3_bucket.logs[0].id
  target_bucket = aws_s3_bucket.access[0].id
  target_prefix = "s3-access/${local.bucket_name}/"
}

resource "aws_s3_bucket_policy" "logs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.logs[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyLogDeletionButBreakGlass"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["s3:BypassGovernanceRetention", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:ReplicateDelete"]
        Resource  = "${local.bucket_arn}/*"
        Condition = local.not_break_glass
      },
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = local.bucket_arn
        Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "CloudTrailWriteOrganizationTrail"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource = [
          "${local.bucket_arn}/AWSLogs/${var.management_account_id}/*",
          "${local.bucket_arn}/AWSLogs/${var.organization_id}/*",
        ]
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceArn" = local.trail_arn } }
      },
      {
        Sid       = "ConfigAclCheck"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
        Resource  = local.bucket_arn
        Condition = { StringEquals = { "aws:SourceOrgID" = var.organization_id } }
      },
      {
        Sid       = "ConfigWrite"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${local.bucket_arn}/config/AWSLogs/*/Config/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceOrgID" = var.organization_id } }
      },
      {
        Sid       = "BedrockInvocationLogReplication"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["s3:ObjectOwnerOverrideToBucketOwner", "s3:ReplicateObject", "s3:ReplicateTags"]
        Resource  = "${local.bucket_arn}/bedrock-invocation-logs/*"
        Condition = local.replication_roles
      },
      {
        Sid       = "BedrockInvocationLogReplicationVersioning"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["s3:GetBucketVersioning", "s3:PutBucketVersioning"]
        Resource  = local.bucket_arn
        Condition = local.replication_roles
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

################################################################################
# Access-log bucket (S3 server access logs of the log bucket, SSE-KMS with the log-archive
# key, whose policy lets the S3 logging service principal generate data keys)
################################################################################

resource "aws_s3_bucket" "access" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_18:This bucket is the access-log target itself.
  #checkov:skip=CKV_AWS_144:Access logs of the log archive stay in its region.
  #checkov:skip=CKV2_AWS_62:Log delivery needs no S3 event notifications.
  bucket        = local.access_bucket_name
  force_destroy = false

  tags = merge(var.tags, { "genai-lz:protected" = "log-archive" })
}

resource "aws_s3_bucket_versioning" "access" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_ownership_controls" "access" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "access" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.access[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access[0].id

  rule {
    id     = "archive-then-expire"
    status = "Enabled"

    filter {}

    transition {
      days          = var.glacier_transition_days
      storage_class = "GLACIER"
    }

    expiration {
      days = var.expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.access]
}

resource "aws_s3_bucket_policy" "access" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.access[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.access_bucket_arn, "${local.access_bucket_arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "S3ServerAccessLogs"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${local.access_bucket_arn}/s3-access/*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = var.account_id }
          ArnLike      = { "aws:SourceArn" = local.bucket_arn }
        }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.access]
}
