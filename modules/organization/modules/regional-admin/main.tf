# Runs in the management account, once per approved region (the caller passes a provider
# for the region): designates the audit account as the GuardDuty and Security Hub delegated
# administrator there. Both designations are regional.

resource "aws_guardduty_organization_admin_account" "this" {
  count = var.create && var.create_guardduty ? 1 : 0

  admin_account_id = var.admin_account_id
}

# Security Hub must be on in the management account before it can delegate.
resource "aws_securityhub_account" "management" {
  count = var.create && var.create_securityhub ? 1 : 0

  enable_default_standards  = false
  auto_enable_controls      = true
  control_finding_generator = "SECURITY_CONTROL"
}

resource "aws_securityhub_organization_admin_account" "this" {
  count = var.create && var.create_securityhub ? 1 : 0

  admin_account_id = var.admin_account_id

  depends_on = [aws_securityhub_account.management]
}
