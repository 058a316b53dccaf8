output "organization_id" {
  description = "Id of the AWS Organization."
  value       = module.organization.organization_id
}

output "ou_ids" {
  description = "Organizational unit ids by OU name."
  value       = module.organization.ou_ids
}

output "account_ids" {
  description = "Member account ids by account key (the workload tfvars take theirs from here)."
  value       = module.organization.account_ids
}

output "scp_ids" {
  description = "Service control policy ids by name."
  value       = module.organization.scp_ids
}

output "tag_policy_id" {
  description = "Id of the tag policy that enforces the required tags."
  value       = module.organization.tag_policy_id
}

output "budget_name" {
  description = "Name of the organisation-wide monthly budget (null when left out for the local emulator)."
  value       = module.budgets.budget_name
}
