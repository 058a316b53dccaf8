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
    "config-multiaccountsetup.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
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

variable "enabled_policy_types" {
  description = "Policy types enabled on the root of a created organization: SCPs, RCPs, tag policies and AI services opt-out policies (each policy this module creates needs its type enabled)."
  type        = list(string)
  default     = ["AISERVICES_OPT_OUT_POLICY", "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"]

  validation {
    condition     = alltrue([for t in var.enabled_policy_types : contains(["AISERVICES_OPT_OUT_POLICY", "BACKUP_POLICY", "CHATBOT_POLICY", "DECLARATIVE_POLICY_EC2", "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"], t)])
    error_message = "enabled_policy_types must be Organizations policy types (AISERVICES_OPT_OUT_POLICY, BACKUP_POLICY, CHATBOT_POLICY, DECLARATIVE_POLICY_EC2, RESOURCE_CONTROL_POLICY, SERVICE_CONTROL_POLICY, TAG_POLICY)."
  }
}

variable "break_glass_role_arn_patterns" {
  description = "The only principals (aws:PrincipalARN patterns) the protective SCPs and the region deny let through: a dedicated break-glass role, never the everyday admin role or the genai-lz-deployer role."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/genai-lz-break-glass"]

  validation {
    condition     = length(var.break_glass_role_arn_patterns) > 0 && alltrue([for a in var.break_glass_role_arn_patterns : can(regex("^arn:aws[a-zA-Z-]*:iam::(\\*|[0-9]{12}):role/.+$", a))])
    error_message = "break_glass_role_arn_patterns must be a non-empty list of IAM role ARN patterns."
  }

  validation {
    condition     = !anytrue([for a in var.break_glass_role_arn_patterns : can(regex("(OrganizationAccountAccessRole|genai-lz-deployer|/\\*$)", a))])
    error_message = "break_glass_role_arn_patterns must name a dedicated break-glass role: not OrganizationAccountAccessRole, not the deployer role, not role/*."
  }
}

variable "bedrock_inference_profile_geographies" {
  description = "Geographic prefixes of the Bedrock cross-region inference profiles (us, eu, apac, ...) through which models may be invoked in regions outside approved_regions (the profile's destination regions). global is refused: it routes anywhere."
  type        = list(string)
  default     = ["us"]

  validation {
    condition     = alltrue([for g in var.bedrock_inference_profile_geographies : contains(["us", "us-gov", "eu", "apac", "jp", "au", "ca"], g)])
    error_message = "bedrock_inference_profile_geographies must be geographic inference-profile prefixes (us, us-gov, eu, apac, jp, au, ca); global is not allowed."
  }
}

variable "log_archive_bucket_prefix" {
  description = "Name prefix of the log-archive buckets the protect-logs-and-guardrails SCP protects (deletion, bucket policy deletion, Object Lock governance bypass)."
  type        = string
  default     = "genai-log-archive-"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{2,40}$", var.log_archive_bucket_prefix))
    error_message = "log_archive_bucket_prefix must be 3-41 lowercase letters, digits, dots or hyphens."
  }
}

variable "create_rcps" {
  description = "Create and attach the data-perimeter resource control policy (S3, KMS, STS, SQS, Secrets Manager reachable only from the organization)."
  type        = bool
  default     = true
}

variable "rcp_trusted_account_ids" {
  description = "Accounts outside the organization the data-perimeter RCP still lets in (third parties, e.g. an ELB log delivery account)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.rcp_trusted_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "rcp_trusted_account_ids must be 12-digit account ids."
  }
}

variable "create_ai_opt_out_policy" {
  description = "Create the AI services opt-out policy (default: opt out of every AI service, child policies cannot opt in) and attach it to the root."
  type        = bool
  default     = true
}

variable "tag_policy_allowed_values" {
  description = "Allowed values per required tag key (wildcard suffix allowed, e.g. cc-*); keys not listed accept any value."
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tag_policy_allowed_values : length(v) > 0])
    error_message = "Every tag_policy_allowed_values entry needs at least one value."
  }
}

variable "tag_policy_enforced_for" {
  description = "Resource types (service:type or service:ALL_SUPPORTED, from the Organizations list of types that support enforcement) on which noncompliant tag values are refused."
  type        = list(string)
  default     = ["sagemaker:ALL_SUPPORTED"]

  validation {
    condition     = alltrue([for t in var.tag_policy_enforced_for : can(regex("^[a-z0-9-]+:([a-z0-9-]+|ALL_SUPPORTED)$", t))])
    error_message = "tag_policy_enforced_for entries must look like sagemaker:endpoint or sagemaker:ALL_SUPPORTED."
  }
}

variable "security_admin_account" {
  description = "The audit account: an account key of var.accounts or a 12-digit id. It becomes the delegated administrator of delegated_admin_service_principals. null = no delegation."
  type        = string
  default     = null
}

