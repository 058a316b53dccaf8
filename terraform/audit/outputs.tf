output "guardduty_detector_ids" {
  description = "The administrator's GuardDuty detector per approved region."
  value = { for r, id in zipmap(var.approved_regions, slice([
    module.security_services_1.guardduty_detector_id,
    module.security_services_2.guardduty_detector_id,
    module.security_services_3.guardduty_detector_id,
  ], 0, length(var.approved_regions))) : r => id }
}

output "config_aggregator_arn" {
  description = "The organization AWS Config aggregator (home region)."
  value       = module.security_services_1.config_aggregator_arn
}
