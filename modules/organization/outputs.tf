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
  description = "Map of SCP name (approved-regions, deny-leave-organization, protect-security-services, bedrock-approved-models, require-imdsv2, deny-accelerated-compute) to policy id."
  value       = { for k, v in aws_organizations_policy.scp : k => v.id }
}

output "scp_targets" {
  description = "Map of SCP name to the targets (root or OU keys) it is attached to."
  value       = { for k, v in local.scp_documents : k => v.targets }
}

output "tag_policy_id" {
  description = "Id of the cost-allocation tag policy."
  value       = try(aws_organizations_policy.tags[0].id, null)
}
