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
  # Where the log bucket's server access logs go in the access bucket: the grant below names
  # exactly this prefix (the AWS example: <destination bucket>/<logging prefix>*).
  access_log_prefix = "s3-access/${local.bucket_name}/"
  trail_arn         = "arn:${local.partition}:cloudtrail:${var.trail_home_region}:${var.management_account_id}:trail/${var.organization_trail_name}"

  # Nobody but break-glass deletes log objects or versions (Object Lock stops it too while the
  # retention runs) or the key: the statements carry this condition.
  not_break_glass = { ArnNotLike = { "aws:PrincipalARN" = var.break_glass_role_arn_patterns } }
  protected_tags  = merge(var.tags, { "genai-lz:protected" = "log-archive" })

  # Only the invocation-log replication roles of the organization's accounts (modules/bedrock names them
  # <name>-bedrock-log-replication) write replicas; they can neither delete nor replicate deletions.
  replication_roles = {
    StringEquals = { "aws:PrincipalOrgID" = var.organization_id }
    ArnLike      = { "aws:PrincipalARN" = "arn:${local.partition}:iam::*:role/${var.replication_role_name_pattern}" }
  }

  # The policies' statements after the account root's (key) and DenyInsecureTransport (buckets),
  # which modules/_shared puts first; additional_* are layered in after them.
  kms_policy_statements = concat([
    {
      Sid       = "DenyKeyDestructionButBreakGlass"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion", "kms:UntagResource"]
      Resource  = "*"
      Condition = local.not_break_glass
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
  ], var.additional_kms_policy_statements)

  log_bucket_policy_statements = concat([
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
  ], var.additional_bucket_policy_statements)

  access_bucket_policy_statements = [
    {
      Sid       = "S3ServerAccessLogs"
      Effect    = "Allow"
      Principal = { Service = "logging.s3.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.access_bucket_arn}/${local.access_log_prefix}*"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = local.bucket_arn }
      }
    },
  ]
}

################################################################################
# KMS key: CloudTrail and AWS Config of the organization encrypt with it; nobody in a member
# account (nor here, but break-glass) can disable or delete it
################################################################################

module "kms_key" {
  source = "../../../_shared/kms-key"

  create                  = var.create
  description             = "genai-lz log archive: organization trail, AWS Config, Bedrock invocation logs"
  alias                   = var.kms_alias_name
  account_id              = var.account_id
  partition               = local.partition
  administrator_sid       = "AccountAdministration"
  deletion_window_in_days = 30
  cloudtrail_trail_arn    = local.trail_arn
  policy_statements       = local.kms_policy_statements

  tags = local.protected_tags
}

################################################################################
# Log bucket with Object Lock. The log archive is the replication destination: a second copy in
# another region is the operator's choice (Object Lock already protects it).
################################################################################

module "log_bucket" {
  source = "../../../_shared/s3-bucket"

  create           = var.create
  bucket           = local.bucket_name
  bucket_name_hint = "shorten var.bucket_prefix."
  partition        = local.partition
  kms_key_arn      = module.kms_key.key_arn
  object_lock      = { mode = "GOVERNANCE", days = var.object_lock_retention_days }
  lifecycle_rule = {
    id = "archive-then-expire"
    transitions = [
      { days = var.glacier_transition_days, storage_class = "GLACIER" },
      { days = var.deep_archive_transition_days, storage_class = "DEEP_ARCHIVE" },
    ]
    expiration_days            = var.expiration_days
    noncurrent_expiration_days = var.expiration_days
  }
  access_logging    = var.create_access_logging ? { target_bucket = module.access_bucket.bucket_id, target_prefix = local.access_log_prefix } : null
  policy_statements = local.log_bucket_policy_statements

  tags = local.protected_tags
}

################################################################################
# Access-log bucket (S3 server access logs of the log bucket, SSE-KMS with the log-archive
# key, whose policy lets the S3 logging service principal generate data keys); the access logs
# of the log archive stay in its region
################################################################################

module "access_bucket" {
  source = "../../../_shared/s3-bucket"

  create           = var.create
  bucket           = local.access_bucket_name
  bucket_name_hint = "shorten var.bucket_prefix."
  partition        = local.partition
  kms_key_arn      = module.kms_key.key_arn
  lifecycle_rule = {
    id                         = "archive-then-expire"
    transition_days            = var.glacier_transition_days
    expiration_days            = var.expiration_days
    noncurrent_expiration_days = 30
  }
  policy_statements = local.access_bucket_policy_statements

  tags = local.protected_tags
}
