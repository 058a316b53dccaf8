variable "create" {
  description = "Create the module's resources."
  type        = bool
  default     = true
}

variable "admin_account_id" {
  description = "The audit account id: delegated administrator of GuardDuty and Security Hub in this region (null only with create = false)."
  type        = string

  validation {
    condition     = var.admin_account_id == null || can(regex("^[0-9]{12}$", coalesce(var.admin_account_id, "000000000000")))
    error_message = "admin_account_id must be a 12-digit account id."
  }

  validation {
    condition     = !var.create || var.admin_account_id != null
    error_message = "admin_account_id is required when create is true."
  }
}

variable "create_guardduty" {
  description = "Designate the GuardDuty delegated administrator."
  type        = bool
  default     = true
}

variable "create_securityhub" {
  description = "Enable Security Hub in the management account and designate its delegated administrator."
  type        = bool
  default     = true
}
