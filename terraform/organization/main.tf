# Management account: the AWS Organization, its OUs and member accounts (one JSON file per
# account under accounts/), the organization policies (SCPs, the data-perimeter RCP, the AI
# services opt-out and tag policies), IAM Identity Center permission sets, the account
# baseline StackSets (genai-lz-deployer role, AWS Config recorders), the delegation of the
# security services to the audit account in every approved region, the organization trail
# into the log archive, and the organisation-wide cost budget.

locals {
  emulator_supported = !var.local_emulator

  # Account vending: one file accounts/<key>.json per member account ({"email", "ou", "tags"}),
  # written by `make new-account` (checks/accounts.py). Read relative to the repository so the
  # offline copy of this root (build/offline-organization, same depth) finds the same files.
  account_files = fileset("${path.module}/../../terraform/organization/accounts", "*.json")
  vended_accounts = {
    for f in local.account_files : trimsuffix(f, ".json") => jsondecode(file("${path.module}/../../terraform/organization/accounts/${f}"))
  }
  accounts = merge(
    { for k, a in local.vended_accounts : k => {
      email     = a.email
      ou        = a.ou
      role_name = try(a.role_name, "OrganizationAccountAccessRole")
      tags      = try(a.tags, {})
    } },
    var.accounts,
  )

  # Offline plans (no AWS) cannot look the Identity Center instance up: they use a placeholder.
  identity_center_instance_arn = var.offline_plan && var.identity_center_instance_arn == null ? "arn:aws:sso:::instance/ssoins-0000000000000000" : var.identity_center_instance_arn

  # The organization trail needs the log-archive bucket (terraform/log-archive, applied after
  # the first organization apply): it is planned once its name and key are given.
  create_organization_trail = var.log_archive_bucket_name != null && local.emulator_supported
}

module "organization" {
  source = "../../modules/organization"

  create_organization = var.create_organization
  root_id             = var.root_id
  accounts            = local.accounts
  approved_regions    = var.approved_regions
  approved_model_ids  = var.approved_model_ids
  required_tags       = var.required_tags
  create_scps         = true
  create_rcps         = true
  tags                = var.tags

  break_glass_role_arn_patterns         = var.break_glass_role_arn_patterns
  bedrock_inference_profile_geographies = var.bedrock_inference_profile_geographies
  tag_policy_allowed_values             = var.tag_policy_allowed_values
  tag_policy_enforced_for               = var.tag_policy_enforced_for

  security_admin_account = var.security_admin_account
  # The emulator only knows some delegated-administrator services (not config.amazonaws.com,
  # which the audit account's organization aggregator needs on AWS).
  delegated_admin_service_principals = local.emulator_supported ? [
    "access-analyzer.amazonaws.com", "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
  ] : ["access-analyzer.amazonaws.com", "config-multiaccountsetup.amazonaws.com"]

  # The emulator lacks sso:ListTagsForResource, which the provider calls on every read of a
  # permission set: Identity Center is left out there.
  create_identity_center       = var.create_identity_center && local.emulator_supported
  identity_center_instance_arn = local.identity_center_instance_arn
  identity_center_assignments  = var.identity_center_assignments

  # The emulator does not run service-managed StackSets: the account baseline is left out there.
  create_account_baseline = local.emulator_supported
  pipeline_role_arn       = var.pipeline_role_arn
  log_archive_bucket_name = var.log_archive_bucket_name
  log_archive_kms_key_arn = var.log_archive_kms_key_arn
}

# GuardDuty and Security Hub delegation is regional: one module call per approved region
# (provider aliases in providers.tf; approved_regions holds at most 3, validated).
module "regional_admin_1" {
  source    = "../../modules/organization/modules/regional-admin"
  providers = { aws = aws.region_1 }

  create           = local.emulator_supported && var.security_admin_account != null
  admin_account_id = module.organization.security_admin_account_id
}

module "regional_admin_2" {
  source    = "../../modules/organization/modules/regional-admin"
  providers = { aws = aws.region_2 }

  create           = local.emulator_supported && var.security_admin_account != null && length(var.approved_regions) > 1
  admin_account_id = module.organization.security_admin_account_id
}

module "regional_admin_3" {
  source    = "../../modules/organization/modules/regional-admin"
  providers = { aws = aws.region_3 }

  create           = local.emulator_supported && var.security_admin_account != null && length(var.approved_regions) > 2
  admin_account_id = module.organization.security_admin_account_id
}

# The organization trail: management and data events (Bedrock included) of every account,
# delivered to the log-archive bucket (Object Lock) and encrypted with the log-archive key.
module "organization_trail" {
  source = "../../modules/security-baseline"

  create                           = local.create_organization_trail
  name                             = "${var.name}-org"
  account_id                       = var.management_account_id
  create_kms_key                   = false
  kms_key_arn                      = var.log_archive_kms_key_arn
  create_cloudtrail                = true
  cloudtrail_is_organization_trail = true
  cloudtrail_s3_bucket_name        = var.log_archive_bucket_name
  cloudtrail_cloudwatch_logs       = false
  cloudtrail_bedrock_data_events   = true
  create_guardduty                 = false
  create_config                    = false
  create_access_analyzer           = false
  create_securityhub               = false
  create_password_policy           = false

  create_s3_account_public_access_block = false
  enable_ebs_encryption_by_default      = false
  tags                                  = var.tags
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
