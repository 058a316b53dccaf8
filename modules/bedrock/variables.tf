variable "create" {
  description = "Whether to create any resource in this module."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix for every resource (lowercase letters, digits and hyphens)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,31}$", var.name))
    error_message = "name must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (12 digits) of the workload account; used in ARNs and policy conditions."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "allowed_model_ids" {
  description = "Approved Bedrock foundation model ids (e.g. anthropic.claude-3-haiku-20240307-v1:0). The invoke role may invoke only these."
  type        = list(string)

  validation {
    condition     = length(var.allowed_model_ids) > 0
    error_message = "allowed_model_ids must list at least one model id."
  }

  validation {
    condition     = alltrue([for id in var.allowed_model_ids : can(regex("^[a-z0-9-]+\\.[a-z0-9][a-zA-Z0-9._-]*(:[a-z0-9.]+)*$", id))])
    error_message = "Every allowed_model_ids entry must be a foundation model id of the form <provider>.<model>[:<version>], e.g. amazon.titan-embed-text-v2:0."
  }

  validation {
    condition     = !anytrue([for id in var.allowed_model_ids : can(regex("^(us|eu|apac|us-gov|global)\\.[a-z0-9-]+\\.", id))])
    error_message = "allowed_model_ids must hold foundation model ids, not cross-region inference profile ids (us./eu./apac./global. prefixes)."
  }
}

variable "allowed_inference_profiles" {
  description = "System-defined cross-Region inference profiles the invoke role may use, e.g. { id = \"us.anthropic.claude-3-7-sonnet-20250219-v1:0\", destination_regions = [\"us-east-1\", \"us-east-2\", \"us-west-2\"] } (Claude 3.5 v2 / 3.7 / 4 are invoked only this way). The role gets the profile in this Region and the foundation model in every destination Region, the latter only through a profile (bedrock:InferenceProfileArn). destination_regions: the profile's Regions from the Bedrock documentation (cannot be looked up offline). global. profiles need allow_global_inference_profiles."
  type = list(object({
    id                  = string
    destination_regions = list(string)
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.allowed_inference_profiles : can(regex("^(us|us-gov|eu|apac|jp|au|ca|global)\\.[a-z0-9-]+\\.[a-z0-9][a-zA-Z0-9._-]*(:[a-z0-9.]+)*$", p.id))])
    error_message = "Every allowed_inference_profiles id must be a system inference profile id <geo>.<provider>.<model>[:<version>] with geo us, us-gov, eu, apac, jp, au, ca or global."
  }

  validation {
    condition     = alltrue([for p in var.allowed_inference_profiles : alltrue([for r in p.destination_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))]) && (length(p.destination_regions) > 0 || startswith(p.id, "global."))])
    error_message = "Every geographic inference profile needs its destination_regions (AWS Region names such as us-west-2)."
  }

  validation {
    condition     = var.allow_global_inference_profiles || !anytrue([for p in var.allowed_inference_profiles : startswith(p.id, "global.")])
    error_message = "global. inference profiles route requests to any commercial AWS Region (data residency): set allow_global_inference_profiles = true to allow them, or use a geographic profile (us., eu., apac., ...)."
  }
}

variable "allow_global_inference_profiles" {
  description = "Allow global. cross-Region inference profiles, which may process a request in any commercial AWS Region. Off by default for data residency."
  type        = bool
  default     = false
}

variable "application_inference_profile_arns" {
  description = "Application inference profile ARNs (arn:<partition>:bedrock:<region>:<account>:application-inference-profile/<id>, e.g. for cost allocation tags) the invoke role may use. The model or system profile each one copies must be allowed too (allowed_model_ids / allowed_inference_profiles)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.application_inference_profile_arns : can(regex("^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:[0-9]{12}:application-inference-profile/[a-z0-9]+$", a))])
    error_message = "application_inference_profile_arns must be application inference profile ARNs (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>)."
  }
}

variable "require_guardrail" {
  description = "Allow model invocation only with this module's guardrail (bedrock:GuardrailIdentifier = the guardrail ARN and its published version) and deny it otherwise. Turning it off needs guardrail_enforcement_off_justification."
  type        = bool
  default     = true

  validation {
    condition     = !var.require_guardrail || var.create_guardrail || !var.create
    error_message = "require_guardrail needs create_guardrail = true (the guardrail that callers must name)."
  }
}

