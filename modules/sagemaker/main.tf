data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition
  arn       = "arn:${local.partition}"

  create_domain   = var.create && var.create_domain
  create_endpoint = var.create && var.create_endpoint
  create_kms_key  = var.create && var.kms_key_arn == null
  # The key ARN is spelled out where it is used (`var.kms_key_arn != null ? var.kms_key_arn :
  # module.kms_key.key_arn`), never passed through a local: plan JSON records no local values, and
  # policy checks (LZ-SEC-008/010) trace keys known only after apply through references.

  execution_role_name = "${var.name}-sagemaker-execution"
  execution_role_arn  = "${local.arn}:iam::${var.account_id}:role/${local.execution_role_name}"

  # Buckets and repositories the execution role may use, all named.
  model_data_bucket = var.model_data_url != null ? split("/", trimprefix(var.model_data_url, "s3://"))[0] : null
  s3_bucket_names = distinct(compact(concat(
    ["sagemaker-${local.region}-${var.account_id}"],
    [local.model_data_bucket],
    var.execution_role_s3_bucket_names,
  )))
  model_image_parts = var.model_image != null ? regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.model_image) : null
  ecr_repository_arns = distinct(concat(
    local.model_image_parts != null ? ["${local.arn}:ecr:${local.model_image_parts[1]}:${local.model_image_parts[0]}:repository/${local.model_image_parts[2]}"] : [],
    var.execution_role_ecr_repository_arns,
  ))

  sagemaker_arn = "${local.arn}:sagemaker:${local.region}:${var.account_id}"

  # Instance types with local NVMe storage encrypt it in hardware; SageMaker rejects a KMS key for them.
  endpoint_has_instance_storage = can(regex("^ml\\.(g4dn|g5|g6|g6e|p3dn|p4d|p4de|p5|p5e|m5d|c5d|r5d|trn1|trn1n|trn2)\\.", var.endpoint_instance_type))

  idle_settings = {
    lifecycle_management    = "ENABLED"
    idle_timeout_in_minutes = var.studio_idle_timeout_in_minutes
  }

  model_container = {
    image          = var.model_image
    model_data_url = var.model_data_url
    environment    = var.model_environment
  }
  # Models are immutable: a content-derived name lets create_before_destroy roll a new one in.
  model_name = "${var.name}-model-${substr(sha1(jsonencode(local.model_container)), 0, 8)}"

  variant_name = "AllTraffic"

  # A deliberate GPU choice is documented on the serving resources (policy LZ-SUS-001 reads this tag).
  serving_tags = merge(var.tags, var.gpu_justification != null ? { (var.gpu_justification_tag_key) = var.gpu_justification } : {})
  # A model without network isolation says why on the model itself.
  model_tags = merge(local.serving_tags, var.network_isolation_off_justification != null ? { "network-isolation-off-justification" = var.network_isolation_off_justification } : {})

  # Endpoint alarms: model/invocation metrics in AWS/SageMaker, instance health in /aws/sagemaker/Endpoints.
  # GPU utilization and GPU memory are not alarmed: LLM servers preallocate GPU memory and a busy GPU is the goal.
  endpoint_alarms = local.create_endpoint && var.create_alarms ? {
    model-latency-p99 = {
      description        = "p99 ModelLatency above ${var.endpoint_alarm_model_latency_p99_ms} ms for 3 consecutive 5-minute periods"
      namespace          = "AWS/SageMaker"
      metric_name        = "ModelLatency"
      statistic          = null
      extended_statistic = "p99"
      # ModelLatency is reported in microseconds.
      threshold           = var.endpoint_alarm_model_latency_p99_ms * 1000
      comparison_operator = "GreaterThanThreshold"
      evaluation_periods  = 3
      treat_missing_data  = "notBreaching"
    }
    invocation-5xx-errors = {
      description         = "At least ${var.endpoint_alarm_5xx_errors_threshold} invocations failed with a 5XX error in 5 minutes"
      namespace           = "AWS/SageMaker"
      metric_name         = "Invocation5XXErrors"
      statistic           = "Sum"
      extended_statistic  = null
      threshold           = var.endpoint_alarm_5xx_errors_threshold
      comparison_operator = "GreaterThanOrEqualToThreshold"
      evaluation_periods  = 1
      treat_missing_data  = "notBreaching"
    }
    memory-utilization = {
      description         = "Average instance memory utilization above ${var.endpoint_alarm_memory_utilization_percent}% for 3 consecutive 5-minute periods"
      namespace           = "/aws/sagemaker/Endpoints"
      metric_name         = "MemoryUtilization"
      statistic           = "Average"
      extended_statistic  = null
      threshold           = var.endpoint_alarm_memory_utilization_percent
      comparison_operator = "GreaterThanThreshold"
      evaluation_periods  = 3
      treat_missing_data  = "missing"
    }
    disk-utilization = {
      description         = "Average instance disk utilization above ${var.endpoint_alarm_disk_utilization_percent}% for 3 consecutive 5-minute periods"
      namespace           = "/aws/sagemaker/Endpoints"
      metric_name         = "DiskUtilization"
      statistic           = "Average"
      extended_statistic  = null
      threshold           = var.endpoint_alarm_disk_utilization_percent
      comparison_operator = "GreaterThanThreshold"
      evaluation_periods  = 3
      treat_missing_data  = "missing"
    }
  } : {}
}

