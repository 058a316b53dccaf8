# A private S3 bucket hardened the same way everywhere: owner-enforced object ownership (no
# ACLs), every public access block on, versioning, SSE-KMS with a bucket key, one lifecycle
# rule, optional Object Lock default retention, optional server access logging, and a bucket
# policy that denies plain HTTP before the caller's own statements.

locals {
  bucket_arn = "arn:${var.partition}:s3:::${var.bucket}"
  lifecycle  = var.lifecycle_rule
  # transition_days is the one-transition shorthand; transitions lists several (storage classes
  # of their own). The variable's validation lets a caller set only one of the two.
  transitions = concat(
    local.lifecycle.transition_days == null ? [] : [{ days = local.lifecycle.transition_days, storage_class = local.lifecycle.transition_storage_class }],
    local.lifecycle.transitions,
  )
  # access_logging may name a bucket known only after apply (another module's output): the
  # object itself is known, so it decides the logging resource's count. access_log_bucket is the
  # shorthand for a bucket whose name is known.
  access_logging = var.access_logging != null ? var.access_logging : (
    var.access_log_bucket == null ? null : { target_bucket = var.access_log_bucket, target_prefix = null }
  )

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ], var.policy_statements)
  })
}

resource "aws_s3_bucket" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV_AWS_144:Cross-region replication is a per-organisation choice, made where the data is archived, not in this building block.
  #checkov:skip=CKV2_AWS_62:Event notifications have no consumer here; callers add them where one exists.
  #checkov:skip=CKV_AWS_18:Access logging is on when access_log_bucket is set: the log bucket has to exist first.
  bucket        = var.bucket
  force_destroy = var.force_destroy
  # null (not false) without Object Lock: the attribute stays unset as before it existed here
  object_lock_enabled = var.object_lock == null ? null : true

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.bucket) <= 63
      error_message = "The bucket name ${var.bucket} is longer than 63 characters: ${var.bucket_name_hint}"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    id     = local.lifecycle.id
    status = "Enabled"

    filter {}

    dynamic "transition" {
      for_each = local.transitions
      content {
        days          = transition.value.days
        storage_class = transition.value.storage_class
      }
    }

    dynamic "expiration" {
      for_each = local.lifecycle.expiration_days == null ? [] : [local.lifecycle.expiration_days]
      content {
        days = expiration.value
      }
    }

    dynamic "noncurrent_version_transition" {
      for_each = local.lifecycle.noncurrent_transition_days == null ? [] : [local.lifecycle.noncurrent_transition_days]
      content {
        noncurrent_days = noncurrent_version_transition.value
        storage_class   = local.lifecycle.transition_storage_class
      }
    }

    dynamic "noncurrent_version_expiration" {
      for_each = local.lifecycle.noncurrent_expiration_days == null ? [] : [local.lifecycle.noncurrent_expiration_days]
      content {
        noncurrent_days = noncurrent_version_expiration.value
      }
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = local.lifecycle.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_object_lock_configuration" "this" {
  count = var.create && var.object_lock != null ? 1 : 0

  bucket = aws_s3_bucket.this[0].id

  rule {
    default_retention {
      mode = var.object_lock.mode
      days = var.object_lock.days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count = var.create && local.access_logging != null ? 1 : 0

  bucket        = aws_s3_bucket.this[0].id
  target_bucket = local.access_logging.target_bucket
  target_prefix = coalesce(local.access_logging.target_prefix, "s3-access/${var.bucket}/")
}

resource "aws_s3_bucket_policy" "this" {
  count = var.create && var.create_bucket_policy ? 1 : 0

  bucket = aws_s3_bucket.this[0].id
  policy = local.policy

  depends_on = [aws_s3_bucket_public_access_block.this]
}
