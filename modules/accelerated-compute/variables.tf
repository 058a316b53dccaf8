variable "create" {
  description = "Create the module's resources. Set to false to disable the whole module."
  type        = bool
  default     = true
}

variable "cluster_name" {
  description = "Name of the EKS cluster. Also the prefix of the node groups, IAM roles, launch templates and log group."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$", var.cluster_name))
    error_message = "cluster_name must start with a letter, contain only letters, digits and hyphens and be at most 40 characters (node group and IAM role names are derived from it)."
  }
}

variable "account_id" {
  description = "AWS account id (12 digits) the cluster is deployed in; used to build ARNs in the KMS key policy."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be exactly 12 digits."
  }
}

variable "environment" {
  description = "Environment name (lowercase, e.g. dev, staging, prod). Training capacity defaults to SPOT everywhere except \"prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS control plane (major.minor). Must be in EKS standard support (14 months after its EKS release; extended support costs extra per cluster hour): 1.35 until 27 March 2027, 1.36 until 2 August 2027 (aws eks describe-cluster-versions). Update the list in the validation when EKS releases a new version."
  type        = string
  default     = "1.35"
  nullable    = false

  validation {
    condition     = contains(["1.35", "1.36"], var.kubernetes_version)
    error_message = "kubernetes_version must be an EKS version in standard support: 1.35 or 1.36 (1.34 leaves standard support on 2 December 2026, 1.31-1.33 already have; see aws eks describe-cluster-versions)."
  }
}

variable "support_type" {
  description = "EKS upgrade policy support type. STANDARD avoids the extended-support surcharge once the version leaves standard support."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "vpc_id" {
  description = "Id of the VPC the cluster subnets belong to. Used for the EFA security group of the training node group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnet ids (at least two, in different AZs) for the control plane ENIs and the node groups. With EFA, the training group uses only the first subnet (one AZ, cluster placement group)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must contain at least two subnet ids of the form subnet-0123456789abcdef0."
  }
}

variable "endpoint_public_access" {
  description = "Enable the public Kubernetes API endpoint. The private endpoint is always on. Off by default."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the public API endpoint when endpoint_public_access is true. Must be non-empty then, and may not contain 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "public_access_cidrs must be valid CIDR blocks and may not contain 0.0.0.0/0 or ::/0."
  }

  validation {
    condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
    error_message = "public_access_cidrs must list the allowed CIDRs when endpoint_public_access is true (an empty list would default to 0.0.0.0/0)."
  }
}

variable "cluster_additional_security_group_ids" {
  description = "Additional security group ids attached to the control plane ENIs."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.cluster_additional_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "cluster_additional_security_group_ids must be security group ids (sg-...)."
  }
}

variable "node_additional_security_group_ids" {
  description = "Additional security group ids attached to every node (the EKS cluster security group is always attached)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.node_additional_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))])
    error_message = "node_additional_security_group_ids must be security group ids (sg-...)."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for secrets, the log group and node EBS volumes. When null the module creates a customer managed key with rotation."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
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

variable "cluster_log_retention_in_days" {
  description = "Retention of the control plane log group (all log types are enabled)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cluster_log_retention_in_days)
    error_message = "cluster_log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); never-expire is not allowed."
  }
}

variable "bootstrap_cluster_creator_admin_permissions" {
  description = "Grant the identity that creates the cluster cluster-admin through an access entry. Off by default: list administrators in cluster_admin_principal_arns instead."
  type        = bool
  default     = false
}

variable "cluster_admin_principal_arns" {
  description = "IAM role/user ARNs given an EKS access entry with the AmazonEKSClusterAdminPolicy (cluster scope)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:(role|user)/.+$", a))])
    error_message = "cluster_admin_principal_arns must be IAM role or user ARNs."
  }
}

variable "metadata_http_put_response_hop_limit" {
  description = "IMDSv2 hop limit on the nodes. 1 (default) keeps pods that are not on the host network from reaching the node role credentials; pods use IRSA / EKS Pod Identity instead. Set 2 only if a pod-network workload must read instance metadata."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2], var.metadata_http_put_response_hop_limit)
    error_message = "metadata_http_put_response_hop_limit must be 1 or 2."
  }
}

