# One GenAI workload account (dev, prod, ...): a private VPC with PrivateLink to Bedrock and
# SageMaker, Bedrock with guardrail and invocation logging, SageMaker domain and endpoint,
# an EKS cluster with Inferentia/Trainium node groups, cost guard-rails and the account's
# security baseline. The environment's tfvars (envs/<env>.tfvars) pick the sizes.

locals {
  name    = "${var.name}-${var.environment}"
  is_prod = var.environment == "prod"

  # Resources the local emulator cannot create (README "Emulator limitations"): every one
  # of them stays in the checked plans and is only switched off for the emulator apply.
  emulator_supported = !var.local_emulator

  standalone = !var.organization_security_services
}

# Encryption keys: every module creates and rotates its own customer managed key
# (kms_key_arn left null), one key per purpose (logs and trail, Bedrock logs, flow logs,
# SageMaker, EKS secrets), so a key policy or a key deletion affects one service only.
# (The modules decide "create a key" from kms_key_arn == null; a key created in the same
# plan is unknown at plan time, so it cannot be shared without a separate toggle.)

# Detective controls come from the organization (organization_security_services): the
# organization trail, GuardDuty / Security Hub / Access Analyzer auto-enabled by the audit
# account, the Config recorder from the account-baseline StackSet. The account keeps its own
# guardrails (password policy, S3 public access block, EBS encryption by default) and, only when
# it stands alone or asks for it, its own trail and services.
module "security_baseline" {
  source = "../../modules/security-baseline"

  name                           = local.name
  account_id                     = var.account_id
  create_kms_key                 = local.standalone || var.create_account_trail
  create_cloudtrail              = local.standalone || var.create_account_trail
  cloudtrail_bedrock_data_events = true
  create_guardduty               = local.standalone
  create_guardduty_features      = local.standalone && local.emulator_supported
  create_config                  = local.standalone
  create_access_analyzer         = local.standalone && local.emulator_supported
  create_securityhub             = local.standalone && local.emulator_supported

  create_s3_account_public_access_block = local.emulator_supported
  log_retention_in_days                 = var.log_retention_in_days
  tags                                  = var.tags
}

module "bedrock" {
  source = "../../modules/bedrock"

  name                            = local.name
  account_id                      = var.account_id
  allowed_model_ids               = var.allowed_model_ids
  allowed_inference_profiles      = var.allowed_inference_profiles
  allow_global_inference_profiles = var.allow_global_inference_profiles
  create_invocation_logging       = true
  create_guardrail                = local.emulator_supported
  # Callers must name the guardrail (bedrock:GuardrailIdentifier); the emulator apply has no guardrail.
  require_guardrail                       = local.emulator_supported
  guardrail_enforcement_off_justification = local.emulator_supported ? null : "the local emulator cannot create guardrails (TARGET=local apply only)"
  guardrail_exempt_model_ids              = var.guardrail_exempt_model_ids
  # Pods reach Bedrock through EKS Pod Identity with the same permissions as the invoke role.
  additional_invoke_role_names = local.emulator_supported ? {
    eks-pods = module.accelerated_compute.pod_identity_role_names["bedrock-invoke"]
  } : {}
  # Alarms notify the workload's encrypted topic (the budgets module lets CloudWatch publish to it).
  alarm_sns_topic_arns      = [module.budgets.sns_topic_arn]
  guardrail_filter_strength = var.guardrail_filter_strength
  log_retention_in_days     = var.log_retention_in_days
  # Invocation logs leave the account: S3 replication into the log-archive bucket (Object Lock).
  # Left out of the emulator apply (README "Emulator limitations"; not yet tried against the
  # log-archive bucket the demo applies before the workloads).
  invocation_log_replication        = var.log_archive
  create_invocation_log_replication = local.emulator_supported
  tags                              = var.tags
}

module "network" {
  source = "../../modules/network"

  name                  = local.name
  account_id            = var.account_id
  cidr                  = var.vpc_cidr
  azs                   = var.azs
  az_ids                = var.az_ids
  create_public_subnets = var.create_public_subnets
  enable_nat_gateway    = var.enable_nat_gateway
  bedrock_model_arns    = module.bedrock.allowed_model_arns
  # The Bedrock data-plane endpoints get policies that allow the API set each one serves (the
  # bedrock module builds them); every other endpoint keeps the network module's account perimeter.
  endpoint_policies          = module.bedrock.vpc_endpoint_policies
  flow_log_retention_in_days = var.log_retention_in_days
  tags                       = var.tags
}

module "sagemaker" {
  source = "../../modules/sagemaker"

