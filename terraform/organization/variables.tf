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
  description = "Extra member accounts by key, beside the files under accounts/ (one JSON file per account, written by `make new-account`): e-mail of the account root user, OU (security, infrastructure, workloads, dev, prod, sandbox), the role Organizations creates for the management account, and extra tags."
  type = map(object({
    email     = string
    ou        = string
    role_name = optional(string, "OrganizationAccountAccessRole")
    tags      = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for k, a in var.accounts : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", a.email))])
    error_message = "Every account needs a valid e-mail address."
  }
}

variable "approved_regions" {
  description = "Regions the SCP allows (global services are exempt); the first is the home region. GuardDuty and Security Hub are delegated in each (one provider alias per region: at most 3)."
  type        = list(string)

  validation {
    condition     = length(var.approved_regions) > 0 && length(var.approved_regions) <= 3 && length(distinct(var.approved_regions)) == length(var.approved_regions) && alltrue([for r in var.approved_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "approved_regions must list 1 to 3 distinct region names (providers.tf has 3 region slots: add a slot to allow more)."
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

variable "break_glass_role_arn_patterns" {
  description = "The dedicated break-glass role(s): the only principals the protective SCPs let stop trails, detectors, recorders or delete log archives and guardrails."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/genai-lz-break-glass"]
}

variable "bedrock_inference_profile_geographies" {
  description = "Geographic cross-region inference profiles (us, eu, apac, ...) through which Bedrock may be invoked into their destination regions outside approved_regions."
  type        = list(string)
  default     = ["us"]
}

variable "tag_policy_allowed_values" {
  description = "Allowed values per cost-allocation tag key (wildcard suffix allowed)."
  type        = map(list(string))
  default     = {}
}

variable "tag_policy_enforced_for" {
  description = "Resource types on which the tag policy refuses noncompliant values (service:type or service:ALL_SUPPORTED)."
  type        = list(string)
  default     = ["sagemaker:ALL_SUPPORTED"]
}

variable "security_admin_account" {
  description = "Account key (of accounts/) or id of the audit account: delegated administrator of GuardDuty, Security Hub, AWS Config and IAM Access Analyzer. null = no delegation."
  type        = string
  default     = "audit"
}

variable "create_identity_center" {
  description = "Create the IAM Identity Center permission sets and assignments (Identity Center must be enabled in the management account)."
  type        = bool
  default     = true
}

variable "identity_center_instance_arn" {
  description = "ARN of the Identity Center instance; null = look it up (offline plans use a placeholder)."
  type        = string
  default     = null
}

variable "identity_center_assignments" {
  description = "Identity Center group assignments: key => { permission_set, principal_id (identity store group id), principal_type, accounts (account keys) }."
  type = map(object({
    permission_set = string
    principal_id   = string
    principal_type = optional(string, "GROUP")
    accounts       = list(string)
  }))
  default = {}
}

variable "pipeline_role_arn" {
  description = "The pipeline role in the management (or a deployment) account that assumes genai-lz-deployer in every member account."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.pipeline_role_arn))
    error_message = "pipeline_role_arn must be an IAM role ARN."
  }
}

variable "log_archive_bucket_name" {
  description = "The log-archive bucket (output bucket_name of terraform/log-archive). null before the log-archive root is applied: no organization trail and no AWS Config recorders yet."
  type        = string
  default     = null
}

variable "log_archive_kms_key_arn" {
  description = "The log-archive key (output kms_key_arn of terraform/log-archive)."
  type        = string
  default     = null

  validation {
    condition     = (var.log_archive_bucket_name == null) == (var.log_archive_kms_key_arn == null)
    error_message = "log_archive_bucket_name and log_archive_kms_key_arn are given together (outputs of terraform/log-archive)."
  }
}