variable "create_inference_node_group" {
  description = "Create the Inferentia (inf1/inf2) inference managed node group."
  type        = bool
  default     = true
}

variable "inference_node_group" {
  description = "Inference node group settings. Instance types must be Inferentia (inf1/inf2). Always ON_DEMAND."
  type = object({
    instance_types = optional(list(string), ["inf2.xlarge"])
    min_size       = optional(number, 1)
    desired_size   = optional(number, 2)
    max_size       = optional(number, 4)
    disk_size      = optional(number, 100)
  })
  default = {}

  validation {
    condition     = length(var.inference_node_group.instance_types) > 0 && alltrue([for t in var.inference_node_group.instance_types : can(regex("^inf[12]\\.[0-9a-z]+$", t))])
    error_message = "inference_node_group.instance_types must be Inferentia instance types (inf1.* or inf2.*)."
  }

  validation {
    condition = (
      var.inference_node_group.min_size >= 0 &&
      var.inference_node_group.max_size >= 1 &&
      var.inference_node_group.min_size <= var.inference_node_group.desired_size &&
      var.inference_node_group.desired_size <= var.inference_node_group.max_size
    )
    error_message = "inference_node_group sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }

  validation {
    condition     = var.inference_node_group.disk_size >= 50 && var.inference_node_group.disk_size <= 16384
    error_message = "inference_node_group.disk_size must be between 50 and 16384 GiB."
  }
}

variable "create_training_node_group" {
  description = "Create the Trainium (trn1/trn1n/trn2) training managed node group."
  type        = bool
  default     = true
}

variable "training_node_group" {
  description = "Training node group settings. Instance types must be Trainium (trn1/trn1n/trn2). capacity_type defaults to SPOT outside prod and ON_DEMAND in prod. enable_efa adds one EFA interface per network card and a cluster placement group; the count is derived from the instance type (trn1.32xlarge 8, trn1n.32xlarge 16, trn2.48xlarge 16) unless efa_interface_count lowers it."
  type = object({
    instance_types      = optional(list(string), ["trn1.32xlarge"])
    min_size            = optional(number, 0)
    desired_size        = optional(number, 0)
    max_size            = optional(number, 2)
    capacity_type       = optional(string)
    enable_efa          = optional(bool, false)
    efa_interface_count = optional(number)
    disk_size           = optional(number, 500)
  })
  default = {}

  validation {
    condition     = length(var.training_node_group.instance_types) > 0 && alltrue([for t in var.training_node_group.instance_types : can(regex("^(trn1|trn1n|trn2)\\.[0-9a-z]+$", t))])
    error_message = "training_node_group.instance_types must be Trainium instance types (trn1.*, trn1n.* or trn2.*)."
  }

  validation {
    condition = (
      var.training_node_group.min_size >= 0 &&
      var.training_node_group.max_size >= 1 &&
      var.training_node_group.min_size <= var.training_node_group.desired_size &&
      var.training_node_group.desired_size <= var.training_node_group.max_size
    )
    error_message = "training_node_group sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }

  validation {
    condition     = var.training_node_group.capacity_type == null || contains(["ON_DEMAND", "SPOT"], coalesce(var.training_node_group.capacity_type, "ON_DEMAND"))
    error_message = "training_node_group.capacity_type must be ON_DEMAND or SPOT (or null for the environment default)."
  }

  validation {
    condition = var.training_node_group.efa_interface_count == null || (
      coalesce(var.training_node_group.efa_interface_count, 1) >= 1 &&
      coalesce(var.training_node_group.efa_interface_count, 1) <= 16 &&
      floor(coalesce(var.training_node_group.efa_interface_count, 1)) == coalesce(var.training_node_group.efa_interface_count, 1)
    )
    error_message = "training_node_group.efa_interface_count must be null (derived from the instance type) or an integer between 1 and 16."
  }

  validation {
    condition     = var.training_node_group.disk_size >= 50 && var.training_node_group.disk_size <= 16384
    error_message = "training_node_group.disk_size must be between 50 and 16384 GiB."
  }
}

variable "create_system_node_group" {
  description = "Create a small untainted general-purpose node group for cluster system pods (CoreDNS, controllers, the device plugins' control plane), which do not tolerate the Neuron taint. On by default: without it CoreDNS has no node to run on. Turn off only when another untainted capacity (Fargate profile, Karpenter node pool) exists."
  type        = bool
  default     = true
}

variable "system_node_group" {
  description = "System node group settings (AL2023 standard AMI, ON_DEMAND, no taint)."
  type = object({
    instance_types = optional(list(string), ["m7i.large"])
    min_size       = optional(number, 1)
    desired_size   = optional(number, 2)
    max_size       = optional(number, 3)
    disk_size      = optional(number, 50)
  })
  default = {}

  validation {
    condition     = length(var.system_node_group.instance_types) > 0 && alltrue([for t in var.system_node_group.instance_types : can(regex("^[cmrt][0-9]+[a-fh-z]*(-flex)?\\.[0-9a-z]+$", t))])
    error_message = "system_node_group.instance_types must be general purpose, compute or memory optimised x86 types (c*, m*, r*, t*, not Graviton); accelerators belong in the inference/training groups."
  }

  validation {
    condition = (
      var.system_node_group.min_size >= 0 &&
      var.system_node_group.max_size >= 1 &&
      var.system_node_group.min_size <= var.system_node_group.desired_size &&
      var.system_node_group.desired_size <= var.system_node_group.max_size
    )
    error_message = "system_node_group sizes must satisfy 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }

  validation {
    condition     = var.system_node_group.disk_size >= 20 && var.system_node_group.disk_size <= 16384
    error_message = "system_node_group.disk_size must be between 20 and 16384 GiB."
  }
}

variable "training_subnet_ids" {
  description = "Subnets of the training node group (e.g. the private subnet of the AZ ID where your trn1 capacity or reservation is). Empty = the first of subnet_ids with EFA (one AZ, cluster placement group), all subnet_ids without."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.training_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "training_subnet_ids must be subnet ids of the form subnet-0123456789abcdef0."
  }
}

variable "create_autoscaling_service_linked_role" {
  description = "Create the Auto Scaling service-linked role (AWSServiceRoleForAutoScaling) before the module's KMS key, whose policy names it. A new account does not have it and KMS rejects a key policy naming a principal that does not exist. Set false in an account that already has the role (aws iam get-role --role-name AWSServiceRoleForAutoScaling): creating it twice fails."
  type        = bool
  default     = true
}

variable "create_cluster_addons" {
  description = "Manage the EKS add-ons of cluster_addons with aws_eks_addon."
  type        = bool
  default     = true
}

variable "cluster_addons" {
  description = <<-EOT
    EKS add-ons, keyed by add-on name. addon_version null = the default version EKS picks for the
    cluster's Kubernetes version (list them with `aws eks describe-addon-versions
    --kubernetes-version 1.35 --addon-name vpc-cni`; pin one for reproducible upgrades).
    before_compute = true installs the add-on before the node groups (networking, Pod Identity
    Agent); the others wait for the node groups (CoreDNS needs a node to run on).
  EOT
  type = map(object({
    addon_version               = optional(string)
    configuration_values        = optional(string)
    before_compute              = optional(bool, false)
    resolve_conflicts_on_create = optional(string, "OVERWRITE")
    resolve_conflicts_on_update = optional(string, "OVERWRITE")
    preserve                    = optional(bool, false)
  }))
  default = {
    "vpc-cni"                = { before_compute = true }
    "kube-proxy"             = { before_compute = true }
    "eks-pod-identity-agent" = { before_compute = true }
    "coredns"                = {}
  }

  validation {
    condition     = alltrue([for k, v in var.cluster_addons : v.addon_version == null || can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", coalesce(v.addon_version, "x")))])
    error_message = "cluster_addons[*].addon_version must be null or an EKS add-on version such as v1.20.4-eksbuild.1."
  }

  validation {
    condition     = alltrue([for k, v in var.cluster_addons : v.configuration_values == null || can(jsondecode(coalesce(v.configuration_values, "{}")))])
    error_message = "cluster_addons[*].configuration_values must be a JSON document (aws eks describe-addon-configuration gives the schema)."
  }

  validation {
    condition = alltrue([for k, v in var.cluster_addons :
      contains(["NONE", "OVERWRITE"], v.resolve_conflicts_on_create) && contains(["NONE", "OVERWRITE", "PRESERVE"], v.resolve_conflicts_on_update)
    ])
    error_message = "cluster_addons[*].resolve_conflicts_on_create must be NONE or OVERWRITE, resolve_conflicts_on_update NONE, OVERWRITE or PRESERVE."
  }
}

variable "pod_identity_roles" {
  description = <<-EOT
    IAM roles for Kubernetes service accounts through EKS Pod Identity, keyed by a short name
    (1-18 lowercase letters, digits, hyphens). Without role_arn the module creates
    "<cluster_name>-pod-<key>", trusted by pods.eks.amazonaws.com (sts:AssumeRole, sts:TagSession)
    for this cluster, namespace and service account only, with the policy_arns attached (a map
    with static keys, so ARNs known only after apply work). With role_arn an existing role is
    associated: its trust policy must allow pods.eks.amazonaws.com both actions.
  EOT
  type = map(object({
    namespace       = string
    service_account = string
    policy_arns     = optional(map(string), {})
    role_arn        = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, v in var.pod_identity_roles : can(regex("^[a-z0-9][a-z0-9-]{0,17}$", k))])
    error_message = "pod_identity_roles keys must be 1-18 lowercase letters, digits or hyphens (they end the role name)."
  }

  validation {
    condition = alltrue([for k, v in var.pod_identity_roles :
      can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", v.namespace)) && length(v.namespace) <= 63 &&
      can(regex("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", v.service_account)) && length(v.service_account) <= 253
    ])
    error_message = "pod_identity_roles[*].namespace and service_account must be Kubernetes names (lowercase letters, digits, '-', and '.' for service accounts)."
  }

  validation {
    condition     = alltrue([for k, v in var.pod_identity_roles : v.role_arn == null || can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", coalesce(v.role_arn, "x")))])
    error_message = "pod_identity_roles[*].role_arn must be null or an IAM role ARN."
  }

  validation {
    condition     = alltrue([for k, v in var.pod_identity_roles : v.role_arn == null || length(v.policy_arns) == 0])
    error_message = "pod_identity_roles[*]: give either role_arn (an existing role) or policy_arns (for the role the module creates), not both."
  }
}

variable "create_cluster_autoscaler" {
  description = "Run the Kubernetes Cluster Autoscaler: an EKS Pod Identity role for kube-system/cluster-autoscaler with the autoscaler's policy (capacity changes only on ASGs tagged k8s.io/cluster-autoscaler/<cluster> = owned), and node-template tags on the node groups' Auto Scaling groups so groups scale up from zero. Apply manifests/cluster-autoscaler.yaml after the cluster exists (README, \"Cluster Autoscaler\"). null = on when any node group has min_size 0 (nothing else scales such a group down or up)."
  type        = bool
  default     = null

  validation {
    condition     = var.create_cluster_autoscaler != true || !var.create_cluster_addons || contains(keys(var.cluster_addons), "eks-pod-identity-agent")
    error_message = "create_cluster_autoscaler needs the eks-pod-identity-agent add-on (its role comes through EKS Pod Identity): keep \"eks-pod-identity-agent\" in cluster_addons."
  }

  validation {
    condition     = var.create_cluster_autoscaler == false || !contains(keys(var.pod_identity_roles), "cluster-autoscaler")
    error_message = "pod_identity_roles may not use the key \"cluster-autoscaler\": the module creates that role for the Cluster Autoscaler (set create_cluster_autoscaler = false to bring your own)."
  }
}

variable "cluster_autoscaler_nonprod_scale_down_unneeded_time" {
  description = "Outside prod (environment != \"prod\"), how long an accelerator node must be unneeded before the Cluster Autoscaler removes it (ASG tag k8s.io/cluster-autoscaler/node-template/autoscaling-options/scaledownunneededtime, a Go duration). Prod keeps the Deployment's --scale-down-unneeded-time (10m)."
  type        = string
  default     = "5m0s"
  nullable    = false

  validation {
    condition     = can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", var.cluster_autoscaler_nonprod_scale_down_unneeded_time)) && var.cluster_autoscaler_nonprod_scale_down_unneeded_time != ""
    error_message = "cluster_autoscaler_nonprod_scale_down_unneeded_time must be a Go duration in hours, minutes and seconds, e.g. 5m0s or 1h."
  }
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
