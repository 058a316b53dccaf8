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
  description = "AWS account id (12 digits) the VPC lives in; used in ARNs, the KMS key policy and endpoint policies."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "cidr" {
  description = "IPv4 CIDR block of the VPC (prefix /16 to /24). Subnets are carved as /(prefix+4) blocks."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition = (
      can(cidrnetmask(var.cidr)) &&
      tonumber(split("/", var.cidr)[1]) >= 16 &&
      tonumber(split("/", var.cidr)[1]) <= 24 &&
      cidrhost(var.cidr, 0) == split("/", var.cidr)[0]
    )
    error_message = "cidr must be a valid IPv4 network address with a prefix between /16 and /24 (e.g. 10.0.0.0/16)."
  }
}

variable "azs" {
  description = "Availability zone names to spread the subnets over (2 to 8, distinct, all in the provider's region). Ignored when az_ids is set. A name maps to a different physical zone in each account: use az_ids for capacity-constrained instance types (trn1, inf2)."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 8 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list between 2 and 8 distinct availability zones."
  }

  validation {
    condition     = alltrue([for az in var.azs : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", az))])
    error_message = "Every entry of azs must be an availability zone name such as us-east-1a."
  }
}

variable "az_ids" {
  description = "Availability zone IDs (e.g. [\"use1-az4\", \"use1-az6\"]) to spread the subnets over: 2 to 8, distinct, in the provider's region. An AZ ID names the same physical zone in every account, so pick the IDs where your trn1/inf2 capacity (quota, reservations, capacity blocks) is. Takes precedence over azs; empty = use azs."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.az_ids) == 0 || (length(var.az_ids) >= 2 && length(var.az_ids) <= 8 && length(distinct(var.az_ids)) == length(var.az_ids))
    error_message = "az_ids must be empty or list between 2 and 8 distinct availability zone IDs."
  }

  validation {
    condition     = alltrue([for id in var.az_ids : can(regex("^[a-z]{2,5}[0-9]+(-[a-z]+)?-az[0-9]+$", id))])
    error_message = "Every entry of az_ids must be an availability zone ID such as use1-az4 or euw1-az2 (aws ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneId')."
  }
}

variable "create_public_subnets" {
  description = "Create one public subnet per AZ and an internet gateway. Off by default: the workload VPC is private only."
  type        = bool
  default     = false
}

variable "enable_nat_gateway" {
  description = "Create one NAT gateway per AZ (in the public subnets) and a default route from each private route table. Requires create_public_subnets."
  type        = bool
  default     = false

  validation {
    condition     = !var.enable_nat_gateway || var.create_public_subnets
    error_message = "enable_nat_gateway requires create_public_subnets = true."
  }
}

variable "interface_endpoints" {
  description = <<-EOT
    PrivateLink interface endpoints, keyed by a short name. Each entry gives exactly one of
    `service` (short name, becomes com.amazonaws.<region>.<service>) or `service_name` (full name,
    e.g. aws.sagemaker.<region>.studio). `policy` (JSON) overrides the generated endpoint policy;
    `attach_policy = false` attaches none (for a service that does not support endpoint policies).
    The defaults are what Bedrock, SageMaker and a private EKS cluster need: nodes join and pull
    images through ec2 (VPC CNI, node DNS name), eks, eks-auth (EKS Pod Identity), sts, ecr.api,
    ecr.dkr (and the S3 gateway endpoint for the image layers), logs; the Kubernetes Cluster
    Autoscaler of modules/accelerated-compute scales the node groups through autoscaling (and
    reads instance types through ec2, node groups through eks).
  EOT
  type = map(object({
    service             = optional(string)
    service_name        = optional(string)
    private_dns_enabled = optional(bool, true)
    policy              = optional(string)
    attach_policy       = optional(bool, true)
  }))
  default = {
    "bedrock"               = { service = "bedrock" }
    "bedrock-runtime"       = { service = "bedrock-runtime" }
    "bedrock-agent"         = { service = "bedrock-agent" }
    "bedrock-agent-runtime" = { service = "bedrock-agent-runtime" }
    "sagemaker.api"         = { service = "sagemaker.api" }
    "sagemaker.runtime"     = { service = "sagemaker.runtime" }
    "sts"                   = { service = "sts" }
    "logs"                  = { service = "logs" }
    "kms"                   = { service = "kms" }
    "ecr.api"               = { service = "ecr.api" }
    "ecr.dkr"               = { service = "ecr.dkr" }
    "ec2"                   = { service = "ec2" }
    "eks"                   = { service = "eks" }
    "eks-auth"              = { service = "eks-auth" }
    "autoscaling"           = { service = "autoscaling" }
  }

  validation {
    condition     = alltrue([for k, v in var.interface_endpoints : (v.service == null) != (v.service_name == null)])
    error_message = "Each interface_endpoints entry must set exactly one of service or service_name."
  }

  validation {
    condition = alltrue([for k, v in var.interface_endpoints :
      v.service == null || can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", coalesce(v.service, "x")))
    ])
    error_message = "interface_endpoints[*].service must be a short service name such as bedrock-runtime or ecr.api."
  }

  validation {
    condition = alltrue([for k, v in var.interface_endpoints :
      v.service_name == null || can(regex("^(com\\.amazonaws|aws\\.[a-z0-9-]+)\\.[a-z]{2}(-gov)?-[a-z]+-[0-9]\\.[a-z0-9.-]+$", coalesce(v.service_name, "x")))
    ])
    error_message = "interface_endpoints[*].service_name must be a full service name such as com.amazonaws.us-east-1.bedrock-runtime or aws.sagemaker.us-east-1.studio."
  }

  validation {
    condition     = alltrue([for k, v in var.interface_endpoints : v.policy == null || can(jsondecode(coalesce(v.policy, "{}")))])
    error_message = "interface_endpoints[*].policy must be a JSON policy document."
  }
}

