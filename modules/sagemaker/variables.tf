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
  description = "AWS account id (12 digits) of the workload account; used in ARNs of the execution role policy."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the domain, the security group and the endpoint's model run in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC; the security group allows HTTPS egress to it (the interface endpoints) only."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr_block)) && var.vpc_cidr_block != "0.0.0.0/0"
    error_message = "vpc_cidr_block must be the VPC's IPv4 CIDR block (not 0.0.0.0/0)."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs (at least 2, in different AZs) for the domain and the endpoint's model. Changing them replaces the domain."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must list at least 2 distinct subnets."
  }

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "Every subnet_ids entry must be a subnet id such as subnet-0123456789abcdef0."
  }
}

variable "create_s3_egress_rule" {
  description = "Allow HTTPS egress from the security group to S3 (the s3_prefix_list_id prefix list, through the gateway endpoint): model artifacts, ECR image layers, training data. A plan-time switch, so that the prefix list id may be known only after apply (network module output)."
  type        = bool
  default     = false
}

variable "s3_prefix_list_id" {
  description = "ID of the S3 prefix list (network module output s3_prefix_list_id, known after apply when the endpoint is created in the same plan). Required when create_s3_egress_rule; only its value, never its presence, decides the rule."
  type        = string
  default     = null

  validation {
    condition     = var.s3_prefix_list_id == null || can(regex("^pl-[0-9a-f]{8,17}$", coalesce(var.s3_prefix_list_id, "x")))
    error_message = "s3_prefix_list_id must be a prefix list id such as pl-63a5400a."
  }
}

variable "create_domain" {
  description = "Create the SageMaker Studio domain (VpcOnly). The local emulator does not support domains."
  type        = bool
  default     = true
}

variable "create_user_profiles" {
  description = "Studio user profiles to create in the domain, keyed by user profile name. execution_role_arn defaults to the module's execution role. Empty = none."
  type = map(object({
    execution_role_arn = optional(string)
    tags               = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for k, v in var.create_user_profiles : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", k))])
    error_message = "create_user_profiles keys must be valid user profile names (alphanumerics and hyphens, at most 63 characters)."
  }

  validation {
    condition = alltrue([for k, v in var.create_user_profiles :
      v.execution_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", coalesce(v.execution_role_arn, "x")))
    ])
    error_message = "create_user_profiles[*].execution_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = length(var.create_user_profiles) == 0 || var.create_domain
    error_message = "create_user_profiles needs create_domain = true."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the domain's EFS/EBS volumes and the endpoint's storage. null = the module creates a CMK with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "studio_idle_timeout_in_minutes" {
  description = "Idle time after which JupyterLab and Code Editor apps shut down (60-525600)."
  type        = number
  default     = 60

  validation {
    condition     = var.studio_idle_timeout_in_minutes >= 60 && var.studio_idle_timeout_in_minutes <= 525600
    error_message = "studio_idle_timeout_in_minutes must be between 60 and 525600."
  }
}

variable "execution_role_s3_bucket_names" {
  description = "S3 buckets the execution role may read and write (objects) besides the SageMaker default bucket sagemaker-<region>-<account_id> and the model_data_url bucket."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.execution_role_s3_bucket_names : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "execution_role_s3_bucket_names must be S3 bucket names."
  }
}

variable "execution_role_ecr_repository_arns" {
  description = "ECR repository ARNs the execution role may pull from, besides the repository of model_image."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.execution_role_ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])
    error_message = "execution_role_ecr_repository_arns must be ECR repository ARNs."
  }
}

variable "create_endpoint" {
  description = "Create a real-time inference endpoint (model, endpoint configuration, endpoint, auto scaling)."
  type        = bool
  default     = false

  validation {
    condition     = !var.create_endpoint || var.model_image != null
    error_message = "create_endpoint = true needs model_image."
  }

  # The serving container needs a model: an S3 artifact that SageMaker downloads for it (works with
  # network isolation), or a hub id the container fetches itself (needs network access).
  validation {
    condition     = !var.create_endpoint || var.model_data_url != null || (lookup(var.model_environment, "HF_MODEL_ID", "") != "" && !var.enable_network_isolation)
    error_message = "create_endpoint = true needs a model source: model_data_url (an S3 artifact in the account, downloaded through the S3 gateway endpoint; works with network isolation), or model_environment.HF_MODEL_ID with enable_network_isolation = false and network_isolation_off_justification."
  }
}

