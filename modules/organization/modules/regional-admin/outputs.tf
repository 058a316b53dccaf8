output "guardduty_admin_account_id" {
  description = "GuardDuty delegated administrator in this region (null when not designated)."
  value       = try(aws_guardduty_organization_admin_account.this[0].admin_account_id, null)
}

output "securityhub_admin_account_id" {
  description = "Security Hub delegated administrator in this region (null when not designated)."
  value       = try(aws_securityhub_organization_admin_account.this[0].admin_account_id, null)
}
