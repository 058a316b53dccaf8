# Runs in the audit account (the delegated administrator), once per approved region (the
# caller passes the region's provider): GuardDuty with organization auto-enable of every
# member and its protection plans, Security Hub with organization auto-enable and the default
# standards, an organization IAM Access Analyzer, and (home region only) the organization
# AWS Config aggregator.

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  create_guardduty   = var.create && var.create_guardduty
  create_securityhub = var.create && var.create_securityhub
  create_aggregator  = var.create && var.create_config_aggregator
}

################################################################################
# GuardDuty: the administrator's detector and the organization configuration
################################################################################

resource "aws_guardduty_detector" "this" {
  count = local.create_guardduty ? 1 : 0

  enable                       = true
  finding_publishing_frequency = var.guardduty_finding_publishing_frequency

  tags = var.tags
}

resource "aws_guardduty_organization_configuration" "this" {
  count = local.create_guardduty ? 1 : 0

  detector_id                      = aws_guardduty_detector.this[0].id
  auto_enable_organization_members = "ALL"
}

resource "aws_guardduty_organization_configuration_feature" "this" {
  for_each = local.create_guardduty ? var.guardduty_features : {}

  detector_id = aws_guardduty_detector.this[0].id
  name        = each.key
  auto_enable = "ALL"

  dynamic "additional_configuration" {
    for_each = each.value

    content {
      name        = additional_configuration.value
      auto_enable = "ALL"
    }
  }

  depends_on = [aws_guardduty_organization_configuration.this]
}

################################################################################
# Security Hub: the administrator's hub and the organization configuration
################################################################################

resource "aws_securityhub_account" "this" {
  count = local.create_securityhub ? 1 : 0

  enable_default_standards  = true
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
}

resource "aws_securityhub_organization_configuration" "this" {
  count = local.create_securityhub ? 1 : 0

  auto_enable           = true
  auto_enable_standards = "DEFAULT"

  organization_configuration {
    configuration_type = "LOCAL"
  }

  depends_on = [aws_securityhub_account.this]
}

################################################################################
# IAM Access Analyzer: external access to any resource of the organization
################################################################################

resource "aws_accessanalyzer_analyzer" "this" {
  count = var.create && var.create_access_analyzer ? 1 : 0

  analyzer_name = "${var.name}-organization-${local.region}"
  type          = "ORGANIZATION"

  tags = var.tags
}

################################################################################
# AWS Config organization aggregator (one, all regions)
################################################################################

resource "aws_iam_role" "aggregator" {
  count = local.create_aggregator ? 1 : 0

  name        = "${var.name}-config-aggregator"
  description = "AWS Config organization aggregator of ${var.name}"
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

resource "aws_iam_role_policy_attachment" "aggregator" {
  count = local.create_aggregator ? 1 : 0

  role       = aws_iam_role.aggregator[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
}

resource "aws_config_configuration_aggregator" "this" {
  count = local.create_aggregator ? 1 : 0

  name = "${var.name}-organization"

  organization_aggregation_source {
    all_regions = true
    role_arn    = aws_iam_role.aggregator[0].arn
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.aggregator]
}
