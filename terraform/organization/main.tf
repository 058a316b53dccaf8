# Management account: the AWS Organization, its OUs and member accounts, the SCPs that keep
# GenAI workloads in approved regions and on approved Bedrock models, the tag policy, and
# the organisation-wide cost budget.

locals {
  emulator_supported = !var.local_emulator
}

module "organization" {
  source = "../../modules/organization"

  create_organization = var.create_organization
  root_id             = var.root_id
  accounts            = var.accounts
  approved_regions    = var.approved_regions
  approved_model_ids  = var.approved_model_ids
  required_tags       = var.required_tags
  create_scps         = true
  tags                = var.tags
}

module "budgets" {
  source = "../../modules/budgets"

  name                     = "${var.name}-organization"
  account_id               = var.management_account_id
  limit_amount             = var.monthly_budget_usd
  thresholds               = var.budget_thresholds
  notification_emails      = var.budget_notification_emails
  create_sns_topic         = true
  create_budget            = local.emulator_supported
  create_budget_action     = false
  create_anomaly_detection = local.emulator_supported
  anomaly_threshold_amount = var.anomaly_threshold_usd
  tags                     = var.tags
}
