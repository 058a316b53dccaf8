output "organization_id" {
  description = "Id of the organization (created, or organization_id when create_organization is false)."
  value       = local.create_org ? try(aws_organizations_organization.this[0].id, null) : var.organization_id
}

output "organization_arn" {
  description = "ARN of the created organization (null when create_organization is false)."
  value       = try(aws_organizations_organization.this[0].arn, null)
}

output "root_id" {
  description = "Id of the organization root."
  value       = var.create ? local.root_id : null
}

output "ou_ids" {
  description = "Map of OU key (security, infrastructure, workloads, dev, prod, sandbox) to OU id."
  value       = local.ou_ids
}

output "account_ids" {
  description = "Map of account key to member account id."
  value       = { for k, v in aws_organizations_account.this : k => v.id }
}

output "scp_ids" {
  description = "Map of SCP name (approved-regions, protect-security-services, protect-logs-and-guardrails, protect-member-detective-controls, bedrock-approved-models, require-imdsv2, deny-accelerated-compute) to policy id."
  value       = { for k, v in local.scp_documents : k => aws_organizations_policy.authorization["scp/${k}"].id }
}

output "rcp_ids" {
  description = "Map of resource control policy name (data-perimeter) to policy id."
  value       = { for k, v in local.authorization_policies : v.name => aws_organizations_policy.authorization[k].id if v.type == "RESOURCE_CONTROL_POLICY" }
}

output "ai_opt_out_policy_id" {
  description = "Id of the AI services opt-out policy (null when not created)."
  value       = try(aws_organizations_policy.ai_opt_out[0].id, null)
}

output "security_admin_account_id" {
  description = "Account id of the delegated administrator of the security services (null without delegation)."
  value       = local.security_admin_account_id
}

output "permission_set_arns" {
  description = "Map of permission set name to ARN."
  value       = { for k, v in aws_ssoadmin_permission_set.this : k => v.arn }
}

output "identity_center_instance_arn" {
  description = "ARN of the IAM Identity Center instance the permission sets live in."
  value       = local.sso_instance_arn
}

output "deployer_role_name" {
  description = "Name of the role the account baseline creates in every member account for the pipeline."
  value       = var.deployer_role_name
}

output "scp_targets" {
  description = "Map of SCP name to the targets (root or OU keys) it is attached to."
  value       = { for k, v in local.scp_documents : k => v.targets }
}

output "tag_policy_id" {
  description = "Id of the cost-allocation tag policy."
  value       = try(aws_organizations_policy.tags[0].id, null)
}
