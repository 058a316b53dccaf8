output "guardduty_detector_id" {
  description = "The administrator's GuardDuty detector in this region."
  value       = try(aws_guardduty_detector.this[0].id, null)
}

output "access_analyzer_arn" {
  description = "ARN of the organization analyzer in this region."
  value       = try(aws_accessanalyzer_analyzer.this[0].arn, null)
}

output "config_aggregator_arn" {
  description = "ARN of the organization AWS Config aggregator (null outside the aggregator's region)."
  value       = try(aws_config_configuration_aggregator.this[0].arn, null)
}
