################################################################################
# Invocation logs leave the workload account: S3 replication to the log archive
#
# Bedrock delivers invocation logs only to a bucket (or log group) of the same account and
# Region (Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3").
# The module's bucket therefore replicates every log object, as it lands, into the
# organization's log-archive bucket: same key (bedrock-invocation-logs/AWSLogs/<account>/...),
# owned by the log-archive account (access_control_translation), re-encrypted with its key,
# kept there by its Object Lock default retention. Delete markers are not replicated: deleting
# here never deletes there.
################################################################################

locals {
  replication = var.invocation_log_replication
  create_replication = (
    local.create_logging && var.create_invocation_log_replication && local.replication != null
  )

  replication_role_name   = "${var.name}-bedrock-log-replication"
  replication_bucket_arn  = local.replication == null ? null : "arn:${local.partition}:s3:::${local.replication.bucket_name}"
  replication_kms_region  = local.replication == null ? null : split(":", local.replication.kms_key_arn)[3]
  replication_source_keys = "${local.bucket_arn}/${local.s3_key_prefix}/*"
}

resource "aws_iam_role" "replication" {
  count = local.create_replication ? 1 : 0

  name        = local.replication_role_name
  description = "S3 replicates the ${var.name} Bedrock invocation logs to the log-archive account ${local.replication.account_id}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = local.bucket_arn }
      }
    }]
  })

  tags = var.tags
}

# Least privilege for one rule: read the source prefix's object versions, write replicas (never
# deletes) under the same prefix of the archive bucket, decrypt with the source key and encrypt
# with the archive key, each only through S3 and only for these buckets (with S3 Bucket Keys the
# encryption context is the bucket ARN, without them the object ARN).
data "aws_iam_policy_document" "replication" {
  count = local.create_replication ? 1 : 0

  statement {
    sid       = "ReadReplicationConfigurationOfTheSourceBucket"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid = "ReadInvocationLogVersions"
    actions = [
      "s3:GetObjectVersionForReplication",
      "s3:GetObjectVersionAcl",
      "s3:GetObjectVersionTagging",
    ]
    resources = [local.replication_source_keys]
  }

  statement {
    # ObjectOwnerOverrideToBucketOwner: access_control_translation hands the replicas to the archive account.
    sid = "ReplicateIntoTheLogArchivePrefix"
    actions = [
      "s3:ReplicateObject",
      "s3:ReplicateTags",
      "s3:ObjectOwnerOverrideToBucketOwner",
    ]
    resources = ["${local.replication_bucket_arn}/${local.s3_key_prefix}/*"]
  }

  statement {
    sid       = "DecryptSourceLogsThroughS3"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.bucket_arn, local.replication_source_keys]
    }
  }

  statement {
    sid       = "EncryptReplicasWithTheLogArchiveKey"
    actions   = ["kms:Encrypt"]
    resources = [local.replication.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.replication_kms_region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [local.replication_bucket_arn, "${local.replication_bucket_arn}/${local.s3_key_prefix}/*"]
    }
  }
}

resource "aws_iam_role_policy" "replication" {
  count = local.create_replication ? 1 : 0

  name   = "replicate-invocation-logs-to-log-archive"
  role   = aws_iam_role.replication[0].id
  policy = data.aws_iam_policy_document.replication[0].json
}

resource "aws_s3_bucket_replication_configuration" "invocation_logs" {
  count = local.create_replication ? 1 : 0

  bucket = module.invocation_log_bucket.bucket_id
  role   = aws_iam_role.replication[0].arn

  rule {
    id       = "invocation-logs-to-log-archive"
    status   = "Enabled"
    priority = 1

    filter {
      prefix = "${local.s3_key_prefix}/"
    }

    # Deleting a log here (a delete marker) never hides it in the archive.
    delete_marker_replication {
      status = "Disabled"
    }

    # Every log object is SSE-KMS encrypted (the bucket's default): replicate them, re-encrypted below.
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    destination {
      bucket        = local.replication_bucket_arn
      account       = local.replication.account_id
      storage_class = "STANDARD"

      access_control_translation {
        owner = "Destination"
      }

      encryption_configuration {
        replica_kms_key_id = local.replication.kms_key_arn
      }
    }
  }

  # Replication needs versioning on the source bucket first (the shared bucket module enables it),
  # and the role's permissions in place.
  depends_on = [
    module.invocation_log_bucket,
    aws_iam_role_policy.replication,
  ]
}