################################################################################
# KMS key for domain (EFS/EBS) and endpoint volumes
################################################################################

# Usage is granted through IAM (the execution role policy below); SageMaker creates grants for its volumes.
module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_kms_key
  description             = "${var.name} SageMaker domain and endpoint volumes"
  alias                   = "${var.name}-sagemaker"
  account_id              = var.account_id
  partition               = local.partition
  deletion_window_in_days = 30

  tags = var.tags
}

################################################################################
# Security group: no ingress from outside the group, HTTPS egress to the VPC (endpoints) and S3 only
################################################################################

resource "aws_security_group" "this" {
  count = var.create ? 1 : 0

  #checkov:skip=CKV2_AWS_5:Attached to the SageMaker domain (domain_settings, default user/space settings), user profiles and the model's vpc_config, which checkov's graph does not model.
  name_prefix = "${var.name}-sagemaker-"
  description = "SageMaker domain apps and endpoint model of ${var.name}: HTTPS to VPC endpoints only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-sagemaker" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https_vpc" {
  count = var.create ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "HTTPS to the VPC interface endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.vpc_cidr_block

  tags = var.tags
}

# The count depends on a plan-time switch, never on the prefix list id: that id comes from the network
# module's gateway endpoint and is unknown until it exists ("Invalid count argument" otherwise).
resource "aws_vpc_security_group_egress_rule" "https_s3" {
  count = var.create && var.create_s3_egress_rule ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = var.s3_prefix_list_id

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.s3_prefix_list_id != null
      error_message = "create_s3_egress_rule = true needs s3_prefix_list_id (network module output s3_prefix_list_id)."
    }
  }
}

# Studio apps, kernels and distributed jobs talk to each other inside the group only.
resource "aws_vpc_security_group_ingress_rule" "self" {
  count = var.create ? 1 : 0

  security_group_id            = aws_security_group.this[0].id
  description                  = "Traffic between members of this group"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.this[0].id

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "self" {
  count = var.create ? 1 : 0

  security_group_id            = aws_security_group.this[0].id
  description                  = "Traffic between members of this group"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.this[0].id

  tags = var.tags
}

################################################################################
# Execution role (no wildcard actions; named resources)
################################################################################

resource "aws_iam_role" "execution" {
  count = var.create ? 1 : 0

  name = local.execution_role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      # SetSourceIdentity: the domain stamps the user profile name on every session (audit trail).
      Action = ["sts:AssumeRole", "sts:SetSourceIdentity"]
    }]
  })

  tags = var.tags
}

# The execution policies are built from aws_iam_policy_document data sources, not jsonencode(): the
# domain id, the security group id and a created key's ARN are known only after apply, and a document
# keeps every statement's actions, plan-time resources and resource references readable in the plan
# JSON, so policy checks (LZ-SEC-010/011) decide at plan time. Statements are static blocks (plan JSON
# records no expressions of dynamic blocks) and their unknown resources reference the resources
# directly, never via a local. Statements that exist only for some inputs live in their own documents.

# Pulling the model image (and the given repositories): only when there is one; known at plan time, so it
# is merged into the execution document as a source document.
data "aws_iam_policy_document" "execution_ecr" {
  count = var.create && length(local.ecr_repository_arns) > 0 ? 1 : 0

  statement {
    sid       = "PullNamedRepositories"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = local.ecr_repository_arns
  }
}

