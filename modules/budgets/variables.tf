variable "create" {
  description = "Create the module's resources. Set to false to disable the whole module."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the budget; also the prefix of the SNS topic, KMS alias, deny policy, action role and anomaly monitor."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,39}$", var.name))
    error_message = "name must be 1-40 characters: letters, digits, '_', '.', '-' (IAM role and policy names are derived from it)."
  }
}

variable "account_id" {
  description = "AWS account id (12 digits) that owns the budget; used in ARNs and aws:SourceAccount conditions."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "limit_amount" {
  description = "Monthly cost budget limit in USD."
  type        = number

  validation {
    condition     = var.limit_amount > 0
    error_message = "limit_amount must be greater than 0."
  }
}

variable "thresholds" {
  description = "Percentages of the limit at which ACTUAL and FORECASTED notifications fire."
  type        = list(number)
  default     = [50, 80, 100]

  validation {
    condition     = length(var.thresholds) > 0 && length(var.thresholds) <= 5 && alltrue([for t in var.thresholds : t >= 1 && t <= 1000])
    error_message = "thresholds must hold 1 to 5 percentages, each between 1 and 1000 (AWS allows 10 notifications per budget: 5 thresholds x ACTUAL/FORECASTED)."
  }

  validation {
    condition     = length(distinct(var.thresholds)) == length(var.thresholds)
    error_message = "thresholds must not contain duplicates."
  }
}

variable "notification_emails" {
  description = "Email addresses notified by the budget, the budget action and the cost anomaly subscription (daily summary)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.notification_emails) <= 10 && alltrue([for e in var.notification_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", e))])
    error_message = "notification_emails must be valid email addresses (at most 10)."
  }
}

variable "create_sns_topic" {
  description = "Create a KMS-encrypted SNS topic that AWS Budgets and Cost Anomaly Detection publish to (policy restricted to this account)."
  type        = bool
  default     = true
}

variable "allow_cloudwatch_alarms" {
  description = "Let CloudWatch alarms of this account whose names start with cloudwatch_alarm_name_prefix publish to the module-created topic (topic policy and KMS key policy for cloudwatch.amazonaws.com, under aws:SourceAccount / aws:SourceArn): the Bedrock and SageMaker alarms share the budget topic."
  type        = bool
  default     = true
}

variable "cloudwatch_alarm_name_prefix" {
  description = "Name prefix of the CloudWatch alarms allowed to publish (aws:SourceArn arn:<partition>:cloudwatch:<region>:<account>:alarm:<prefix>*). null = name."
  type        = string
  default     = null

  validation {
    condition     = var.cloudwatch_alarm_name_prefix == null || can(regex("^[A-Za-z0-9._-]{1,200}$", coalesce(var.cloudwatch_alarm_name_prefix, "x")))
    error_message = "cloudwatch_alarm_name_prefix must be 1-200 letters, digits, '.', '_' or '-' (no wildcard: it is the start of the alarm names)."
  }
}

variable "sns_topic_arns" {
  description = "Existing SNS topic ARN to notify instead of (or when create_sns_topic is false). AWS Budgets accepts one SNS topic per notification."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.sns_topic_arns : can(regex("^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", a))])
    error_message = "sns_topic_arns must be SNS topic ARNs."
  }

  validation {
    condition     = length(var.sns_topic_arns) + (var.create_sns_topic ? 1 : 0) <= 1
    error_message = "AWS Budgets notifies at most one SNS topic: pass one sns_topic_arns entry with create_sns_topic = false, or let the module create the topic."
  }
}

variable "sns_kms_key_arn" {
  description = "KMS key for the module-created SNS topic. When null the module creates a customer managed key with rotation whose policy lets Budgets and Cost Anomaly Detection publish."
  type        = string
  default     = null

  validation {
    condition     = var.sns_kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.sns_kms_key_arn))
    error_message = "sns_kms_key_arn must be a KMS key ARN."
  }
}

