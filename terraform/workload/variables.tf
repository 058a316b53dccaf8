# ---------------------------------------------------------------------------------------
# Account, region and how Terraform reaches the member account
# ---------------------------------------------------------------------------------------
variable "environment" {
  description = "Environment name of this workload account (dev, test, staging, prod). Drives naming and the non-prod cost guard-rails."
  type        = string

  validation {
    condition     = contains(["dev", "test", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, test, staging, prod."
  }
}

variable "name" {
  description = "Name prefix of every resource; the environment is appended (genai -> genai-dev)."
  type        = string
  default     = "genai"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name must be 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the workload (must be one of the organisation's approved regions)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "partition" {
  description = "AWS partition of the member account (used only to build the assume_role ARN)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-us-gov", "aws-cn"], var.partition)
    error_message = "partition must be aws, aws-us-gov or aws-cn."
  }
}

variable "account_id" {
  description = "The environment's member account id (12 digits): the provider assumes assume_role_name in it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "assume_role_name" {
  description = "Role the provider assumes in the member account: genai-lz-deployer, created in every member account by the organization's account-baseline StackSet and scoped to what the landing zone manages (not exempt from the SCPs). null = use the ambient credentials as they are (a pipeline already running in the member account)."
  type        = string
  default     = "genai-lz-deployer"

  validation {
    condition     = var.assume_role_name == null || can(regex("^[\\w+=,.@-]{1,64}$", coalesce(var.assume_role_name, "x")))
    error_message = "assume_role_name must be a valid IAM role name (1-64 characters of letters, digits and +=,.@_-)."
  }
}

variable "offline_plan" {
  description = "Plan with fake credentials and no network: skips the provider's STS/metadata calls and the assume_role. Set only by `make plan TARGET=offline`; such a plan is for checks, never for apply."
  type        = bool
  default     = false
}

variable "local_emulator" {
  description = "Leave out the resources the local AWS emulator (moto) cannot create: Bedrock guardrail, SageMaker domain and endpoint (auto scaling), budgets, budget action, cost anomaly detection, Security Hub, IAM Access Analyzer, GuardDuty detector features, the S3 account public access block. Set only for the TARGET=local apply (`make demo`); the checked plans always keep them."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags on every resource (provider default_tags). Must contain non-empty project, environment (equal to var.environment), owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for k in ["project", "environment", "owner", "cost-center"] : length(trimspace(lookup(var.tags, k, ""))) > 0])
    error_message = "tags must contain non-empty values for project, environment, owner and cost-center."
  }

  validation {
    condition     = lookup(var.tags, "environment", "") == var.environment
    error_message = "tags.environment must equal var.environment."
  }
}

# ---------------------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------------------
variable "vpc_cidr" {
  description = "CIDR of the workload VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block."
  }
}

variable "azs" {
  description = "Availability zones of the workload (taken from here so that plans need no AWS API call)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]

  validation {
    condition     = length(var.azs) >= 2
    error_message = "azs must list at least two availability zones."
  }
}

variable "az_ids" {
  description = "Availability zone IDs of the workload (e.g. use1-az4): the same physical zones in every account, which is what trn1/inf2 capacity is tied to. Takes precedence over azs; empty = use azs."
  type        = list(string)
  default     = []
}

variable "create_public_subnets" {
  description = "Create public subnets and an internet gateway (only needed for NAT egress)."
  type        = bool
  default     = false
}

variable "enable_nat_gateway" {
  description = "Create NAT gateways for internet egress from the private subnets (requires create_public_subnets)."
  type        = bool
  default     = false
}

