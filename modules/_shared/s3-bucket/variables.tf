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
  description = "The bucket's one lifecycle rule (filter: every object). A null number leaves that action out; transitions go to transition_storage_class."
  type = object({
    id                                     = string
    transition_days                        = optional(number)
    expiration_days                        = optional(number)
    noncurrent_transition_days             = optional(number)
    noncurrent_expiration_days             = optional(number)
    transition_storage_class               = optional(string, "GLACIER")
    abort_incomplete_multipart_upload_days = optional(number, 7)
  })
  nullable = false
}

variable "access_log_bucket" {
  description = "Bucket that receives the server access logs (prefix s3-access/<bucket>/); null: no access logging."
  type        = string
  default     = null
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
