# Audit (security tooling) account, Security OU: the delegated administrator of the
# organization's detective controls. In every approved region: GuardDuty with organization
# auto-enable of all members and its protection plans, Security Hub with organization
# auto-enable and the default standards, an ORGANIZATION IAM Access Analyzer; in the home
# region: the organization AWS Config aggregator (all regions). The management account
# designates this account (terraform/organization) before this root is applied.

locals {
  # Services the local emulator cannot create (README "Emulator limitations"): they stay in
  # the checked plans and are only switched off for the emulator apply (local_emulator).
  emulator_supported = !var.local_emulator
}

module "security_services_1" {
  source    = "../../modules/security-baseline/modules/org-security-services"
  providers = { aws = aws.region_1 }

  create                   = true
  name                     = var.name
  account_id               = var.account_id
  guardduty_features       = var.guardduty_features
  create_guardduty         = local.emulator_supported
  create_securityhub       = local.emulator_supported
  create_access_analyzer   = local.emulator_supported
  create_config_aggregator = true
  tags                     = var.tags
}

module "security_services_2" {
  source    = "../../modules/security-baseline/modules/org-security-services"
  providers = { aws = aws.region_2 }

  create                   = length(var.approved_regions) > 1
  name                     = var.name
  account_id               = var.account_id
  guardduty_features       = var.guardduty_features
  create_guardduty         = local.emulator_supported
  create_securityhub       = local.emulator_supported
  create_access_analyzer   = local.emulator_supported
  create_config_aggregator = false
  tags                     = var.tags
}

module "security_services_3" {
  source    = "../../modules/security-baseline/modules/org-security-services"
  providers = { aws = aws.region_3 }

  create                   = length(var.approved_regions) > 2
  name                     = var.name
  account_id               = var.account_id
  guardduty_features       = var.guardduty_features
  create_guardduty         = local.emulator_supported
  create_securityhub       = local.emulator_supported
  create_access_analyzer   = local.emulator_supported
  create_config_aggregator = false
  tags                     = var.tags
}
