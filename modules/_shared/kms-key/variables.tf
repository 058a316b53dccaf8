variable "create" {
  description = "Create the key and its alias."
  type        = bool
  default     = true
  nullable    = false
}

variable "description" {
  description = "Description of the key (what it encrypts)."
  type        = string
}

variable "alias" {
  description = "Alias name without the alias/ prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/") && !startswith(var.alias, "alias/")
    error_message = "alias: 1-250 characters of a-z, A-Z, 0-9, /, _ and -, without the reserved aws/ prefix and without alias/."
  }
}

variable "account_id" {
  description = "AWS account id (12 digits) whose root administers the key."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account id."
  }
}

variable "partition" {
  description = "AWS partition of the account (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"
  nullable    = false
}

variable "administrator_sid" {
  description = "Sid of the key policy statement that lets the account root administer the key."
  type        = string
  default     = "AccountRootAdministers"
  nullable    = false
}

variable "policy_statements" {
  description = "More key policy statements, as IAM JSON objects (Sid, Effect, Principal, Action, Resource, Condition), after the account root statement."
  type        = any
  default     = []
  nullable    = false
}

variable "cloudtrail_trail_arn" {
  description = "ARN of the CloudTrail trail that encrypts its log files with this key (an organization trail: the management account's trail). Adds the CloudTrail statements after the account root's. null = no trail uses the key."
  type        = string
  default     = null

  validation {
    condition     = var.cloudtrail_trail_arn == null || can(regex("^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:[0-9]{12}:trail/[A-Za-z0-9._-]{3,128}$", var.cloudtrail_trail_arn))
    error_message = "cloudtrail_trail_arn must be a trail ARN: arn:<partition>:cloudtrail:<region>:<account id>:trail/<name>."
  }
}

variable "deletion_window_in_days" {
  description = "Days between scheduling the key's deletion and its deletion (7-30)."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags of the key (null: none, only the provider's default tags)."
  type        = map(string)
  default     = null
}
