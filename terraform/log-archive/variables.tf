variable "region" {
  description = "Home region of the account (the first approved region)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "partition" {
  description = "AWS partition (used only to build the assume_role ARN)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-us-gov", "aws-cn"], var.partition)
    error_message = "partition must be aws, aws-us-gov or aws-cn."
  }
}

variable "account_id" {
  description = "The account this root deploys to (12 digits): the provider assumes assume_role_name in it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "assume_role_name" {
  description = "Role the provider assumes in the account: the genai-lz-deployer role of the account baseline. null = ambient credentials."
  type        = string
  default     = "genai-lz-deployer"

  validation {
    condition     = var.assume_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", coalesce(var.assume_role_name, "x")))
    error_message = "assume_role_name must be a valid IAM role name."
  }
}

variable "offline_plan" {
  description = "Plan with fake credentials and no network (skips STS, metadata and the assume_role). Set only by `make plan TARGET=offline`; never for apply."
  type        = bool
  default     = false
}

variable "local_emulator" {
  description = "Set by the TARGET=local apply (`make demo`) like in every root: leaves out the log bucket's server access logging, which the emulator cannot apply (checks/ops/emulator.py UNSUPPORTED)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags on every resource (provider default_tags). Must contain non-empty project, environment, owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["project", "environment", "owner", "cost-center"] : length(trimspace(lookup(var.tags, k, ""))) > 0])
    error_message = "tags must contain non-empty values for project, environment, owner and cost-center."
  }
}

variable "management_account_id" {
  description = "The management account (the organization trail's account)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be exactly 12 digits."
  }
}

variable "organization_id" {
  description = "The organization id (output organization_id of terraform/organization)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abcd123456."
  }
}

variable "organization_trail_name" {
  description = "Name of the organization trail (terraform/organization names it <name>-org-trail)."
  type        = string
  default     = "genai-org-trail"
}

variable "object_lock_retention_days" {
  description = "Object Lock (GOVERNANCE) retention of every log object, in days."
  type        = number
  default     = 365
}

variable "glacier_transition_days" {
  description = "Days before log objects move to Glacier Flexible Retrieval."
  type        = number
  default     = 90
}

variable "deep_archive_transition_days" {
  description = "Days before log objects move to Glacier Deep Archive."
  type        = number
  default     = 365
}

variable "expiration_days" {
  description = "Days before log objects expire (7 years by default)."
  type        = number
  default     = 2555
}

variable "break_glass_role_arn_patterns" {
  description = "The only principals that may delete log objects or disable the key."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/genai-lz-break-glass"]
}