variable "endpoint_instance_type" {
  description = "Instance type of the endpoint's production variant (ml.* family; the default is AWS Inferentia2)."
  type        = string
  default     = "ml.inf2.xlarge"

  validation {
    condition     = can(regex("^ml\\.[a-z0-9]+\\.[a-z0-9]+$", var.endpoint_instance_type))
    error_message = "endpoint_instance_type must be a SageMaker instance type starting with \"ml.\", e.g. ml.inf2.xlarge."
  }
}

variable "endpoint_initial_instance_count" {
  description = "Initial instance count of the endpoint (at least 2, so the endpoint spans AZs)."
  type        = number
  default     = 2

  validation {
    condition     = var.endpoint_initial_instance_count >= 2 && floor(var.endpoint_initial_instance_count) == var.endpoint_initial_instance_count
    error_message = "endpoint_initial_instance_count must be a whole number of at least 2."
  }
}

variable "endpoint_min_capacity" {
  description = "Minimum instance count of the endpoint's auto scaling (at least 2)."
  type        = number
  default     = 2

  validation {
    condition     = var.endpoint_min_capacity >= 2 && floor(var.endpoint_min_capacity) == var.endpoint_min_capacity
    error_message = "endpoint_min_capacity must be a whole number of at least 2."
  }

  validation {
    condition     = var.endpoint_min_capacity <= var.endpoint_initial_instance_count
    error_message = "endpoint_min_capacity must not exceed endpoint_initial_instance_count."
  }
}

variable "endpoint_max_capacity" {
  description = "Maximum instance count of the endpoint's auto scaling (>= endpoint_min_capacity and >= endpoint_initial_instance_count)."
  type        = number
  default     = 4

  validation {
    condition     = var.endpoint_max_capacity >= var.endpoint_min_capacity && var.endpoint_max_capacity >= var.endpoint_initial_instance_count && floor(var.endpoint_max_capacity) == var.endpoint_max_capacity
    error_message = "endpoint_max_capacity must be a whole number >= endpoint_min_capacity and >= endpoint_initial_instance_count."
  }
}

variable "endpoint_invocations_per_instance_target" {
  description = "Target of the SageMakerVariantInvocationsPerInstance target-tracking policy (invocations per instance per minute)."
  type        = number
  default     = 100

  validation {
    condition     = var.endpoint_invocations_per_instance_target > 0
    error_message = "endpoint_invocations_per_instance_target must be positive."
  }
}

variable "model_image" {
  description = "ECR image URI of the inference container (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag> or @sha256:<digest>). Required when create_endpoint."
  type        = string
  default     = null

  validation {
    condition     = var.model_image == null || can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", coalesce(var.model_image, "x")))
    error_message = "model_image must be an ECR image URI with a tag or digest, e.g. 763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4-neuronx."
  }
}

variable "model_data_url" {
  description = "S3 URL of the model artifacts (s3://bucket/key.tar.gz) that SageMaker downloads into /opt/ml/model through the VPC (S3 gateway endpoint) before the container starts. The model source that works with network isolation (TGI: set model_environment.HF_MODEL_ID = \"/opt/ml/model\")."
  type        = string
  default     = null

  validation {
    condition     = var.model_data_url == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", coalesce(var.model_data_url, "x")))
    error_message = "model_data_url must be an S3 URL such as s3://my-bucket/models/model.tar.gz."
  }
}

variable "model_environment" {
  description = "Environment variables of the inference container, e.g. for TGI: HF_MODEL_ID (/opt/ml/model with model_data_url, or a hub id), SM_NUM_GPUS, MAX_INPUT_TOKENS, MAX_TOTAL_TOKENS; for Neuron TGI also HF_NUM_CORES, HF_AUTO_CAST_TYPE, MAX_BATCH_SIZE."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.model_environment : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", k)) && length(k) <= 1024 && length(v) <= 1024])
    error_message = "model_environment keys must be environment variable names and values at most 1024 characters (SageMaker limits)."
  }

  validation {
    condition     = !anytrue([for k in keys(var.model_environment) : can(regex("(?i)(^|_)(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY)$", k))])
    error_message = "model_environment must not carry secrets (keys like HF_TOKEN, *_SECRET, *_PASSWORD): they would be stored in plain text in the model and the plan. Put the model in S3 (model_data_url) instead."
  }
}

variable "enable_network_isolation" {
  description = "Run the model container with network isolation (no outbound network access at all). Keep it with model_data_url; turning it off (for a container that downloads its model, HF_MODEL_ID = a hub id) needs network_isolation_off_justification and egress (NAT) to reach the hub."
  type        = bool
  default     = true
}

