variable "create" {
  description = "Create the module's resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix (analyzer, aggregator and its role)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens."
  }
}

variable "account_id" {
  description = "The audit (delegated administrator) account id."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "create_guardduty" {
  description = "GuardDuty detector and organization configuration (auto-enable ALL members) in this region."
  type        = bool
  default     = true
}

variable "guardduty_features" {
  description = "GuardDuty protection plans auto-enabled for every member: feature name to its additional configurations."
  type        = map(list(string))
  default = {
    S3_DATA_EVENTS         = []
    EKS_AUDIT_LOGS         = []
    EBS_MALWARE_PROTECTION = []
    RUNTIME_MONITORING     = ["EKS_ADDON_MANAGEMENT", "EC2_AGENT_MANAGEMENT"]
  }

  validation {
    condition = alltrue([for k, v in var.guardduty_features : contains([
      "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
    ], k)])
    error_message = "guardduty_features keys must be GuardDuty organization feature names."
  }
}

variable "guardduty_finding_publishing_frequency" {
  description = "How often GuardDuty publishes updated findings."
  type        = string
  default     = "FIFTEEN_MINUTES"

  validation {
    condition     = contains(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"], var.guardduty_finding_publishing_frequency)
    error_message = "guardduty_finding_publishing_frequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS."
  }
}

variable "create_securityhub" {
  description = "Security Hub and its organization configuration (auto-enable, default standards) in this region."
  type        = bool
  default     = true
}

variable "create_access_analyzer" {
  description = "An ORGANIZATION IAM Access Analyzer in this region."
  type        = bool
  default     = true
}

variable "create_config_aggregator" {
  description = "The organization AWS Config aggregator (all regions): true in one region only."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
