variable "create" {
  description = "Create the module's resources."
  type        = bool
  default     = true
}

variable "create_access_logging" {
  description = "Log the log bucket's S3 server access to the access bucket (under s3-access/<log bucket>/). Off only where S3 server access logging is not available (the local emulator)."
  type        = bool
  default     = true
  nullable    = false
}

variable "account_id" {
  description = "The log-archive account id (12 digits)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "management_account_id" {
  description = "The management account id: the organization trail lives there and writes AWSLogs/<management account>/ and AWSLogs/<org id>/."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be exactly 12 digits."
  }
}

variable "organization_id" {
  description = "The organization id (o-...): the bucket and key accept deliveries from its accounts only."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abcd123456."
  }
}

variable "organization_trail_name" {
  description = "Name of the organization trail (aws:SourceArn of its deliveries)."
  type        = string
  default     = "genai-org-trail"
}

variable "trail_home_region" {
  description = "Home region of the organization trail."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.trail_home_region))
    error_message = "trail_home_region must be a region name such as us-east-1."
  }
}

variable "bucket_prefix" {
  description = "Prefix of the bucket names (<prefix><account>-<region>, <prefix>access-<account>-<region>); the organization's SCP protects buckets with this prefix."
  type        = string
  default     = "genai-log-archive-"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{2,30}$", var.bucket_prefix))
    error_message = "bucket_prefix must be 3-31 lowercase letters, digits, dots or hyphens."
  }
}

variable "kms_alias_name" {
  description = "Alias (without alias/) of the log-archive key."
  type        = string
  default     = "genai-log-archive"
}

variable "object_lock_retention_days" {
  description = "Object Lock default retention (GOVERNANCE mode) of every log object, in days."
  type        = number
  default     = 365

  validation {
    condition     = var.object_lock_retention_days >= 1 && var.object_lock_retention_days <= 3650 && floor(var.object_lock_retention_days) == var.object_lock_retention_days
    error_message = "object_lock_retention_days must be a whole number of days between 1 and 3650."
  }
}

variable "glacier_transition_days" {
  description = "Days after which log objects move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90

  validation {
    condition     = var.glacier_transition_days >= 30
    error_message = "glacier_transition_days must be at least 30."
  }
}

variable "deep_archive_transition_days" {
  description = "Days after which log objects move to S3 Glacier Deep Archive (at least 90 days after the Glacier transition)."
  type        = number
  default     = 365

  validation {
    condition     = var.deep_archive_transition_days >= var.glacier_transition_days + 90
    error_message = "deep_archive_transition_days must be at least 90 days after glacier_transition_days (Glacier minimum storage duration)."
  }
}

variable "expiration_days" {
  description = "Days after which log objects expire (never before the Object Lock retention ends, and 180 days after Deep Archive)."
  type        = number
  default     = 2555

  validation {
    condition     = var.expiration_days >= var.object_lock_retention_days && var.expiration_days >= var.deep_archive_transition_days + 180 && var.expiration_days <= 3650
    error_message = "expiration_days must be at least object_lock_retention_days, at least 180 days after deep_archive_transition_days, and at most 3650."
  }
}

variable "break_glass_role_arn_patterns" {
  description = "The only principals that may delete log objects or disable / delete the key."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/genai-lz-break-glass"]

  validation {
    condition     = length(var.break_glass_role_arn_patterns) > 0 && alltrue([for a in var.break_glass_role_arn_patterns : can(regex("^arn:aws[a-zA-Z-]*:iam::(\\*|[0-9]{12}):role/.+$", a))])
    error_message = "break_glass_role_arn_patterns must be a non-empty list of IAM role ARN patterns."
  }
}

variable "additional_kms_policy_statements" {
  description = "More statements of the log-archive key's policy (IAM JSON objects), after the module's own: e.g. a further service that delivers logs here."
  type        = any
  default     = []
  nullable    = false
}

variable "additional_bucket_policy_statements" {
  description = "More statements of the log bucket's policy (IAM JSON objects), after the module's own: e.g. a further replication source."
  type        = any
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}

variable "replication_role_name_pattern" {
  description = "Name pattern (IAM ARN wildcards) of the member accounts' roles that replicate Bedrock invocation logs into bedrock-invocation-logs/ (modules/bedrock: <name>-bedrock-log-replication). Only roles of the organization with this name may replicate; none may delete."
  type        = string
  default     = "*-bedrock-log-replication"

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_*-]{1,64}$", var.replication_role_name_pattern)) && var.replication_role_name_pattern != "*"
    error_message = "replication_role_name_pattern must be an IAM role name pattern narrower than \"*\" (e.g. *-bedrock-log-replication)."
  }
}
