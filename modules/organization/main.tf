data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  create_org = var.create && var.create_organization

  root_id = local.create_org ? try(aws_organizations_organization.this[0].roots[0].id, null) : var.root_id

  top_level_ous = {
    security       = "Security"
    infrastructure = "Infrastructure"
    workloads      = "Workloads"
    sandbox        = "Sandbox"
  }
  workload_ous = {
    dev  = "Dev"
    prod = "Prod"
  }
  ou_ids = merge(
    { for k, v in aws_organizations_organizational_unit.top : k => v.id },
    { for k, v in aws_organizations_organizational_unit.workloads : k => v.id },
  )

}

################################################################################
# Organization
################################################################################

resource "aws_organizations_organization" "this" {
  count = local.create_org ? 1 : 0

  feature_set                   = "ALL"
  aws_service_access_principals = var.aws_service_access_principals
  enabled_policy_types          = var.enabled_policy_types
}

################################################################################
# Organizational units: Security, Infrastructure, Workloads (Dev, Prod), Sandbox
################################################################################

resource "aws_organizations_organizational_unit" "top" {
  for_each = var.create ? local.top_level_ous : {}

  name      = each.value
  parent_id = local.root_id

  tags = var.tags
}

resource "aws_organizations_organizational_unit" "workloads" {
  for_each = var.create ? local.workload_ous : {}

  name      = each.value
  parent_id = aws_organizations_organizational_unit.top["workloads"].id

  tags = var.tags
}

################################################################################
# Member accounts
################################################################################

resource "aws_organizations_account" "this" {
  for_each = var.create ? var.accounts : {}

  name                       = coalesce(each.value.name, each.key)
  email                      = each.value.email
  parent_id                  = local.ou_ids[each.value.ou]
  role_name                  = each.value.role_name
  close_on_deletion          = each.value.close_on_deletion
  iam_user_access_to_billing = each.value.iam_user_access_to_billing

  tags = merge(var.tags, each.value.tags)

  lifecycle {
    # The role name is only used at creation and cannot be read back from AWS.
    ignore_changes = [role_name, iam_user_access_to_billing]
  }
}