  name           = local.name
  account_id     = var.account_id
  vpc_id         = module.network.vpc_id
  vpc_cidr_block = module.network.vpc_cidr_block
  subnet_ids     = module.network.private_subnet_ids
  create_domain  = var.create_sagemaker_domain && local.emulator_supported
  # The endpoint's auto scaling has no toggle of its own and the emulator cannot register
  # scalable targets, so the emulator apply leaves the whole endpoint out.
  create_endpoint                 = var.create_sagemaker_endpoint && local.emulator_supported
  endpoint_instance_type          = var.endpoint_instance_type
  gpu_justification               = var.endpoint_gpu_justification
  endpoint_initial_instance_count = var.endpoint_capacity.initial
  endpoint_min_capacity           = var.endpoint_capacity.min
  endpoint_max_capacity           = var.endpoint_capacity.max
  model_image                     = var.model_image
  model_data_url                  = var.model_data_url
  model_environment               = var.model_environment
  # The model artifact is downloaded through the S3 gateway endpoint: its prefix list id is known
  # only after apply, so a plan-time switch (not the id) creates the egress rule.
  create_s3_egress_rule               = true
  s3_prefix_list_id                   = module.network.s3_prefix_list_id
  enable_network_isolation            = var.model_network_isolation_off_justification == null
  network_isolation_off_justification = var.model_network_isolation_off_justification
  alarm_sns_topic_arns                = [module.budgets.sns_topic_arn]
  tags                                = var.tags
}

module "accelerated_compute" {
  source = "../../modules/accelerated-compute"

  cluster_name                = local.name
  account_id                  = var.account_id
  environment                 = var.environment
  kubernetes_version          = var.kubernetes_version
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  endpoint_public_access      = false
  create_inference_node_group = var.create_inference_node_group
  inference_node_group        = var.inference_node_group
  create_training_node_group  = var.create_training_node_group
  # The emulator never reports a cluster placement group "available": its apply plans the
  # training group without EFA (the placement group is listed as left out).
  training_node_group = local.emulator_supported ? var.training_node_group : merge(var.training_node_group, { enable_efa = false })
  # The AZ (ID) where the account's trn1 capacity is: one subnet for the EFA placement group.
  training_subnet_ids      = var.training_zone == null ? [] : [module.network.private_subnet_ids_by_zone[var.training_zone]]
  create_system_node_group = var.create_eks_system_node_group
  system_node_group        = var.eks_system_node_group

  # Creator admin stays off: the platform admin roles get access entries instead.
  # (The emulator implements no EKS access entries, add-ons or Pod Identity: left out locally.)
  cluster_admin_principal_arns           = local.emulator_supported ? var.eks_admin_role_arns : []
  create_autoscaling_service_linked_role = var.create_autoscaling_service_linked_role
  create_cluster_addons                  = local.emulator_supported
  # The Cluster Autoscaler (Pod Identity role, ASG node-template tags) scales groups with min_size 0
  # to zero and back; on by default when one has min_size 0. Left out on the emulator (no Pod Identity).
  create_cluster_autoscaler = local.emulator_supported ? null : false

  # Pods reach Bedrock through EKS Pod Identity with the landing zone's invoke policy.
  pod_identity_roles = local.emulator_supported ? {
    "bedrock-invoke" = {
      namespace       = var.eks_bedrock_service_account.namespace
      service_account = var.eks_bedrock_service_account.name
      # the Bedrock module attaches its invoke policies to this role (additional_invoke_role_names)
    }
  } : {}

  tags = var.tags
}

module "budgets" {
  source = "../../modules/budgets"

  name                = local.name
  account_id          = var.account_id
  limit_amount        = var.monthly_budget_usd
  thresholds          = var.budget_thresholds
  notification_emails = var.budget_notification_emails
  create_sns_topic    = true
  # One topic for budget, cost anomaly and CloudWatch alarm notifications (alarm names start with local.name).
  allow_cloudwatch_alarms = true
  create_budget           = local.emulator_supported
  # Non-prod: at the action threshold the deny policy (no new accelerator capacity, no Bedrock
  # inference) is attached to the roles humans and pipelines use (budget_action_role_names; the
  # SageMaker execution role is what Studio users run as) and to the invoke role that applications
  # use, so a runaway experiment stops spending. Prod is only notified. The organization root can
  # add the same denial as an SCP (APPLY_SCP_POLICY from the management account).
  create_budget_action   = !local.is_prod && local.emulator_supported
  action_threshold       = var.budget_action_threshold
  deny_bedrock_inference = true
  # Role names (known at plan time), not names cut out of ARNs (known only after apply),
  # so the action role's policy can be judged before apply.
  action_target_role_names = distinct(compact(concat(
    [module.bedrock.invoke_role_name, module.sagemaker.execution_role_name],
    # the pods' Bedrock role (EKS Pod Identity) spends on Bedrock too
    values(module.accelerated_compute.pod_identity_role_names),
    var.budget_action_role_names,
  )))
  create_anomaly_detection = local.emulator_supported
  anomaly_threshold_amount = var.anomaly_threshold_usd
  tags                     = var.tags
}
