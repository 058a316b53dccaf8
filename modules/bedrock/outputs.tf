output "invoke_role_arn" {
  description = "ARN of the least-privilege role that may invoke the approved models (and apply the guardrail)."
  value       = try(aws_iam_role.invoke[0].arn, null)
}

output "invoke_role_name" {
  description = "Name of the invoke role."
  value       = try(aws_iam_role.invoke[0].name, null)
}

output "invoke_policy_arn" {
  description = "ARN of the managed policy with the model invoke permissions (through the guardrail when require_guardrail)."
  value       = try(aws_iam_policy.invoke[0].arn, null)
}

output "invoke_policy_arns" {
  description = "ARNs of every managed policy of the invoke role: models, destination-Region models of the inference profiles, guardrail use. Attach all of them to other roles that need the same access."
  value       = concat(aws_iam_policy.invoke[*].arn, aws_iam_policy.invoke_through_profiles[*].arn, aws_iam_policy.guardrail_use[*].arn)
}

output "guardrail_id" {
  description = "ID of the Bedrock guardrail (null unless create_guardrail)."
  value       = try(aws_bedrock_guardrail.this[0].guardrail_id, null)
}

output "guardrail_arn" {
  description = "ARN of the Bedrock guardrail (null unless create_guardrail)."
  value       = try(aws_bedrock_guardrail.this[0].guardrail_arn, null)
}

output "guardrail_version" {
  description = "Published guardrail version number to pin in applications (null unless create_guardrail)."
  value       = try(aws_bedrock_guardrail_version.this[0].version, null)
}

output "invocation_log_bucket" {
  description = "Name of the S3 bucket receiving the model invocation logs (null unless create_invocation_logging)."
  value       = module.invocation_log_bucket.bucket_id
}

output "invocation_log_replication_role_arn" {
  description = "ARN of the role S3 replicates the invocation logs to the log archive with (null unless invocation_log_replication is set). Its name ends in -bedrock-log-replication: the log-archive bucket and key policies admit roles of the organization by that name."
  value       = try(aws_iam_role.replication[0].arn, null)
}

output "invocation_log_group_name" {
  description = "Name of the CloudWatch log group receiving the model invocation logs (null unless create_invocation_logging)."
  value       = try(aws_cloudwatch_log_group.invocation_logs[0].name, null)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the invocation logs and the guardrail (created or given)."
  value       = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
}

output "allowed_model_arns" {
  description = "Every Region-scoped ARN the invoke role may invoke: foundation models of allowed_model_ids in this Region, the allowed inference profiles, application inference profiles and the foundation models in the profiles' destination Regions (feed them to the network module's bedrock_model_arns)."
  value       = concat(local.invokable_arns, [for a in local.profile_destination_model_arns : a if !startswith(a, "arn:${local.partition}:bedrock:::")])
}

output "inference_profile_arns" {
  description = "ARNs of allowed_inference_profiles in this Region (what callers pass as modelId)."
  value       = local.inference_profile_arns
}

output "vpc_endpoint_policies" {
  description = "Endpoint policies for the Bedrock data-plane interface endpoints, keyed by service: bedrock-runtime (InvokeModel*, Converse*, CountTokens on the approved models and profiles; ApplyGuardrail on this account's guardrails; async invocations of this account) and bedrock-agent-runtime (InvokeAgent and agent memory on this account's agent aliases, Retrieve on its knowledge bases, InvokeFlow on its flows, RetrieveAndGenerate, Rerank, InvokeInlineAgent, InvokeModel* on the approved models). Principals of this account only; known at plan time."
  value = {
    "bedrock-runtime"       = local.runtime_endpoint_policy
    "bedrock-agent-runtime" = local.agent_runtime_endpoint_policy
  }
}

output "alarm_arns" {
  description = "Map of alarm key to CloudWatch alarm ARN: <model id>/<invocation-throttles|invocation-server-errors|invocation-client-errors|invocation-latency-p99> per allowed model, invocation-logs/<cloudwatch|s3>-delivery-failure with invocation logging. Empty unless create_alarms."
  value       = { for k, v in aws_cloudwatch_metric_alarm.this : k => v.arn }
}

output "alarm_names" {
  description = "Map of alarm key to CloudWatch alarm name."
  value       = { for k, v in aws_cloudwatch_metric_alarm.this : k => v.alarm_name }
}