variable "guardrail_enforcement_off_justification" {
  description = "Why callers may invoke models without the guardrail (require_guardrail = false). Required then, refused otherwise."
  type        = string
  default     = null

  validation {
    condition     = (var.guardrail_enforcement_off_justification == null) == var.require_guardrail
    error_message = "guardrail_enforcement_off_justification is required when require_guardrail = false, and only then."
  }

  validation {
    condition     = var.guardrail_enforcement_off_justification == null || length(trimspace(coalesce(var.guardrail_enforcement_off_justification, " "))) >= 10
    error_message = "guardrail_enforcement_off_justification must be a real reason of at least 10 characters."
  }
}

variable "guardrail_exempt_model_ids" {
  description = "Models of allowed_model_ids invoked without the guardrail even when require_guardrail: embedding models (e.g. amazon.titan-embed-text-v2:0), which return vectors, not text a guardrail could filter."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.guardrail_exempt_model_ids : contains(var.allowed_model_ids, id)])
    error_message = "Every guardrail_exempt_model_ids entry must also be in allowed_model_ids."
  }
}

variable "create_invocation_logging" {
  description = "Configure Bedrock model invocation logging (S3 bucket + CloudWatch log group) for this account and region."
  type        = bool
  default     = true
}

variable "create_invocation_log_replication" {
  description = "Replicate the invocation log bucket to the organization's log-archive bucket (invocation_log_replication). Has no effect while invocation_log_replication is null (a standalone account) or create_invocation_logging is false."
  type        = bool
  default     = true
}

variable "invocation_log_replication" {
  description = "The organization's log archive that receives the invocation logs by S3 replication: account_id (the log-archive account), bucket_name (its Object Lock bucket, output bucket_name of terraform/log-archive) and kms_key_arn (its key, output kms_key_arn). Replicas keep their key bedrock-invocation-logs/AWSLogs/<account>/..., belong to the log-archive account and are encrypted with its key. null = no replication (a standalone account)."
  type = object({
    account_id  = string
    bucket_name = string
    kms_key_arn = string
  })
  default = null

  validation {
    condition     = var.invocation_log_replication == null || can(regex("^[0-9]{12}$", try(var.invocation_log_replication.account_id, "")))
    error_message = "invocation_log_replication.account_id must be the 12-digit ID of the log-archive account."
  }

  validation {
    condition     = var.invocation_log_replication == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", try(var.invocation_log_replication.bucket_name, "")))
    error_message = "invocation_log_replication.bucket_name must be a valid S3 bucket name (the log-archive bucket, output bucket_name of terraform/log-archive)."
  }

  validation {
    condition     = var.invocation_log_replication == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", try(var.invocation_log_replication.kms_key_arn, "")))
    error_message = "invocation_log_replication.kms_key_arn must be the key ARN (arn:aws:kms:<region>:<account>:key/<id>, not an alias) of the log-archive key: output kms_key_arn of terraform/log-archive."
  }

  validation {
    condition     = var.invocation_log_replication == null || try(split(":", var.invocation_log_replication.kms_key_arn)[4] == var.invocation_log_replication.account_id, false)
    error_message = "invocation_log_replication.kms_key_arn must belong to invocation_log_replication.account_id (the log-archive account owns the bucket and its key)."
  }

  validation {
    condition     = var.invocation_log_replication == null || try(var.invocation_log_replication.account_id != var.account_id, false)
    error_message = "invocation_log_replication.account_id must be another account than account_id: the logs leave the workload account (same-account copies add no protection)."
  }
}

variable "create_guardrail" {
  description = "Create the Bedrock guardrail and a published version of it (the local emulator does not support guardrails)."
  type        = bool
  default     = true
}

variable "guardrail_filter_strength" {
  description = "Strength of the guardrail content filters (HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT on input and output; PROMPT_ATTACK on input)."
  type        = string
  default     = "HIGH"

  validation {
    condition     = contains(["NONE", "LOW", "MEDIUM", "HIGH"], var.guardrail_filter_strength)
    error_message = "guardrail_filter_strength must be one of NONE, LOW, MEDIUM, HIGH."
  }
}

