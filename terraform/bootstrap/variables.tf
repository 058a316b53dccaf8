variable "name" {
  description = "Name prefix of the state bucket and its KMS key alias."
  type        = string
  default     = "genai-lz"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "Id (12 digits) of the account that holds the state (the management account). Part of the bucket name and the key policy."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "region" {
  description = "Region of the state bucket."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "offline_plan" {
  description = "Plan with fake credentials and no network. Set only by `make plan TARGET=offline`; never for apply."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags on every resource. Must contain non-empty project, environment, owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["project", "environment", "owner", "cost-center"] : length(trimspace(lookup(var.tags, k, ""))) > 0])
    error_message = "tags must contain non-empty values for project, environment, owner and cost-center."
  }
}

variable "state_keys" {
  description = "Extra state object keys (name => key) beside the ones the bootstrap derives: organization, log-archive, audit and one per workload env (terraform/workload/envs/*.tfvars). One backend configuration is rendered per entry."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.state_keys : can(regex("^[a-z0-9][a-z0-9_./-]*\\.tfstate$", v))])
    error_message = "Every state key must be a relative object key ending in .tfstate."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent state versions are deleted (the history available for a roll-back)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 7
    error_message = "noncurrent_version_expiration_days must be at least 7."
  }
}

variable "kms_deletion_window_in_days" {
  description = "Waiting period before the state key is deleted after a destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "access_log_bucket" {
  description = "Existing bucket that receives the state bucket's server access logs; null = no access logging."
  type        = string
  default     = null
}

variable "local_emulator" {
  description = "Leave out the TLS-only bucket policy, which the local emulator (moto) evaluates without its conditions (denying every request over its plain-HTTP endpoint). Only envs/local.tfvars sets it."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Allow destroying the bucket while it holds state versions. Keep false for real accounts; only the disposable local emulator sets it."
  type        = bool
  default     = false
}
