output "budget_name" {
  description = "Name of the monthly cost budget."
  value       = try(aws_budgets_budget.this[0].name, null)
}

output "budget_id" {
  description = "Id of the budget (account_id:budget_name)."
  value       = try(aws_budgets_budget.this[0].id, null)
}

output "budget_arn" {
  description = "ARN of the budget."
  value       = try(aws_budgets_budget.this[0].arn, null)
}

output "budget_action_id" {
  description = "Id of the budget action that applies the deny policy (null unless create_budget_action)."
  value       = try(aws_budgets_budget_action.this[0].action_id, null)
}

output "deny_policy_arn" {
  description = "ARN of the customer managed IAM policy denying accelerated capacity (null unless create_budget_action)."
  value       = try(aws_iam_policy.deny_accelerated[0].arn, null)
}

output "budget_action_role_arn" {
  description = "ARN of the role AWS Budgets assumes to run the action."
  value       = try(aws_iam_role.budget_action[0].arn, null)
}

output "anomaly_monitor_arn" {
  description = "ARN of the Cost Anomaly Detection monitor (DIMENSIONAL / SERVICE)."
  value       = try(aws_ce_anomaly_monitor.this[0].arn, null)
}

output "anomaly_subscription_arns" {
  description = "Map of anomaly subscription key (sns, email) to ARN."
  value       = { for k, v in aws_ce_anomaly_subscription.this : k => v.arn }
}

output "sns_topic_arn" {
  description = "ARN of the SNS topic the budget notifies (created or given; null if none)."
  # the topic referenced directly (not through local.sns_topic_arns) so that a plan shows which
  # resource the alarms and notifications that use this output publish to
  value = !var.create ? null : length(aws_sns_topic.this) > 0 ? aws_sns_topic.this[0].arn : try(var.sns_topic_arns[0], null)
}

output "sns_kms_key_arn" {
  description = "ARN of the KMS key encrypting the module-created SNS topic."
  value       = local.create_topic ? local.sns_kms_key : null
}