data "aws_iam_policy_document" "execution" {
  count = var.create ? 1 : 0

  source_policy_documents = data.aws_iam_policy_document.execution_ecr[*].json

  statement {
    sid = "JobsAndHostingNamedAfterThisWorkload"
    actions = [
      "sagemaker:CreateTrainingJob",
      "sagemaker:DescribeTrainingJob",
      "sagemaker:StopTrainingJob",
      "sagemaker:CreateProcessingJob",
      "sagemaker:DescribeProcessingJob",
      "sagemaker:StopProcessingJob",
      "sagemaker:CreateModel",
      "sagemaker:DescribeModel",
      "sagemaker:DeleteModel",
      "sagemaker:CreateEndpointConfig",
      "sagemaker:DescribeEndpointConfig",
      "sagemaker:DeleteEndpointConfig",
      "sagemaker:CreateEndpoint",
      "sagemaker:DescribeEndpoint",
      "sagemaker:UpdateEndpoint",
      "sagemaker:DeleteEndpoint",
      "sagemaker:InvokeEndpoint",
      "sagemaker:AddTags",
      "sagemaker:ListTags",
    ]
    resources = [for t in ["training-job", "processing-job", "model", "endpoint-config", "endpoint"] : "${local.sagemaker_arn}:${t}/${var.name}-*"]
  }

  statement {
    sid       = "PassOnlyThisRoleToSageMaker"
    actions   = ["iam:PassRole"]
    resources = [local.execution_role_arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }

  statement {
    sid       = "NamedBucketObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = [for b in local.s3_bucket_names : "${local.arn}:s3:::${b}/*"]
  }

  statement {
    sid       = "NamedBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in local.s3_bucket_names : "${local.arn}:s3:::${b}"]
  }

  statement {
    sid     = "SageMakerLogGroups"
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [
      "${local.arn}:logs:${local.region}:${var.account_id}:log-group:/aws/sagemaker/*",
      "${local.arn}:logs:${local.region}:${var.account_id}:log-group:/aws/sagemaker/*:log-stream:*",
    ]
  }

  statement {
    sid       = "SageMakerMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*", "aws/sagemaker/*"]
    }
  }

  statement {
    # GetAuthorizationToken has no resource type: "*" is the only valid resource.
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "UseVolumeKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]
  }

  statement {
    sid       = "GrantVolumeKeyToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  statement {
    # Describe* calls have no resource type: "*" is the only valid resource.
    sid       = "DescribeVpcForEnis"
    actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeDhcpOptions"]
    resources = ["*"]
  }

  statement {
    sid     = "CreateEnisInTheseSubnetsOnly"
    actions = ["ec2:CreateNetworkInterface"]
    resources = concat(
      ["${local.arn}:ec2:${local.region}:${var.account_id}:network-interface/*"],
      [for s in var.subnet_ids : "${local.arn}:ec2:${local.region}:${var.account_id}:subnet/${s}"],
      ["${local.arn}:ec2:${local.region}:${var.account_id}:security-group/${aws_security_group.this[0].id}"],
    )
  }

  statement {
    sid       = "ManageEnisInThisVpcOnly"
    actions   = ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"]
    resources = ["${local.arn}:ec2:${local.region}:${var.account_id}:network-interface/*"]

    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = ["${local.arn}:ec2:${local.region}:${var.account_id}:vpc/${var.vpc_id}"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  count = var.create ? 1 : 0

  name   = "sagemaker-execution"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.execution[0].json
}

# Studio apps and spaces in this domain only: a policy of its own, present only with the domain (whose id,
# part of every ARN here, is known only after apply).
data "aws_iam_policy_document" "studio" {
  count = local.create_domain ? 1 : 0

  statement {
    sid = "StudioAppsInThisDomain"
    actions = [
      "sagemaker:CreateApp",
      "sagemaker:DeleteApp",
      "sagemaker:DescribeApp",
      "sagemaker:DescribeDomain",
      "sagemaker:DescribeUserProfile",
      "sagemaker:CreateSpace",
      "sagemaker:UpdateSpace",
      "sagemaker:DeleteSpace",
      "sagemaker:DescribeSpace",
    ]
    resources = [
      "${local.sagemaker_arn}:domain/${aws_sagemaker_domain.this[0].id}",
      "${local.sagemaker_arn}:app/${aws_sagemaker_domain.this[0].id}/*",
      "${local.sagemaker_arn}:user-profile/${aws_sagemaker_domain.this[0].id}/*",
      "${local.sagemaker_arn}:space/${aws_sagemaker_domain.this[0].id}/*",
    ]
  }
}

resource "aws_iam_role_policy" "studio" {
  count = local.create_domain ? 1 : 0

  name   = "sagemaker-studio-apps"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.studio[0].json
}

################################################################################
# Studio domain (VpcOnly) and user profiles
################################################################################

resource "aws_sagemaker_domain" "this" {
  count = local.create_domain ? 1 : 0

  domain_name             = var.name
  auth_mode               = "IAM"
  vpc_id                  = var.vpc_id
  subnet_ids              = var.subnet_ids
  app_network_access_type = "VpcOnly"
  kms_key_id              = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
  tag_propagation         = "ENABLED"

  domain_settings {
    security_group_ids             = [aws_security_group.this[0].id]
    execution_role_identity_config = "USER_PROFILE_NAME"

    docker_settings {
      enable_docker_access = "DISABLED"
    }
  }

  default_user_settings {
    execution_role      = aws_iam_role.execution[0].arn
    security_groups     = [aws_security_group.this[0].id]
    studio_web_portal   = "ENABLED"
    default_landing_uri = "studio::"

    sharing_settings {
      notebook_output_option = "Disabled"
    }

    jupyter_lab_app_settings {
      app_lifecycle_management {
        idle_settings {
          lifecycle_management    = local.idle_settings.lifecycle_management
          idle_timeout_in_minutes = local.idle_settings.idle_timeout_in_minutes
        }
      }
    }

    code_editor_app_settings {
      app_lifecycle_management {
        idle_settings {
          lifecycle_management    = local.idle_settings.lifecycle_management
          idle_timeout_in_minutes = local.idle_settings.idle_timeout_in_minutes
        }
      }
    }
  }

  default_space_settings {
    execution_role  = aws_iam_role.execution[0].arn
    security_groups = [aws_security_group.this[0].id]
  }

  retention_policy {
    home_efs_file_system = "Retain"
  }

  tags = var.tags
}

resource "aws_sagemaker_user_profile" "this" {
  for_each = local.create_domain ? var.create_user_profiles : {}

  domain_id         = aws_sagemaker_domain.this[0].id
  user_profile_name = each.key

  user_settings {
    execution_role    = coalesce(each.value.execution_role_arn, aws_iam_role.execution[0].arn)
    security_groups   = [aws_security_group.this[0].id]
    studio_web_portal = "ENABLED"

    sharing_settings {
      notebook_output_option = "Disabled"
    }
  }

  tags = merge(var.tags, each.value.tags)
}

################################################################################
# Real-time endpoint with auto scaling
################################################################################

resource "aws_sagemaker_model" "this" {
  count = local.create_endpoint ? 1 : 0

  name                     = local.model_name
  execution_role_arn       = aws_iam_role.execution[0].arn
  enable_network_isolation = var.enable_network_isolation

  primary_container {
    image          = local.model_container.image
    model_data_url = local.model_container.model_data_url
    environment    = local.model_container.environment
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.this[0].id]
  }

  tags = local.model_tags

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  count = local.create_endpoint ? 1 : 0

  name_prefix = "${var.name}-"
  kms_key_arn = local.endpoint_has_instance_storage ? null : (var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn)

  production_variants {
    variant_name           = local.variant_name
    model_name             = aws_sagemaker_model.this[0].name
    instance_type          = var.endpoint_instance_type
    initial_instance_count = var.endpoint_initial_instance_count
    initial_variant_weight = 1
  }

  tags = local.serving_tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  count = local.create_endpoint ? 1 : 0

  name                 = "${var.name}-endpoint"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this[0].name

  tags = local.serving_tags
}

resource "aws_appautoscaling_target" "endpoint" {
  count = local.create_endpoint ? 1 : 0

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this[0].name}/variant/${local.variant_name}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.endpoint_min_capacity
  max_capacity       = var.endpoint_max_capacity

  tags = var.tags
}

resource "aws_appautoscaling_policy" "endpoint" {
  count = local.create_endpoint ? 1 : 0

  name               = "${var.name}-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.endpoint[0].service_namespace
  resource_id        = aws_appautoscaling_target.endpoint[0].resource_id
  scalable_dimension = aws_appautoscaling_target.endpoint[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.endpoint_invocations_per_instance_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}

################################################################################
# Endpoint alarms
################################################################################

resource "aws_cloudwatch_metric_alarm" "endpoint" {
  for_each = local.endpoint_alarms

  alarm_name        = "${aws_sagemaker_endpoint.this[0].name}-${each.key}"
  alarm_description = "SageMaker endpoint ${aws_sagemaker_endpoint.this[0].name}: ${each.value.description}"

  namespace   = each.value.namespace
  metric_name = each.value.metric_name
  dimensions = {
    EndpointName = aws_sagemaker_endpoint.this[0].name
    VariantName  = local.variant_name
  }
  statistic          = each.value.statistic
  extended_statistic = each.value.extended_statistic
  period             = 300

  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  treat_missing_data  = each.value.treat_missing_data

  actions_enabled = true
  alarm_actions   = var.alarm_sns_topic_arns
  ok_actions      = var.alarm_sns_topic_arns

  tags = var.tags
}