variable "endpoint_policies" {
  description = "Endpoint policies (JSON) by interface_endpoints key, overriding the generated policy without restating the endpoint list, e.g. the bedrock module's vpc_endpoint_policies output for bedrock-runtime and bedrock-agent-runtime. An entry's own `policy` in interface_endpoints wins over this map."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.endpoint_policies : can(jsondecode(v))])
    error_message = "endpoint_policies values must be JSON policy documents."
  }
}

variable "bedrock_model_arns" {
  description = "Approved Bedrock model ARNs (foundation models or inference profiles). The bedrock-runtime and bedrock-agent-runtime endpoint policies allow InvokeModel* (and so Converse*) only on these."
  type        = list(string)

  validation {
    condition     = alltrue([for a in var.bedrock_model_arns : can(regex("^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:([0-9]{12})?:(foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model|imported-model)/.+$", a))])
    error_message = "Every bedrock_model_arns entry must be a Bedrock model ARN, e.g. arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0."
  }

  validation {
    condition = length(var.bedrock_model_arns) > 0 || !anytrue([for k, v in var.interface_endpoints :
      v.policy == null && can(regex("(^|\\.)bedrock(-agent)?-runtime$", coalesce(v.service_name, v.service)))
    ])
    error_message = "bedrock_model_arns must not be empty while a bedrock-runtime or bedrock-agent-runtime endpoint uses the generated policy."
  }
}

variable "s3_gateway_allow_ecr_layer_bucket" {
  description = "Let the generated S3 gateway endpoint policy allow s3:GetObject on the regional ECR layer bucket (prod-<region>-starport-layer-bucket). ECR serves image layers through presigned URLs signed by an ECR-owned principal, so without it no image can be pulled from ECR through the gateway endpoint."
  type        = bool
  default     = true
}

variable "s3_gateway_aws_owned_object_arns" {
  description = "More AWS-owned S3 object ARNs the generated S3 gateway endpoint policy lets anyone read (s3:GetObject), e.g. arn:aws:s3:::al2023-repos-us-east-1-de612dc2/* for AL2023 packages. See aws-samples/data-perimeter-policy-examples for the list per service."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.s3_gateway_aws_owned_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+$", a))])
    error_message = "s3_gateway_aws_owned_object_arns must be S3 object ARNs such as arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*."
  }
}

variable "s3_gateway_endpoint_policy" {
  description = "JSON policy of the S3 gateway endpoint. null = allow principals of this account (aws:PrincipalAccount) and reads of the AWS-owned buckets above (the ECR layer bucket by default). Anonymous downloads (e.g. public OS package repositories in S3) need an override or s3_gateway_aws_owned_object_arns."
  type        = string
  default     = null

  validation {
    condition     = var.s3_gateway_endpoint_policy == null || can(jsondecode(coalesce(var.s3_gateway_endpoint_policy, "{}")))
    error_message = "s3_gateway_endpoint_policy must be a JSON policy document."
  }
}

variable "flow_log_retention_in_days" {
  description = "Retention of the VPC flow log group, in days (a CloudWatch Logs retention value; 365 or more is recommended for audit)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "flow_log_kms_key_arn" {
  description = "ARN of an existing KMS key for the flow log group. null = the module creates a CMK with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.flow_log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.flow_log_kms_key_arn, "x")))
    error_message = "flow_log_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "flow_log_max_aggregation_interval" {
  description = "Maximum interval (seconds) during which a flow of packets is captured into a flow log record: 60 or 600."
  type        = number
  default     = 60

  validation {
    condition     = contains([60, 600], var.flow_log_max_aggregation_interval)
    error_message = "flow_log_max_aggregation_interval must be 60 or 600."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource."
  type        = map(string)
  default     = {}
}
