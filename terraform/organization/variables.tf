variable "name" {
  description = "Name prefix of the organisation-level resources."
  type        = string
  default     = "genai"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Home region of the management account."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "management_account_id" {
  description = "Id (12 digits) of the management account this root runs in."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be exactly 12 digits."
  }
}

variable "offline_plan" {
  description = "Plan with fake credentials and no network (skips the provider's STS/metadata calls). Set only by `make plan TARGET=offline`; never for apply."
  type        = bool
  default     = false
}

variable "local_emulator" {
  description = "Leave out the resources the local AWS emulator (moto) cannot create (the organisation budget and cost anomaly detection). Set only for the emulator apply; checked plans keep them."
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

variable "create_organization" {
  description = "Create the AWS Organization (true on a fresh management account); false = use the existing one given by root_id."
  type        = bool
  default     = true
}

variable "root_id" {
  description = "Root id (r-xxxx) of an existing organisation; required when create_organization = false."
  type        = string
  default     = null

  validation {
    condition     = var.root_id == null || can(regex("^r-[0-9a-z]{4,32}$", coalesce(var.root_id, "r-0000")))
    error_message = "root_id must look like r-ab12."
  }
}

variable "accounts" {
  description = "Member accounts by key: e-mail of the account root user, OU (security, infrastructure, workloads, dev, prod, sandbox), the role Organizations creates for the management account, and extra tags."
  type = map(object({
    email     = string
    ou        = string
    role_name = optional(string, "OrganizationAccountAccessRole")
    tags      = optional(map(string), {})
  }))

  validation {
    condition     = alltrue([for k, a in var.accounts : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a.email))])
    error_message = "Every account needs a valid e-mail address."
  }
}

variable "approved_regions" {
  description = "Regions the SCP allows (global services are exempt)."
  type        = list(string)

  validation {
    condition     = length(var.approved_regions) > 0 && alltrue([for r in var.approved_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "approved_regions must be a non-empty list of region names."
  }
}

variable "approved_model_ids" {
  description = "Bedrock model ids the SCP allows to be invoked in every member account."
  type        = list(string)

  validation {
    condition     = length(var.approved_model_ids) > 0
    error_message = "approved_model_ids must not be empty."
  }
}

variable "required_tags" {
  description = "Tag keys the tag policy enforces."
  type        = list(string)
  default     = ["project", "environment", "owner", "cost-center"]

  validation {
    condition     = length(var.required_tags) > 0
    error_message = "required_tags must not be empty."
  }
}

variable "monthly_budget_usd" {
  description = "Organisation-wide monthly cost budget in USD."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be positive."
  }
}

variable "budget_thresholds" {
  description = "Budget notification thresholds in percent."
  type        = list(number)
  default     = [50, 80, 100]

  validation {
    condition     = length(var.budget_thresholds) > 0 && alltrue([for t in var.budget_thresholds : t > 0 && t <= 500])
    error_message = "budget_thresholds must be percentages between 0 (exclusive) and 500."
  }
}

variable "budget_notification_emails" {
  description = "E-mail addresses notified by the organisation budget and anomaly monitor."
  type        = list(string)

  validation {
    condition     = length(var.budget_notification_emails) > 0 && alltrue([for e in var.budget_notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "budget_notification_emails must be a non-empty list of e-mail addresses."
  }
}

variable "anomaly_threshold_usd" {
  description = "Absolute cost impact in USD above which an organisation-wide cost anomaly is notified."
  type        = number
  default     = 1000

  validation {
    condition     = var.anomaly_threshold_usd > 0
    error_message = "anomaly_threshold_usd must be positive."
  }
}
