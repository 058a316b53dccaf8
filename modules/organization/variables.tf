variable "create" {
  description = "Create the module's resources. Set to false to disable the whole module."
  type        = bool
  default     = true
}

variable "create_organization" {
  description = "Create the AWS Organization (feature set ALL, SCP and tag policies enabled). When false the module builds on the existing organization whose root is root_id."
  type        = bool
  default     = true
}

variable "root_id" {
  description = "Root id (r-xxxx) of an existing organization. Required when create_organization is false; ignored otherwise."
  type        = string
  default     = null

  validation {
    condition     = var.root_id == null || can(regex("^r-[0-9a-z]{4,32}$", var.root_id))
    error_message = "root_id must look like r-ab12."
  }

  validation {
    condition     = var.create_organization || var.root_id != null
    error_message = "root_id is required when create_organization is false."
  }
}

variable "organization_id" {
  description = "Id (o-xxxxxxxxxx) of an existing organization, echoed in the organization_id output when create_organization is false."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abcd123456."
  }
}

variable "aws_service_access_principals" {
  description = "Service principals with trusted access to the organization (organization trail, Config aggregation, GuardDuty / Security Hub delegated administration, ...)."
  type        = list(string)
  default = [
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
    "sso.amazonaws.com",
    "tagpolicies.tag.amazonaws.com",
  ]

  validation {
    condition     = alltrue([for p in var.aws_service_access_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p))])
    error_message = "aws_service_access_principals must be service principals ending in .amazonaws.com."
  }
}

variable "accounts" {
  description = "Member accounts keyed by a short id: email, ou (security, infrastructure, workloads, dev, prod, sandbox), optional name (defaults to the key), role_name, close_on_deletion, iam_user_access_to_billing, tags."
  type = map(object({
    email                      = string
    ou                         = string
    name                       = optional(string)
    role_name                  = optional(string, "OrganizationAccountAccessRole")
    close_on_deletion          = optional(bool, false)
    iam_user_access_to_billing = optional(string, "DENY")
    tags                       = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for k, a in var.accounts : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$", a.email))])
    error_message = "Every account email must be a valid email address."
  }

  validation {
    condition     = length(distinct([for k, a in var.accounts : lower(a.email)])) == length(var.accounts)
    error_message = "Account emails must be unique."
  }

  validation {
    condition     = alltrue([for k, a in var.accounts : contains(["security", "infrastructure", "workloads", "dev", "prod", "sandbox"], a.ou)])
    error_message = "Every account ou must be one of: security, infrastructure, workloads, dev, prod, sandbox."
  }

  validation {
    condition     = alltrue([for k, a in var.accounts : can(regex("^[\\w+=,.@-]{1,64}$", a.role_name)) && contains(["ALLOW", "DENY"], a.iam_user_access_to_billing)])
    error_message = "role_name must be a valid IAM role name and iam_user_access_to_billing ALLOW or DENY."
  }
}

variable "approved_regions" {
  description = "Regions member accounts may use; every other region is denied by SCP (global services excepted)."
  type        = list(string)
  default     = ["us-east-1", "us-west-2"]

  validation {
    condition     = length(var.approved_regions) > 0 && alltrue([for r in var.approved_regions : can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", r))])
    error_message = "approved_regions must be a non-empty list of region names such as us-east-1 or eu-central-1."
  }
}

variable "approved_model_ids" {
  description = "Amazon Bedrock foundation model ids (e.g. anthropic.claude-3-5-sonnet-20240620-v1:0) that may be invoked, directly or through a cross-region inference profile. Every other model is denied by SCP."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.approved_model_ids : can(regex("^[a-z0-9-]+\\.[A-Za-z0-9._:-]+$", m))])
    error_message = "approved_model_ids must be Bedrock model ids of the form provider.model-name[:version]."
  }
}

variable "inference_profile_geographies" {
  description = "Geography prefixes of the system-defined cross-region inference profiles (<geo>.<model id>) that may be invoked for an approved model; add \"global\" only to allow world-wide routing. Keep equal to policies/params.yaml inference_profile_geographies (a test checks it)."
  type        = list(string)
  default     = ["us", "eu", "apac"]

  validation {
    condition     = alltrue([for g in var.inference_profile_geographies : can(regex("^[a-z][a-z-]*$", g))])
    error_message = "inference_profile_geographies must be geography prefixes such as us, eu, apac (or global)."
  }
}

variable "required_tags" {
  description = "Cost-allocation tag keys standardised by the tag policy."
  type        = list(string)
  default     = ["project", "environment", "owner", "cost-center"]

  validation {
    condition     = length(var.required_tags) > 0 && alltrue([for t in var.required_tags : can(regex("^[a-z][a-z0-9:_./=+@-]{0,127}$", t))])
    error_message = "required_tags must be lowercase tag keys (1-128 characters)."
  }
}

variable "create_scps" {
  description = "Create and attach the service control policies."
  type        = bool
  default     = true

  validation {
    condition     = !var.create_scps || length(var.approved_model_ids) > 0
    error_message = "approved_model_ids must list at least one model when create_scps is true (an empty list would deny every Bedrock model)."
  }
}

variable "scp_exempt_role_arn_patterns" {
  description = "Role ARN patterns (aws:PrincipalARN, wildcards allowed) allowed to change CloudTrail / GuardDuty / Config despite the protect-security-services SCP, e.g. the pipeline role."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]

  validation {
    condition     = alltrue([for a in var.scp_exempt_role_arn_patterns : can(regex("^arn:aws[a-zA-Z-]*:iam::(\\*|[0-9]{12}):role/.+$", a))])
    error_message = "scp_exempt_role_arn_patterns must be IAM role ARN patterns."
  }
}

variable "denied_instance_families" {
  description = "Accelerated instance family prefixes denied in the Sandbox OU (EC2 and SageMaker ml.*)."
  type        = list(string)
  default     = ["inf", "trn", "p", "g"]

  validation {
    condition     = length(var.denied_instance_families) > 0 && alltrue([for f in var.denied_instance_families : can(regex("^[a-z]{1,4}[0-9]{0,2}$", f))])
    error_message = "denied_instance_families must be lowercase instance family prefixes such as inf, trn, p, g."
  }
}

variable "create_tag_policy" {
  description = "Create the tag policy standardising required_tags and attach it to the root."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
