variable "create" {
  description = "Create the module's resources."
  type        = bool
  default     = true
}

variable "admin_account_id" {
  description = "The audit account id: delegated administrator of GuardDuty and Security Hub in this region."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.admin_account_id))
    error_message = "admin_account_id must be a 12-digit account id."
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
