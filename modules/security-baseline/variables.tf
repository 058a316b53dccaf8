variable "create" {
  description = "Create the module's resources. Set to false to disable the whole module."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the trail, audit bucket, KMS alias, IAM roles, Config recorder and analyzer (lowercase; the bucket is <name>-audit-<account_id>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "account_id" {
  description = "AWS account id (12 digits) the baseline is deployed in."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "create_kms_key" {
  description = "Create a customer managed KMS key (rotation on) for the trail, the audit bucket, the Config delivery and the log group. Ignored when kms_key_arn is given."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Existing KMS key ARN to use instead of creating one. Its policy must allow CloudTrail, CloudWatch Logs and AWS Config as the module-created key does."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[a-zA-Z0-9/_-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (or, for a trail only, a key alias ARN)."
  }

  validation {
    condition     = var.create_kms_key || var.kms_key_arn != null || !(var.create_cloudtrail || var.create_config)
    error_message = "Either create_kms_key must be true or kms_key_arn must be given: the trail and the Config deliveries are always KMS encrypted."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the module-created KMS key is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "create_cloudtrail" {
  description = "Create the multi-region CloudTrail trail and its audit bucket (the bucket is also created for AWS Config)."
  type        = bool
  default     = true
}

variable "cloudtrail_is_organization_trail" {
  description = "Make the trail an organization trail (every member account's events; only in the management account or a CloudTrail delegated administrator)."
  type        = bool
  default     = false
}

variable "cloudtrail_s3_bucket_name" {
  description = "Deliver the trail to this existing bucket (the log-archive bucket, whose policy must let CloudTrail write AWSLogs/<account>/ and AWSLogs/<org-id>/) instead of a bucket of the module. Requires kms_key_arn (the log-archive key)."
  type        = string
  default     = null

  validation {
    condition     = var.cloudtrail_s3_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.cloudtrail_s3_bucket_name, "xxx")))
    error_message = "cloudtrail_s3_bucket_name must be an S3 bucket name."
  }

  validation {
    condition     = var.cloudtrail_s3_bucket_name == null || var.kms_key_arn != null
    error_message = "A trail delivered to an external bucket needs kms_key_arn (the key of that bucket's account)."
  }
}

variable "cloudtrail_cloudwatch_logs" {
  description = "Also deliver the trail to a KMS-encrypted CloudWatch Logs group (for metric filters and alarms)."
  type        = bool
  default     = true
}

variable "cloudtrail_bedrock_data_events" {
  description = "Log Amazon Bedrock data events (model, agent, knowledge base, guardrail, flow, prompt invocations) with advanced event selectors, in addition to all management events."
  type        = bool
  default     = true
}

variable "bedrock_data_event_resource_types" {
  description = "CloudTrail resources.type values logged as Bedrock data events (one advanced event selector each)."
  type        = list(string)
  default = [
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::FlowAlias",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::InlineAgent",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::Model",
    "AWS::Bedrock::PromptVersion",
  ]

  validation {
    condition     = alltrue([for t in var.bedrock_data_event_resource_types : can(regex("^AWS::Bedrock::[A-Za-z]+$", t))]) && length(distinct(var.bedrock_data_event_resource_types)) == length(var.bedrock_data_event_resource_types)
    error_message = "bedrock_data_event_resource_types must be distinct AWS::Bedrock::<Type> values."
  }
}

variable "create_guardduty" {
  description = "Enable a GuardDuty detector with the features in guardduty_features."
  type        = bool
  default     = true
}

variable "create_guardduty_features" {
  description = "Manage the GuardDuty detector features in guardduty_features (the local emulator does not return them: switch off there)."
  type        = bool
  default     = true
}

variable "guardduty_features" {
  description = "GuardDuty detector features to enable: feature name to the list of its additional configurations (e.g. RUNTIME_MONITORING = [\"EKS_ADDON_MANAGEMENT\"]). Set {} to keep only the foundational data sources."
  type        = map(list(string))
  default = {
    S3_DATA_EVENTS         = []
    EKS_AUDIT_LOGS         = []
    EBS_MALWARE_PROTECTION = []
    RUNTIME_MONITORING     = ["EKS_ADDON_MANAGEMENT", "EC2_AGENT_MANAGEMENT"]
  }

  validation {
    condition = alltrue([for k, v in var.guardduty_features : contains([
      "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
    ], k)])
    error_message = "guardduty_features keys must be GuardDuty feature names (S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, EKS_RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING)."
  }
}

variable "guardduty_finding_publishing_frequency" {
  description = "How often GuardDuty publishes updated findings to EventBridge."
  type        = string
  default     = "FIFTEEN_MINUTES"

  validation {
    condition     = contains(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"], var.guardduty_finding_publishing_frequency)
    error_message = "guardduty_finding_publishing_frequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS."
  }
}

variable "create_config" {
  description = "Create the AWS Config recorder (all supported resources), delivery channel to the audit bucket, recorder status and IAM role."
  type        = bool
  default     = true
}

variable "config_include_global_resource_types" {
  description = "Record global resources (IAM) in this region's recorder. Enable in exactly one region per account."
  type        = bool
  default     = true
}

variable "config_snapshot_delivery_frequency" {
  description = "How often AWS Config delivers configuration snapshots."
  type        = string
  default     = "TwentyFour_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.config_snapshot_delivery_frequency)
    error_message = "config_snapshot_delivery_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "create_access_analyzer" {
  description = "Create an IAM Access Analyzer of type ACCOUNT."
  type        = bool
  default     = true
}

variable "create_securityhub" {
  description = "Enable Security Hub with the default standards. Off by default because the local emulator cannot create it; enable it in real accounts (or from the organization's delegated admin)."
  type        = bool
  default     = false
}

variable "create_password_policy" {
  description = "Set the IAM account password policy (14+ characters, all character classes, 24 remembered, 90-day expiry)."
  type        = bool
  default     = true
}

variable "create_s3_account_public_access_block" {
  description = "Block public access to S3 at the account level."
  type        = bool
  default     = true
}

variable "enable_ebs_encryption_by_default" {
  description = "Turn on EBS encryption by default in this region."
  type        = bool
  default     = true
}

variable "ebs_default_kms_key_arn" {
  description = "Optional customer managed key for EBS default encryption (null keeps the AWS managed aws/ebs key, usable by every principal and service in the account)."
  type        = string
  default     = null

  validation {
    condition     = var.ebs_default_kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.ebs_default_kms_key_arn))
    error_message = "ebs_default_kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the CloudTrail CloudWatch Logs group."
  type        = number
  default     = 365

  validation {
    condition     = contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch Logs retention value of at least one year (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "trail_log_transition_days" {
  description = "Days after which audit log objects move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90

  validation {
    condition     = var.trail_log_transition_days >= 30
    error_message = "trail_log_transition_days must be at least 30."
  }
}

variable "trail_log_expiration_days" {
  description = "Days after which audit log objects (and noncurrent versions) expire. Default 2555 days (7 years)."
  type        = number
  default     = 2555

  validation {
    condition     = var.trail_log_expiration_days >= 365 && var.trail_log_expiration_days <= 3650 && floor(var.trail_log_expiration_days) == var.trail_log_expiration_days
    error_message = "trail_log_expiration_days must be a whole number of days between 365 (1 year) and 3650 (10 years)."
  }

  validation {
    condition     = var.trail_log_expiration_days >= var.trail_log_transition_days + 90
    error_message = "trail_log_expiration_days must be at least 90 days after trail_log_transition_days (Glacier minimum storage duration)."
  }
}

variable "s3_bucket_force_destroy" {
  description = "Allow destroying the audit bucket with its objects. Keep false outside throw-away environments."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