variable "guardrail_pii_entities" {
  description = "PII entity types the guardrail detects, mapped to the action taken (BLOCK or ANONYMIZE)."
  type        = map(string)
  default = {
    EMAIL                     = "ANONYMIZE"
    PHONE                     = "ANONYMIZE"
    NAME                      = "ANONYMIZE"
    ADDRESS                   = "ANONYMIZE"
    US_SOCIAL_SECURITY_NUMBER = "BLOCK"
    CREDIT_DEBIT_CARD_NUMBER  = "BLOCK"
    CREDIT_DEBIT_CARD_CVV     = "BLOCK"
    US_BANK_ACCOUNT_NUMBER    = "BLOCK"
    PASSWORD                  = "BLOCK"
    AWS_ACCESS_KEY            = "BLOCK"
    AWS_SECRET_KEY            = "BLOCK"
  }

  validation {
    condition     = alltrue([for t, a in var.guardrail_pii_entities : contains(["BLOCK", "ANONYMIZE"], a)])
    error_message = "Every guardrail_pii_entities action must be BLOCK or ANONYMIZE."
  }

  validation {
    condition     = alltrue([for t, a in var.guardrail_pii_entities : can(regex("^[A-Z][A-Z0-9_]+$", t))])
    error_message = "guardrail_pii_entities keys must be Bedrock PII entity types such as EMAIL or AWS_SECRET_KEY."
  }
}

variable "guardrail_blocked_input_messaging" {
  description = "Message returned when the guardrail blocks a prompt."
  type        = string
  default     = "Sorry, this request was blocked by the organization's AI usage policy."

  validation {
    condition     = length(var.guardrail_blocked_input_messaging) > 0 && length(var.guardrail_blocked_input_messaging) <= 500
    error_message = "guardrail_blocked_input_messaging must be 1 to 500 characters."
  }
}

variable "guardrail_blocked_outputs_messaging" {
  description = "Message returned when the guardrail blocks a model response."
  type        = string
  default     = "Sorry, the response was blocked by the organization's AI usage policy."

  validation {
    condition     = length(var.guardrail_blocked_outputs_messaging) > 0 && length(var.guardrail_blocked_outputs_messaging) <= 500
    error_message = "guardrail_blocked_outputs_messaging must be 1 to 500 characters."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the invocation log group, in days (a CloudWatch Logs retention value)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "invocation_log_bucket_name" {
  description = "Name of the invocation log bucket. null = <name>-bedrock-logs-<account_id>-<region> (must fit in 63 characters)."
  type        = string
  default     = null

  validation {
    condition     = var.invocation_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.invocation_log_bucket_name, "x")))
    error_message = "invocation_log_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "invocation_log_archive_after_days" {
  description = "Days after which invocation log objects move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90

  validation {
    condition     = var.invocation_log_archive_after_days >= 30 && floor(var.invocation_log_archive_after_days) == var.invocation_log_archive_after_days
    error_message = "invocation_log_archive_after_days must be a whole number of at least 30."
  }
}

variable "invocation_log_expire_after_days" {
  description = "Days after which invocation log objects expire (must be after the archive transition)."
  type        = number
  default     = 730

  validation {
    condition     = var.invocation_log_expire_after_days > var.invocation_log_archive_after_days && floor(var.invocation_log_expire_after_days) == var.invocation_log_expire_after_days
    error_message = "invocation_log_expire_after_days must be a whole number greater than invocation_log_archive_after_days."
  }
}

