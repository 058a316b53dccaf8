data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  dns_suffix = data.aws_partition.current.dns_suffix

  # The key ARN is written out where it is used (`var.kms_key_arn != null ? var.kms_key_arn :
  # module.kms_key.key_arn`), not passed through a local: plan JSON records no local values,
  # so a policy engine could not tell which key an attribute known only after apply refers to.
  create_kms_key = var.create && var.create_kms_key && var.kms_key_arn == null && (var.create_cloudtrail || var.create_config)

  create_trail  = var.create && var.create_cloudtrail
  create_config = var.create && var.create_config
  # An organization trail delivers to the log-archive account's bucket (cloudtrail_s3_bucket_name):
  # the module then creates no bucket for the trail.
  external_trail_bucket = var.cloudtrail_s3_bucket_name != null
  local_trail_bucket    = local.create_trail && !local.external_trail_bucket
  create_bucket         = local.local_trail_bucket || local.create_config
  create_cwl            = local.create_trail && var.cloudtrail_cloudwatch_logs

  bucket_name          = "${var.name}-audit-${var.account_id}"
  bucket_arn           = "arn:${local.partition}:s3:::${local.bucket_name}"
  trail_name           = "${var.name}-trail"
  trail_arn            = "arn:${local.partition}:cloudtrail:${local.region}:${var.account_id}:trail/${local.trail_name}"
  trail_prefix         = "cloudtrail"
  config_prefix        = "config"
  trail_log_group_name = "/aws/cloudtrail/${local.trail_name}"
  trail_log_group_arn  = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.trail_log_group_name}"

  # Management events are always logged; Bedrock data events add one selector per resource type
  # (a data event selector takes exactly one resources.type value).
  event_selectors = concat(
    [{ name = "ManagementEvents", category = "Management", resource_type = null }],
    [for t in(var.cloudtrail_bedrock_data_events ? var.bedrock_data_event_resource_types : []) : {
      name = "BedrockDataEvents-${replace(t, "AWS::Bedrock::", "")}", category = "Data", resource_type = t
    }],
  )

  # Key policy statements after the account root's (modules/_shared/kms-key puts that first).
  kms_policy_statements = [
    {
      Sid       = "CloudTrailEncryptLogs"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "kms:GenerateDataKey*"
      Resource  = "*"
      Condition = {
        StringEquals = { "aws:SourceArn" = local.trail_arn }
        StringLike   = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:${local.partition}:cloudtrail:*:${var.account_id}:trail/*" }
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
      Sid       = "CloudWatchLogsTrailLogGroup"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.${local.dns_suffix}" }
      Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      Resource  = "*"
      Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.trail_log_group_arn } }
    },
    {
      Sid       = "ConfigDelivery"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    },
  ]

  # Bucket policy statements after DenyInsecureTransport (modules/_shared/s3-bucket puts that
  # first); a producer's statements are present only when it is enabled.
  bucket_statement_enabled = {
    CloudTrailAclCheck = local.local_trail_bucket
    CloudTrailWrite    = local.local_trail_bucket
    ConfigAclCheck     = local.create_config
    ConfigWrite        = local.create_config
  }
  bucket_policy_statements = [for st in [
    {
      Sid       = "CloudTrailAclCheck"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:GetBucketAcl"
      Resource  = local.bucket_arn
      Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
    },
    {
      Sid       = "CloudTrailWrite"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.bucket_arn}/${local.trail_prefix}/AWSLogs/${var.account_id}/*"
      Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceArn" = local.trail_arn } }
    },
    {
      Sid       = "ConfigAclCheck"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
      Resource  = local.bucket_arn
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    },
    {
      Sid       = "ConfigWrite"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.bucket_arn}/${local.config_prefix}/AWSLogs/${var.account_id}/Config/*"
      Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "aws:SourceAccount" = var.account_id } }
    },
  ] : st if local.bucket_statement_enabled[st.Sid]]
}

################################################################################
# KMS key
################################################################################

module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_kms_key
  description             = "${var.name}: CloudTrail, audit bucket, AWS Config delivery and audit log group"
  alias                   = "${var.name}-audit"
  account_id              = var.account_id
  partition               = local.partition
  administrator_sid       = "AccountAdministration"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_statements       = local.kms_policy_statements

  tags = var.tags
}

################################################################################
# Audit bucket (CloudTrail + AWS Config)
################################################################################

# The terminal audit-log bucket: logging its access to another bucket would need a further
# bucket, and API access to it is already recorded by the trail. Cross-region replication is
# done at organization level into the log-archive account, not per workload account.
module "audit_bucket" {
  source = "../_shared/s3-bucket"

  create           = local.create_bucket
  bucket           = local.bucket_name
  bucket_name_hint = "shorten var.name."
  partition        = local.partition
  force_destroy    = var.s3_bucket_force_destroy
  kms_key_arn      = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
  lifecycle_rule = {
    id                         = "archive-then-expire"
    transition_days            = var.trail_log_transition_days
    expiration_days            = var.trail_log_expiration_days
    noncurrent_transition_days = var.trail_log_transition_days
    noncurrent_expiration_days = var.trail_log_expiration_days
  }
  policy_statements = local.bucket_policy_statements

  tags = var.tags
}

################################################################################
# CloudTrail
################################################################################

resource "aws_cloudwatch_log_group" "trail" {
  count = local.create_cwl ? 1 : 0

  name              = local.trail_log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn

  tags = var.tags
}

resource "aws_iam_role" "trail" {
  count = local.create_cwl ? 1 : 0

  name        = "${var.name}-cloudtrail-logs"
  description = "CloudTrail delivery of ${local.trail_name} to CloudWatch Logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudTrail"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceArn" = local.trail_arn } }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "trail" {
  count = local.create_cwl ? 1 : 0

  name = "deliver-to-log-group"
  role = aws_iam_role.trail[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteTrailLogStreams"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${local.trail_log_group_arn}:log-stream:*"
    }]
  })
}

resource "aws_cloudtrail" "this" {
  count = local.create_trail ? 1 : 0

  #checkov:skip=CKV_AWS_252:No SNS notification per log file; alerting is done from the CloudWatch Logs group.
  name                          = local.trail_name
  s3_bucket_name                = local.external_trail_bucket ? var.cloudtrail_s3_bucket_name : module.audit_bucket.bucket_id
  s3_key_prefix                 = local.external_trail_bucket ? null : local.trail_prefix
  is_organization_trail         = var.cloudtrail_is_organization_trail
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  enable_logging                = true
  kms_key_id                    = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
  cloud_watch_logs_group_arn    = local.create_cwl ? "${aws_cloudwatch_log_group.trail[0].arn}:*" : null
  cloud_watch_logs_role_arn     = local.create_cwl ? aws_iam_role.trail[0].arn : null

  dynamic "advanced_event_selector" {
    for_each = local.event_selectors

    content {
      name = advanced_event_selector.value.name

      field_selector {
        field  = "eventCategory"
        equals = [advanced_event_selector.value.category]
      }

      dynamic "field_selector" {
        for_each = advanced_event_selector.value.resource_type == null ? [] : [advanced_event_selector.value.resource_type]

        content {
          field  = "resources.type"
          equals = [field_selector.value]
        }
      }
    }
  }

  tags = var.tags

  depends_on = [module.audit_bucket, aws_iam_role_policy.trail]
}

################################################################################
# GuardDuty
################################################################################

resource "aws_guardduty_detector" "this" {
  count = var.create && var.create_guardduty ? 1 : 0

  #checkov:skip=CKV2_AWS_3:Per-account detector; organization-wide auto-enable is configured by the GuardDuty delegated administrator, not in a workload account.
  enable                       = true
  finding_publishing_frequency = var.guardduty_finding_publishing_frequency

  tags = var.tags
}

resource "aws_guardduty_detector_feature" "this" {
  for_each = var.create && var.create_guardduty && var.create_guardduty_features ? var.guardduty_features : {}

  detector_id = aws_guardduty_detector.this[0].id
  name        = each.key
  status      = "ENABLED"

  dynamic "additional_configuration" {
    for_each = each.value

    content {
      name   = additional_configuration.value
      status = "ENABLED"
    }
  }
}

################################################################################
# AWS Config
################################################################################

resource "aws_iam_role" "config" {
  count = local.create_config ? 1 : 0

  name        = "${var.name}-config"
  description = "AWS Config recorder and delivery channel of ${var.name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AWSConfig"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "config" {
  count = local.create_config ? 1 : 0

  role       = aws_iam_role.config[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

# Built with aws_iam_policy_document: the key ARN is known only after apply, and the
# document keeps every other part of the policy (and the key reference) readable in the plan.
data "aws_iam_policy_document" "config_delivery" {
  count = local.create_config ? 1 : 0

  statement {
    sid       = "WriteConfigSnapshots"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/${local.config_prefix}/AWSLogs/${var.account_id}/Config/*"]

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }

  statement {
    sid       = "CheckBucketAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "EncryptSnapshots"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]
  }
}

resource "aws_iam_role_policy" "config_delivery" {
  count = local.create_config ? 1 : 0

  name   = "deliver-to-audit-bucket"
  role   = aws_iam_role.config[0].id
  policy = data.aws_iam_policy_document.config_delivery[0].json
}

resource "aws_config_configuration_recorder" "this" {
  count = local.create_config ? 1 : 0

  name     = "${var.name}-recorder"
  role_arn = aws_iam_role.config[0].arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = var.config_include_global_resource_types
  }

  recording_mode {
    recording_frequency = "CONTINUOUS"
  }

  depends_on = [aws_iam_role_policy_attachment.config]
}

resource "aws_config_delivery_channel" "this" {
  count = local.create_config ? 1 : 0

  name           = "${var.name}-delivery"
  s3_bucket_name = module.audit_bucket.bucket_id
  s3_key_prefix  = local.config_prefix
  s3_kms_key_arn = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn

  snapshot_delivery_properties {
    delivery_frequency = var.config_snapshot_delivery_frequency
  }

  depends_on = [aws_config_configuration_recorder.this, module.audit_bucket, aws_iam_role_policy.config_delivery]
}

resource "aws_config_configuration_recorder_status" "this" {
  count = local.create_config ? 1 : 0

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}

################################################################################
# IAM Access Analyzer, Security Hub
################################################################################

resource "aws_accessanalyzer_analyzer" "this" {
  count = var.create && var.create_access_analyzer ? 1 : 0

  analyzer_name = "${var.name}-account"
  type          = "ACCOUNT"

  tags = var.tags
}

resource "aws_securityhub_account" "this" {
  count = var.create && var.create_securityhub ? 1 : 0

  enable_default_standards  = true
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
}

################################################################################
# Account-level guardrails
################################################################################

resource "aws_iam_account_password_policy" "this" {
  count = var.create && var.create_password_policy ? 1 : 0

  minimum_password_length        = 14
  require_lowercase_characters   = true
  require_uppercase_characters   = true
  require_numbers                = true
  require_symbols                = true
  allow_users_to_change_password = true
  password_reuse_prevention      = 24
  max_password_age               = 90
}

resource "aws_s3_account_public_access_block" "this" {
  count = var.create && var.create_s3_account_public_access_block ? 1 : 0

  account_id              = var.account_id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_encryption_by_default" "this" {
  count = var.create && var.enable_ebs_encryption_by_default ? 1 : 0

  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  count = var.create && var.enable_ebs_encryption_by_default && var.ebs_default_kms_key_arn != null ? 1 : 0

  key_arn = var.ebs_default_kms_key_arn
}
