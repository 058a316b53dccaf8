# Log-archive account (Security OU): the organization's central, tamper-resistant log store.
# The organization trail (management account), the AWS Config recorders of every member
# account and the replicated Bedrock invocation logs deliver here; Object Lock (GOVERNANCE)
# keeps every object for object_lock_retention_days, and the SCPs deny everyone but the
# break-glass role the governance bypass and the deletion of the buckets and key.

module "log_archive" {
  source = "../../modules/security-baseline/modules/log-archive"

  account_id                    = var.account_id
  management_account_id         = var.management_account_id
  organization_id               = var.organization_id
  organization_trail_name       = var.organization_trail_name
  trail_home_region             = var.region
  object_lock_retention_days    = var.object_lock_retention_days
  glacier_transition_days       = var.glacier_transition_days
  deep_archive_transition_days  = var.deep_archive_transition_days
  expiration_days               = var.expiration_days
  break_glass_role_arn_patterns = var.break_glass_role_arn_patterns
  create_access_logging         = !var.local_emulator
  tags                          = var.tags
}