variable "cost_filters" {
  description = "Budget cost filters: filter name (Service, TagKeyValue, LinkedAccount, Region, UsageType, InstanceType, ...) to values, e.g. { Service = [\"Amazon Bedrock\"], TagKeyValue = [\"user:project$genai\"] }."
  type        = map(list(string))
  default     = {}

  validation {
    condition = alltrue([for k, v in var.cost_filters : contains([
      "AZ", "BillingEntity", "CostCategory", "InstanceType", "InstanceTypeFamily", "LegalEntityName", "LinkedAccount",
      "Operation", "PurchaseType", "Region", "Service", "TagKeyValue", "UsageType", "UsageTypeGroup", "RecordType",
    ], k) && length(v) > 0])
    error_message = "cost_filters keys must be AWS Budgets filter names (AZ, BillingEntity, CostCategory, InstanceType, InstanceTypeFamily, LegalEntityName, LinkedAccount, Operation, PurchaseType, Region, Service, TagKeyValue, UsageType, UsageTypeGroup, RecordType) with at least one value."
  }
}

variable "create_budget" {
  description = "Create the monthly COST budget (AWS Budgets is not available in the local emulator)."
  type        = bool
  default     = true
}

variable "create_budget_action" {
  description = "Create a budget action that attaches the accelerator deny policy to action_target_role_names / action_target_group_names when actual spend crosses action_threshold. Meant for non-prod accounts."
  type        = bool
  default     = false

  validation {
    condition     = !var.create_budget_action || var.create_budget
    error_message = "create_budget_action requires create_budget = true."
  }
}

variable "action_threshold" {
  description = "Percentage of the limit (ACTUAL spend) at which the budget action applies the deny policy."
  type        = number
  default     = 100

  validation {
    condition     = var.action_threshold >= 1 && var.action_threshold <= 1000
    error_message = "action_threshold must be between 1 and 1000 percent."
  }
}

variable "action_approval_model" {
  description = "AUTOMATIC applies the deny policy without human approval; MANUAL waits for approval in the Budgets console."
  type        = string
  default     = "AUTOMATIC"

  validation {
    condition     = contains(["AUTOMATIC", "MANUAL"], var.action_approval_model)
    error_message = "action_approval_model must be AUTOMATIC or MANUAL."
  }
}

variable "action_target_role_names" {
  description = "IAM role names the deny policy is attached to when the budget action fires: the roles humans and pipelines use (deploy role, Identity Center permission-set roles AWSReservedSSO_<set>_<suffix>, Studio execution role) and the roles that run inference. A role that launches nothing and invokes nothing stops nothing."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.action_target_role_names : can(regex("^[\\w+=,.@-]{1,64}$", r))])
    error_message = "action_target_role_names must be IAM role names (not ARNs)."
  }
}

variable "action_target_group_names" {
  description = "IAM group names (root path) the deny policy is attached to when the budget action fires."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for g in var.action_target_group_names : can(regex("^[\\w+=,.@-]{1,128}$", g))])
    error_message = "action_target_group_names must be IAM group names (not ARNs)."
  }

  validation {
    condition     = !var.create_budget_action || length(var.action_target_role_names) + length(var.action_target_group_names) > 0
    error_message = "create_budget_action needs at least one target in action_target_role_names or action_target_group_names."
  }
}

variable "deny_bedrock_inference" {
  description = "The budget action's deny policy also denies Bedrock inference (InvokeModel*, Converse*, agents, flows, RetrieveAndGenerate): on-demand tokens are a GenAI account's largest variable cost."
  type        = bool
  default     = true
}

variable "denied_instance_families" {
  description = "Accelerated instance family prefixes denied by the budget action policy (EC2 types and SageMaker ml.* types)."
  type        = list(string)
  default     = ["inf", "trn", "p", "g"]

  validation {
    condition     = length(var.denied_instance_families) > 0 && alltrue([for f in var.denied_instance_families : can(regex("^[a-z]{1,4}[0-9]{0,2}$", f))])
    error_message = "denied_instance_families must be lowercase instance family prefixes such as inf, trn, p, g, p5."
  }
}

variable "create_anomaly_detection" {
  description = "Create a Cost Anomaly Detection monitor (DIMENSIONAL / SERVICE) and subscriptions to the same subscribers. AWS allows one such monitor per account."
  type        = bool
  default     = true
}

variable "anomaly_threshold_amount" {
  description = "Alert when an anomaly's total impact is at least this many USD."
  type        = number
  default     = 100

  validation {
    condition     = var.anomaly_threshold_amount > 0
    error_message = "anomaly_threshold_amount must be greater than 0."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
