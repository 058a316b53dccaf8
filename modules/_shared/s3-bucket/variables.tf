variable "create" {
  description = "Create the bucket and its settings."
  type        = bool
  default     = true
  nullable    = false
}

variable "bucket" {
  description = "Bucket name (globally unique, at most 63 characters)."
  type        = string
}

variable "bucket_name_hint" {
  description = "What the caller should change when the bucket name is too long (ends the precondition's error message)."
  type        = string
  default     = "choose a shorter name."
  nullable    = false
}

variable "partition" {
  description = "AWS partition of the bucket (aws, aws-cn, aws-us-gov): the bucket policy names the bucket by ARN."
  type        = string
  default     = "aws"
  nullable    = false
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with its objects."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_key_arn" {
  description = "ARN of the KMS key of the default SSE-KMS encryption (bucket key enabled)."
  type        = string
}

variable "lifecycle_rule" {
  description = "The bucket's one lifecycle rule (filter: every object). A null number leaves that action out. transition_days moves objects to transition_storage_class (noncurrent versions go there too); transitions lists several transitions instead (days and storage class each)."
  type = object({
    id                                     = string
    transition_days                        = optional(number)
    transitions                            = optional(list(object({ days = number, storage_class = string })), [])
    expiration_days                        = optional(number)
    noncurrent_transition_days             = optional(number)
    noncurrent_expiration_days             = optional(number)
    transition_storage_class               = optional(string, "GLACIER")
    abort_incomplete_multipart_upload_days = optional(number, 7)
  })
  nullable = false

  validation {
    condition     = var.lifecycle_rule.transition_days == null || length(var.lifecycle_rule.transitions) == 0
    error_message = "lifecycle_rule: set transition_days (one transition to transition_storage_class) or transitions (several), not both."
  }

  validation {
    condition = alltrue([for c in concat([for t in var.lifecycle_rule.transitions : t.storage_class], [var.lifecycle_rule.transition_storage_class]) : contains(
      ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], c,
    )])
    error_message = "lifecycle_rule: a transition's storage class must be STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }

  validation {
    condition     = alltrue([for t in var.lifecycle_rule.transitions : t.days >= 0 && floor(t.days) == t.days]) && length(distinct([for t in var.lifecycle_rule.transitions : t.storage_class])) == length(var.lifecycle_rule.transitions)
    error_message = "lifecycle_rule.transitions: whole, non-negative days, and one transition per storage class."
  }
}

variable "object_lock" {
  description = "Object Lock default retention of every new object version (mode GOVERNANCE or COMPLIANCE, days); the bucket is then created with Object Lock enabled, which cannot be added to an existing bucket through this module. null: no Object Lock."
  type = object({
    mode = string
    days = number
  })
  default = null

  validation {
    condition     = var.object_lock == null || contains(["GOVERNANCE", "COMPLIANCE"], try(var.object_lock.mode, ""))
    error_message = "object_lock.mode must be GOVERNANCE or COMPLIANCE."
  }

  validation {
    condition     = var.object_lock == null || try(var.object_lock.days >= 1 && floor(var.object_lock.days) == var.object_lock.days, false)
    error_message = "object_lock.days must be a whole number of days, at least 1."
  }
}

variable "access_log_bucket" {
  description = "Bucket that receives the server access logs (prefix s3-access/<bucket>/), its name known at plan time; null: no access logging (unless access_logging is set)."
  type        = string
  default     = null
}

variable "access_logging" {
  description = "Server access logging to target_bucket (which may be known only after apply, e.g. another module's bucket_id) under target_prefix (null: s3-access/<bucket>/). Takes the place of access_log_bucket; null: see access_log_bucket. The target's bucket policy must let logging.s3.amazonaws.com write there."
  type = object({
    target_bucket = string
    target_prefix = optional(string)
  })
  default = null

  validation {
    condition     = var.access_logging == null || var.access_log_bucket == null
    error_message = "Set access_logging or access_log_bucket, not both."
  }

  validation {
    condition     = try(var.access_logging.target_prefix, null) == null || can(regex("^[^/].*/$", try(var.access_logging.target_prefix, "")))
    error_message = "access_logging.target_prefix must not start with / and must end with / (e.g. s3-access/<bucket>/)."
  }
}

variable "create_bucket_policy" {
  description = "Attach the bucket policy (DenyInsecureTransport + policy_statements). Only the local emulator, which ignores Deny conditions, wants false."
  type        = bool
  default     = true
  nullable    = false
}

variable "policy_statements" {
  description = "More bucket policy statements, as IAM JSON objects, after DenyInsecureTransport."
  type        = any
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags of the bucket (null: none, only the provider's default tags)."
  type        = map(string)
  default     = null
}