variable "network_isolation_off_justification" {
  description = "Why the model container runs without network isolation (tagged as network-isolation-off-justification on the model). Required when enable_network_isolation = false, refused otherwise."
  type        = string
  default     = null

  validation {
    condition     = (var.network_isolation_off_justification == null) == var.enable_network_isolation
    error_message = "network_isolation_off_justification is required when enable_network_isolation = false, and only then."
  }

  validation {
    condition     = var.network_isolation_off_justification == null || can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]{10,256}$", coalesce(var.network_isolation_off_justification, " ")))
    error_message = "network_isolation_off_justification must be 10-256 AWS tag value characters (letters, digits, spaces and _ . : / = + - @)."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource."
  type        = map(string)
  default     = {}
}

variable "gpu_justification" {
  description = "Why the endpoint needs a GPU instance type (e.g. \"CUDA-only TGI image - Neuron build planned\"; AWS tag value characters only). When set, the serving resources (model, endpoint configuration, endpoint) carry it in the gpu_justification_tag_key tag, documenting a deliberate GPU choice for the LZ-SUS-001 policy. Only valid with a GPU endpoint_instance_type; null = no tag."
  type        = string
  default     = null

  validation {
    condition     = var.gpu_justification == null || (length(trimspace(coalesce(var.gpu_justification, " "))) >= 10 && length(coalesce(var.gpu_justification, " ")) <= 256)
    error_message = "gpu_justification must be a real reason of 10 to 256 characters."
  }

  validation {
    # AWS tag value characters.
    condition     = var.gpu_justification == null || can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$", coalesce(var.gpu_justification, " ")))
    error_message = "gpu_justification may contain only letters, digits, spaces and _ . : / = + - @ (AWS tag value characters)."
  }

  validation {
    condition     = var.gpu_justification == null || can(regex("^ml\\.(p3|p3dn|p4d|p4de|p5|p5e|p5en|g4dn|g4ad|g5|g5g|g6|g6e|gr6)\\.", var.endpoint_instance_type))
    error_message = "gpu_justification is only for GPU endpoint instance types (ml.g4dn, ml.g5, ml.p4d, ...); remove it when the endpoint runs on Inferentia or CPU."
  }
}

variable "gpu_justification_tag_key" {
  description = "Tag key that carries gpu_justification (the policy params accelerators.gpu_justification_tag)."
  type        = string
  default     = "gpu-justification"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.gpu_justification_tag_key)) && !startswith(lower(var.gpu_justification_tag_key), "aws:")
    error_message = "gpu_justification_tag_key must be a valid tag key (1-128 characters, not starting with aws:)."
  }
}

variable "create_alarms" {
  description = "Create CloudWatch alarms on the endpoint (p99 model latency, 5XX errors, instance memory and disk) when create_endpoint is true."
  type        = bool
  default     = true
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

variable "endpoint_alarm_model_latency_p99_ms" {
  description = "Alarm when the endpoint's p99 ModelLatency stays above this many milliseconds for 3 consecutive 5-minute periods (1-3600000)."
  type        = number
  default     = 10000

  validation {
    condition     = var.endpoint_alarm_model_latency_p99_ms >= 1 && var.endpoint_alarm_model_latency_p99_ms <= 3600000
    error_message = "endpoint_alarm_model_latency_p99_ms must be between 1 and 3600000 milliseconds."
  }
}

variable "endpoint_alarm_5xx_errors_threshold" {
  description = "Alarm when at least this many invocations fail with a 5XX error within 5 minutes (whole number >= 1)."
  type        = number
  default     = 5

  validation {
    condition     = var.endpoint_alarm_5xx_errors_threshold >= 1 && floor(var.endpoint_alarm_5xx_errors_threshold) == var.endpoint_alarm_5xx_errors_threshold
    error_message = "endpoint_alarm_5xx_errors_threshold must be a whole number of at least 1."
  }
}

variable "endpoint_alarm_memory_utilization_percent" {
  description = "Alarm when the instances' average memory utilization stays above this percentage for 3 consecutive 5-minute periods (1-99)."
  type        = number
  default     = 90

  validation {
    condition     = var.endpoint_alarm_memory_utilization_percent >= 1 && var.endpoint_alarm_memory_utilization_percent <= 99
    error_message = "endpoint_alarm_memory_utilization_percent must be between 1 and 99."
  }
}

variable "endpoint_alarm_disk_utilization_percent" {
  description = "Alarm when the instances' average disk utilization stays above this percentage for 3 consecutive 5-minute periods (1-99)."
  type        = number
  default     = 85

  validation {
    condition     = var.endpoint_alarm_disk_utilization_percent >= 1 && var.endpoint_alarm_disk_utilization_percent <= 99
    error_message = "endpoint_alarm_disk_utilization_percent must be between 1 and 99."
  }
}
