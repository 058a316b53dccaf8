################################################################################
# Delegated administration of the organization-wide security services to the audit
# account. GuardDuty and Security Hub are regional and designated through their own APIs
# (modules/organization/modules/regional-admin, once per approved region); AWS Config and IAM
# Access Analyzer are registered with Organizations here.
################################################################################

locals {
  security_admin_account_id = var.security_admin_account == null ? null : (
    can(regex("^[0-9]{12}$", var.security_admin_account)) ? var.security_admin_account : aws_organizations_account.this[var.security_admin_account].id
  )
  delegated_services = var.create && var.security_admin_account != null ? toset(var.delegated_admin_service_principals) : toset([])
}

resource "aws_organizations_delegated_administrator" "this" {
  for_each = local.delegated_services

  account_id        = local.security_admin_account_id
  service_principal = each.value

  depends_on = [aws_organizations_organization.this]
}