variable "delegated_admin_service_principals" {
  description = "Services registered with Organizations as delegated to security_admin_account. GuardDuty and Security Hub are designated through their own APIs (modules/regional-admin), not here."
  type        = list(string)
  default     = ["access-analyzer.amazonaws.com", "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"]

  validation {
    condition     = alltrue([for p in var.delegated_admin_service_principals : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", p)) && !contains(["guardduty.amazonaws.com", "securityhub.amazonaws.com"], p)])
    error_message = "delegated_admin_service_principals must be service principals; GuardDuty and Security Hub are designated through modules/regional-admin."
  }
}

variable "create_identity_center" {
  description = "Create the IAM Identity Center permission sets (PlatformAdmin, GenAIDeveloper, DataScientist, Auditor, BillingViewer) and the account assignments."
  type        = bool
  default     = true
}

variable "identity_center_instance_arn" {
  description = "ARN of the organization's IAM Identity Center instance (arn:aws:sso:::instance/ssoins-...). null = look it up (needs AWS); give it for plans without AWS."
  type        = string
  default     = null

  validation {
    condition     = var.identity_center_instance_arn == null || can(regex("^arn:aws[a-zA-Z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$", var.identity_center_instance_arn))
    error_message = "identity_center_instance_arn must look like arn:aws:sso:::instance/ssoins-0123456789abcdef."
  }
}

variable "identity_center_assignments" {
  description = "Assignments of Identity Center groups (or users) to accounts: key => { permission_set (PlatformAdmin, GenAIDeveloper, DataScientist, Auditor, BillingViewer), principal_id (identity store group/user id), principal_type (GROUP or USER), accounts (account keys of var.accounts) }."
  type = map(object({
    permission_set = string
    principal_id   = string
    principal_type = optional(string, "GROUP")
    accounts       = list(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, a in var.identity_center_assignments : contains(["PlatformAdmin", "GenAIDeveloper", "DataScientist", "Auditor", "BillingViewer"], a.permission_set) && contains(["GROUP", "USER"], a.principal_type) && length(a.accounts) > 0])
    error_message = "Every assignment needs a permission_set among PlatformAdmin, GenAIDeveloper, DataScientist, Auditor, BillingViewer, principal_type GROUP or USER, and at least one account."
  }

  validation {
    condition     = alltrue([for k, a in var.identity_center_assignments : can(regex("^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$", a.principal_id))])
    error_message = "principal_id must be an identity store id (a UUID, optionally prefixed by the 10-hex-digit store prefix)."
  }
}

variable "reports_bucket_prefix" {
  description = "Name prefix of the buckets holding genai-lz reports, readable by the Auditor permission set."
  type        = string
  default     = "genai-lz-reports-"
}

variable "create_account_baseline" {
  description = "Deploy the account baseline StackSets (genai-lz-deployer role, AWS Config service-linked role and recorders) to the account_baseline_ous."
  type        = bool
  default     = true
}

variable "account_baseline_ous" {
  description = "OU keys whose accounts (and nested OUs) get the account baseline."
  type        = list(string)
  default     = ["security", "infrastructure", "workloads", "sandbox"]

  validation {
    condition     = alltrue([for k in var.account_baseline_ous : contains(["security", "infrastructure", "workloads", "dev", "prod", "sandbox"], k)])
    error_message = "account_baseline_ous must be OU keys: security, infrastructure, workloads, dev, prod, sandbox."
  }
}

variable "deployer_role_name" {
  description = "Name of the role the landing zone's pipeline assumes in every member account."
  type        = string
  default     = "genai-lz-deployer"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.deployer_role_name))
    error_message = "deployer_role_name must be a valid IAM role name."
  }
}

variable "pipeline_role_arn" {
  description = "The pipeline role (management or deployment account) trusted by the genai-lz-deployer role. Required with create_account_baseline."
  type        = string
  default     = null

  validation {
    condition     = var.pipeline_role_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.pipeline_role_arn))
    error_message = "pipeline_role_arn must be an IAM role ARN."
  }

  validation {
    condition     = !var.create_account_baseline || var.pipeline_role_arn != null
    error_message = "pipeline_role_arn is required when create_account_baseline is true: the genai-lz-deployer role trusts it."
  }
}

variable "log_archive_bucket_name" {
  description = "The central log bucket (log-archive account) the AWS Config recorders deliver to. null = no recorder stack set yet (apply the log-archive root first)."
  type        = string
  default     = null
}

variable "log_archive_kms_key_arn" {
  description = "KMS key of the log-archive bucket, used by the AWS Config delivery channels."
  type        = string
  default     = null

  validation {
    condition     = var.log_archive_kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[a-zA-Z0-9/_-]+$", var.log_archive_kms_key_arn))
    error_message = "log_archive_kms_key_arn must be a KMS key or alias ARN."
  }
}
