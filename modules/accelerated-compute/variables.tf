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
  description = "Kubernetes version of the EKS control plane (major.minor)."
  type        = string
  default     = "1.31"

  validation {
    condition     = can(regex("^1\\.(2[89]|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a supported EKS version of the form 1.NN (1.28 or later)."
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
  description = "Training node group settings. Instance types must be Trainium (trn1/trn1n/trn2). capacity_type defaults to SPOT outside prod and ON_DEMAND in prod. enable_efa adds EFA interfaces (efa_interface_count, one per network card) and a cluster placement group."
  type = object({
    instance_types      = optional(list(string), ["trn1.32xlarge"])
    min_size            = optional(number, 0)
    desired_size        = optional(number, 0)
    max_size            = optional(number, 2)
    capacity_type       = optional(string)
    enable_efa          = optional(bool, false)
    efa_interface_count = optional(number, 1)
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
    condition     = var.training_node_group.efa_interface_count >= 1 && var.training_node_group.efa_interface_count <= 16 && floor(var.training_node_group.efa_interface_count) == var.training_node_group.efa_interface_count
    error_message = "training_node_group.efa_interface_count must be an integer between 1 and 16 (trn1.32xlarge supports 8, trn1n.32xlarge and trn2.48xlarge 16)."
  }

  validation {
    condition     = var.training_node_group.disk_size >= 50 && var.training_node_group.disk_size <= 16384
    error_message = "training_node_group.disk_size must be between 50 and 16384 GiB."
  }
}

variable "create_system_node_group" {
  description = "Create a small untainted general-purpose node group for cluster system pods (CoreDNS, controllers), which do not tolerate the Neuron taint."
  type        = bool
  default     = false
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

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