variable "log_retention_in_days" {
  description = "Retention of the VPC flow logs, Bedrock invocation logs and security logs (CloudWatch Logs allowed values)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

# ---------------------------------------------------------------------------------------
# Bedrock
# ---------------------------------------------------------------------------------------
variable "allowed_model_ids" {
  description = "Bedrock foundation model ids this workload may invoke (must be approved in policies/params.yaml)."
  type        = list(string)

  validation {
    condition     = length(var.allowed_model_ids) > 0 && alltrue([for m in var.allowed_model_ids : can(regex("^[a-z0-9-]+\\.[a-zA-Z0-9.:_-]+$", m))])
    error_message = "allowed_model_ids must be a non-empty list of Bedrock model ids such as anthropic.claude-3-haiku-20240307-v1:0."
  }
}

variable "allowed_inference_profiles" {
  description = "Cross-Region (system) inference profiles this workload may invoke, with their destination Regions, e.g. { id = \"us.anthropic.claude-3-7-sonnet-20250219-v1:0\", destination_regions = [\"us-east-1\", \"us-east-2\", \"us-west-2\"] }. The model must be approved in policies/params.yaml; the destination Regions must be allowed by the organization's Region SCP."
  type = list(object({
    id                  = string
    destination_regions = list(string)
  }))
  default = []
}

variable "allow_global_inference_profiles" {
  description = "Allow global. inference profiles (requests processed in any commercial Region). Off for data residency."
  type        = bool
  default     = false
}

variable "guardrail_exempt_model_ids" {
  description = "Approved models invoked without the guardrail: embedding models only (they return vectors, not text a guardrail filters)."
  type        = list(string)
  default     = []
}

variable "guardrail_filter_strength" {
  description = "Strength of the Bedrock guardrail content filters (LOW, MEDIUM, HIGH)."
  type        = string
  default     = "HIGH"

  validation {
    condition     = contains(["LOW", "MEDIUM", "HIGH"], var.guardrail_filter_strength)
    error_message = "guardrail_filter_strength must be LOW, MEDIUM or HIGH."
  }
}

# ---------------------------------------------------------------------------------------
# SageMaker
# ---------------------------------------------------------------------------------------
variable "create_sagemaker_domain" {
  description = "Create the SageMaker Studio domain (VPC only)."
  type        = bool
  default     = true
}

variable "create_sagemaker_endpoint" {
  description = "Create the real-time inference endpoint."
  type        = bool
  default     = true
}

variable "endpoint_instance_type" {
  description = "Instance type of the SageMaker endpoint."
  type        = string
  default     = "ml.g4dn.xlarge"

  validation {
    condition     = can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", var.endpoint_instance_type))
    error_message = "endpoint_instance_type must be a SageMaker instance type such as ml.g4dn.xlarge."
  }
}

variable "endpoint_gpu_justification" {
  description = "Why the SageMaker endpoint runs on a GPU type rather than Inferentia (tagged as gpu-justification on the endpoint; required by the sustainability rules for GPU types, null for ml.inf2/ml.trn1)."
  type        = string
  default     = null

  validation {
    condition     = var.endpoint_gpu_justification == null || can(regex("^[A-Za-z0-9 _.:/=+@-]{10,256}$", var.endpoint_gpu_justification))
    error_message = "endpoint_gpu_justification must be 10-256 characters of letters, digits, spaces and _ . : / = + - @ (AWS tag value characters)."
  }
}

variable "endpoint_capacity" {
  description = "Initial, minimum and maximum instance count of the SageMaker endpoint (auto scaling; at least 2 instances for availability across AZs)."
  type = object({
    initial = number
    min     = number
    max     = number
  })
  default = { initial = 2, min = 2, max = 4 }

  validation {
    condition     = var.endpoint_capacity.min >= 2 && var.endpoint_capacity.min <= var.endpoint_capacity.initial && var.endpoint_capacity.initial <= var.endpoint_capacity.max
    error_message = "endpoint_capacity must satisfy 2 <= min <= initial <= max."
  }
}

variable "model_image" {
  description = "Inference container image URI of the SageMaker model."
  type        = string
}

variable "model_data_url" {
  description = "S3 URL of the model artefact (s3://<bucket in this account>/<key>.tar.gz), downloaded by SageMaker through the S3 gateway endpoint so the container keeps network isolation. null only with model_network_isolation_off_justification (a container that fetches its model itself)."
  type        = string
  default     = null
}

variable "model_environment" {
  description = "Environment of the serving container (TGI: HF_MODEL_ID = /opt/ml/model for the S3 artefact, SM_NUM_GPUS, MAX_INPUT_TOKENS, MAX_TOTAL_TOKENS)."
  type        = map(string)
  default     = {}
}

variable "model_network_isolation_off_justification" {
  description = "Why the SageMaker model runs without network isolation (e.g. it pulls HF_MODEL_ID from the hub through NAT). null = network isolation on (the default; needs model_data_url)."
  type        = string
  default     = null
}

# ---------------------------------------------------------------------------------------
# Accelerated compute (EKS)
# ---------------------------------------------------------------------------------------
variable "kubernetes_version" {
  description = "Kubernetes version of the EKS cluster; null = the module default. modules/accelerated-compute validates it against the versions in EKS standard support."
  type        = string
  default     = null
}

variable "eks_admin_role_arns" {
  description = "IAM roles of the platform administrators: each gets an EKS access entry with AmazonEKSClusterAdminPolicy (cluster creator admin stays off). At least one, or nobody can apply the device plugins. The roles must exist before the apply."
  type        = list(string)

  validation {
    condition     = length(var.eks_admin_role_arns) > 0 && alltrue([for a in var.eks_admin_role_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "eks_admin_role_arns must list at least one IAM role ARN (the platform admin role)."
  }
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the Auto Scaling service-linked role before the EKS KMS key (whose policy names it). false in an account that already has AWSServiceRoleForAutoScaling."
  type        = bool
  default     = true
}

variable "create_eks_system_node_group" {
  description = "Create the small untainted system node group (CoreDNS and controllers do not tolerate the Neuron taint)."
  type        = bool
  default     = true
}

variable "eks_system_node_group" {
  description = "System node group sizing (general purpose x86 types). Unset attributes take the module defaults."
  type = object({
    instance_types = optional(list(string))
    min_size       = optional(number)
    desired_size   = optional(number)
    max_size       = optional(number)
  })
  default = {}
}

variable "training_zone" {
  description = "Zone (an AZ ID from az_ids, or an AZ name from azs) whose private subnet holds the training node group: where the account's trn1 capacity (quota, reservation, capacity block) is. null = the first zone."
  type        = string
  default     = null

  validation {
    condition     = var.training_zone == null || contains(length(var.az_ids) > 0 ? var.az_ids : var.azs, coalesce(var.training_zone, "-"))
    error_message = "training_zone must be one of az_ids (or azs when az_ids is empty)."
  }
}

variable "eks_bedrock_service_account" {
  description = "Kubernetes namespace and service account whose pods get the Bedrock invoke policy through EKS Pod Identity."
  type = object({
    namespace = string
    name      = string
  })
  default = { namespace = "genai", name = "bedrock-invoke" }
}

variable "create_inference_node_group" {
  description = "Create the Inferentia inference node group."
  type        = bool
  default     = true
}

variable "inference_node_group" {
  description = "Inference node group sizing (Inferentia instance types). Unset attributes take the module defaults."
  type = object({
    instance_types = optional(list(string))
    min_size       = optional(number)
    desired_size   = optional(number)
    max_size       = optional(number)
  })
  default = {}
}

variable "create_training_node_group" {
  description = "Create the Trainium training node group."
  type        = bool
  default     = false
}

variable "training_node_group" {
  description = "Training node group sizing (Trainium instance types). capacity_type null = SPOT outside prod, ON_DEMAND in prod."
  type = object({
    instance_types = optional(list(string))
    min_size       = optional(number)
    desired_size   = optional(number)
    max_size       = optional(number)
    capacity_type  = optional(string)
    enable_efa     = optional(bool)
  })
  default = {}
}

# ---------------------------------------------------------------------------------------
# Cost guard-rails
# ---------------------------------------------------------------------------------------
variable "monthly_budget_usd" {
  description = "Monthly cost budget of the account in USD."
  type        = number

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be positive."
  }
}

variable "budget_thresholds" {
  description = "Budget notification thresholds in percent of the monthly budget."
  type        = list(number)
  default     = [50, 80, 100]

  validation {
    condition     = length(var.budget_thresholds) > 0 && alltrue([for t in var.budget_thresholds : t > 0 && t <= 500])
    error_message = "budget_thresholds must be percentages between 0 (exclusive) and 500."
  }
}

variable "budget_notification_emails" {
  description = "E-mail addresses notified by the budget and the cost anomaly monitor."
  type        = list(string)

  validation {
    condition     = length(var.budget_notification_emails) > 0 && alltrue([for e in var.budget_notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "budget_notification_emails must be a non-empty list of e-mail addresses."
  }
}

variable "budget_action_threshold" {
  description = "Percent of the budget at which the non-prod budget action attaches the deny policy to the workload roles."
  type        = number
  default     = 100

  validation {
    condition     = var.budget_action_threshold > 0 && var.budget_action_threshold <= 500
    error_message = "budget_action_threshold must be between 0 (exclusive) and 500."
  }
}

variable "budget_action_role_names" {
  description = "Existing IAM roles that humans and pipelines use in this account (the deploy role, Identity Center roles AWSReservedSSO_<permission set>_<suffix>): the non-prod budget action attaches its deny policy to them, besides the Bedrock invoke role and the SageMaker execution role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.budget_action_role_names : can(regex("^[\\w+=,.@-]{1,64}$", r))])
    error_message = "budget_action_role_names must be IAM role names (not ARNs)."
  }
}

variable "anomaly_threshold_usd" {
  description = "Absolute cost impact in USD above which a cost anomaly is notified."
  type        = number
  default     = 100

  validation {
    condition     = var.anomaly_threshold_usd > 0
    error_message = "anomaly_threshold_usd must be positive."
  }
}

# ---------------------------------------------------------------------------------------
# Security baseline
# ---------------------------------------------------------------------------------------
variable "organization_security_services" {
  description = "The organization runs the detective controls for this account: GuardDuty, Security Hub and IAM Access Analyzer from the audit account's organization configuration (auto-enable), the AWS Config recorder from the account-baseline StackSet, the trail from the organization trail. The account then enables none of them itself (no conflict with auto-enable). false = a standalone account that enables them on its own."
  type        = bool
  default     = true
}

variable "log_archive" {
  description = "The organization's log archive (terraform/log-archive outputs): account_id, bucket_name, kms_key_arn. The Bedrock invocation log bucket replicates into it (Bedrock itself delivers only within the account). null = a standalone account whose invocation logs stay in the account."
  type = object({
    account_id  = string
    bucket_name = string
    kms_key_arn = string
  })
  default = null
}

variable "create_account_trail" {
  description = "Keep a trail of the account's own (beside the organization trail). Off by default: the organization trail already logs the account's management and Bedrock data events into the log archive."
  type        = bool
  default     = false
}