variable "invocation_log_access_log_bucket" {
  description = "Existing bucket that receives S3 server access logs of the invocation log bucket (e.g. the log-archive account's bucket). null = no access logging."
  type        = string
  default     = null

  validation {
    condition     = var.invocation_log_access_log_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.invocation_log_access_log_bucket, "x")))
    error_message = "invocation_log_access_log_bucket must be a valid S3 bucket name."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the logs, the bucket and the guardrail. null = the module creates a CMK with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "invoke_role_trusted_services" {
  description = "AWS service principals allowed to assume the invoke role."
  type        = list(string)
  default     = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]

  validation {
    condition     = alltrue([for s in var.invoke_role_trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$", s))])
    error_message = "invoke_role_trusted_services must be AWS service principals such as lambda.amazonaws.com."
  }
}

variable "invoke_role_trusted_role_arns" {
  description = "IAM role ARNs (in any account) allowed to assume the invoke role, e.g. an EKS IRSA role. Empty by default."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.invoke_role_trusted_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "invoke_role_trusted_role_arns must be IAM role ARNs."
  }

  validation {
    condition     = length(var.invoke_role_trusted_services) + length(var.invoke_role_trusted_role_arns) > 0
    error_message = "At least one trusted service or role must be able to assume the invoke role."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource."
  type        = map(string)
  default     = {}
}

variable "create_alarms" {
  description = "Create CloudWatch alarms in AWS/Bedrock: throttles, server errors, client errors and p99 latency per allowed model id, and invocation log delivery failures when create_invocation_logging."
  type        = bool
  default     = true
}

variable "additional_invoke_role_names" {
  description = "Other IAM roles (static key => role name) that get the same managed policies as the invoke role: models, inference-profile destinations, guardrail use (e.g. the EKS Pod Identity role of the workload's pods)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.additional_invoke_role_names : k != "invoke" && can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", k))])
    error_message = "additional_invoke_role_names keys must be short names other than \"invoke\" (the module's own role)."
  }
}

variable "alarm_sns_topic_arns" {
  description = "SNS topic ARNs notified when an alarm fires and when it recovers (alarm and OK actions). Empty = alarms change state without notifying anyone."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_sns_topic_arns : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", a))])
    error_message = "alarm_sns_topic_arns must be standard SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>); CloudWatch cannot notify FIFO topics."
  }

  validation {
    condition     = length(var.alarm_sns_topic_arns) <= 5 && length(distinct(var.alarm_sns_topic_arns)) == length(var.alarm_sns_topic_arns)
    error_message = "alarm_sns_topic_arns must list at most 5 distinct topics (the CloudWatch limit of actions per state)."
  }
}

variable "alarm_invocation_throttles_threshold" {
  description = "Alarm when a model has at least this many throttled invocations (InvocationThrottles) within 5 minutes (whole number >= 1)."
  type        = number
  default     = 10

  validation {
    condition     = var.alarm_invocation_throttles_threshold >= 1 && floor(var.alarm_invocation_throttles_threshold) == var.alarm_invocation_throttles_threshold
    error_message = "alarm_invocation_throttles_threshold must be a whole number of at least 1."
  }
}

variable "alarm_invocation_server_errors_threshold" {
  description = "Alarm when a model has at least this many invocations failing with an AWS server-side error (InvocationServerErrors) within 5 minutes (whole number >= 1)."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_invocation_server_errors_threshold >= 1 && floor(var.alarm_invocation_server_errors_threshold) == var.alarm_invocation_server_errors_threshold
    error_message = "alarm_invocation_server_errors_threshold must be a whole number of at least 1."
  }
}

variable "alarm_invocation_client_errors_threshold" {
  description = "Alarm when a model has at least this many invocations failing with a client-side error (InvocationClientErrors: access denied, validation, model not enabled) within 5 minutes (whole number >= 1)."
  type        = number
  default     = 25

  validation {
    condition     = var.alarm_invocation_client_errors_threshold >= 1 && floor(var.alarm_invocation_client_errors_threshold) == var.alarm_invocation_client_errors_threshold
    error_message = "alarm_invocation_client_errors_threshold must be a whole number of at least 1."
  }
}

variable "alarm_invocation_latency_p99_ms" {
  description = "Alarm when a model's p99 InvocationLatency (time to the last token) stays above this many milliseconds for 3 consecutive 5-minute periods (1-3600000)."
  type        = number
  default     = 30000

  validation {
    condition     = var.alarm_invocation_latency_p99_ms >= 1 && var.alarm_invocation_latency_p99_ms <= 3600000
    error_message = "alarm_invocation_latency_p99_ms must be between 1 and 3600000 milliseconds."
  }
}
