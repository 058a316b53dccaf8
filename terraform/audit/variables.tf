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
  description = "Leave out the services the local AWS emulator (moto) cannot create: GuardDuty (its organization configuration and features; the detector shares their toggle), Security Hub and its organization configuration, IAM Access Analyzer. Set only for the TARGET=local apply (`make demo`); the checked plans always keep them."
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

variable "name" {
  description = "Name prefix of the analyzers and the aggregator."
  type        = string
  default     = "genai"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "approved_regions" {
  description = "The organization's approved regions (the first is the home region, where the Config aggregator lives): GuardDuty, Security Hub and Access Analyzer are administered in each. At most 3 (one provider alias per region)."
  type        = list(string)

  validation {
    condition     = length(var.approved_regions) > 0 && length(var.approved_regions) <= 3 && length(distinct(var.approved_regions)) == length(var.approved_regions) && alltrue([for r in var.approved_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "approved_regions must list 1 to 3 distinct region names (providers.tf has 3 region slots: add a slot to allow more)."
  }
}

variable "guardduty_features" {
  description = "GuardDuty protection plans auto-enabled for every member (feature => additional configurations)."
  type        = map(list(string))
  default = {
    S3_DATA_EVENTS         = []
    EKS_AUDIT_LOGS         = []
    EBS_MALWARE_PROTECTION = []
    RUNTIME_MONITORING     = ["EKS_ADDON_MANAGEMENT", "EC2_AGENT_MANAGEMENT"]
  }
}
