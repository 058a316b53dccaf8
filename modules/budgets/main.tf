data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  # The topic's ARN from plan-time values (same value as aws_sns_topic.this[0].arn), so that its policy is
  # known, and can be judged, at plan time.
  topic_name = "${var.name}-budget-alerts"
  topic_arn  = "arn:${local.partition}:sns:${local.region}:${var.account_id}:${local.topic_name}"

  # CloudWatch alarms of this workload (names starting with the prefix) may publish to the topic.
  alarm_source_conditions = {
    StringEquals = { "aws:SourceAccount" = var.account_id }
    ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${local.region}:${var.account_id}:alarm:${coalesce(var.cloudwatch_alarm_name_prefix, var.name)}*" }
  }

  create_topic   = var.create && var.create_sns_topic
  create_kms_key = local.create_topic && var.sns_kms_key_arn == null
  sns_kms_key    = var.sns_kms_key_arn != null ? var.sns_kms_key_arn : module.kms_key.key_arn
  sns_topic_arns = concat(aws_sns_topic.this[*].arn, var.sns_topic_arns)

  create_budget = var.create && var.create_budget
  create_action = local.create_budget && var.create_budget_action

  # ACTUAL and FORECASTED notification for every threshold.
  notifications = {
    for pair in setproduct(["ACTUAL", "FORECASTED"], var.thresholds) :
    "${pair[0]}-${pair[1]}" => { type = pair[0], threshold = pair[1] }
  }

  action_subscribers = concat(
    [for e in var.notification_emails : { type = "EMAIL", address = e }],
    [for a in local.sns_topic_arns : { type = "SNS", address = a }],
  )

  # Cost Anomaly Detection: IMMEDIATE alerts go to SNS, email subscribers get a DAILY summary.
  anomaly_subscriptions = {
    for k, v in {
      sns   = { frequency = "IMMEDIATE", type = "SNS", addresses = local.sns_topic_arns }
      email = { frequency = "DAILY", type = "EMAIL", addresses = var.notification_emails }
    } : k => v if var.create && var.create_anomaly_detection && length(v.addresses) > 0
  }

  ec2_denied_types       = [for f in var.denied_instance_families : "${f}*"]
  sagemaker_denied_types = [for f in var.denied_instance_families : "ml.${f}*"]

  budget_arn_pattern = "arn:${local.partition}:budgets::${var.account_id}:budget/${var.name}*"
  role_arns          = [for r in var.action_target_role_names : "arn:${local.partition}:iam::${var.account_id}:role/${r}"]
  group_arns         = [for g in var.action_target_group_names : "arn:${local.partition}:iam::${var.account_id}:group/${g}"]

  # Built from plan-time values (not the policy's `arn` attribute) so that the action role's
  # policy below is known at plan time and policy checks can judge it before apply.
  deny_policy_name = "${var.name}-deny-accelerated-compute"
  deny_policy_arn  = "arn:${local.partition}:iam::${var.account_id}:policy/${local.deny_policy_name}"

  # The action role may only attach/detach the deny policy, and only to the target roles/groups.
  action_permissions = [
    { sid = "AttachDenyPolicyToRoles", actions = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], arns = local.role_arns },
    { sid = "AttachDenyPolicyToGroups", actions = ["iam:AttachGroupPolicy", "iam:DetachGroupPolicy"], arns = local.group_arns },
  ]
}

################################################################################
# Notification topic (KMS encrypted; Budgets, Cost Anomaly Detection and this workload's CloudWatch alarms publish)
################################################################################

module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_kms_key
  description             = "${var.name}: budget and cost anomaly notifications"
  alias                   = "${var.name}-budget-alerts"
  account_id              = var.account_id
  partition               = local.partition
  administrator_sid       = "AccountAdministration"
  deletion_window_in_days = 30
  policy_statements = concat([
    {
      Sid       = "BudgetsAndCostAnomalyPublish"
      Effect    = "Allow"
      Principal = { Service = ["budgets.amazonaws.com", "costalerts.amazonaws.com"] }
      Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    },
    ], var.allow_cloudwatch_alarms ? [{
      # CloudWatch cannot publish to a CMK-encrypted topic without these (alarms notify no one otherwise).
      Sid       = "CloudWatchAlarmsPublish"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
      Resource  = "*"
      Condition = local.alarm_source_conditions
  }] : [])

  tags = var.tags
}

resource "aws_sns_topic" "this" {
  count = local.create_topic ? 1 : 0

  name = local.topic_name
  # the key is referenced directly (not through a local) so that the plan traces it
  kms_master_key_id = var.sns_kms_key_arn != null ? var.sns_kms_key_arn : module.kms_key.key_arn

  tags = var.tags
}

resource "aws_sns_topic_policy" "this" {
  count = local.create_topic ? 1 : 0

  arn = aws_sns_topic.this[0].arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid       = "AWSBudgetsPublish"
        Effect    = "Allow"
        Principal = { Service = "budgets.amazonaws.com" }
        Action    = "SNS:Publish"
        Resource  = local.topic_arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = var.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:budgets::${var.account_id}:*" }
        }
      },
      {
        Sid       = "CostAnomalyDetectionPublish"
        Effect    = "Allow"
        Principal = { Service = "costalerts.amazonaws.com" }
        Action    = "SNS:Publish"
        Resource  = local.topic_arn
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["SNS:Publish", "SNS:Subscribe"]
        Resource  = local.topic_arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      ], var.allow_cloudwatch_alarms ? [{
        Sid       = "CloudWatchAlarmsPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "SNS:Publish"
        Resource  = local.topic_arn
        Condition = local.alarm_source_conditions
    }] : [])
  })
}

################################################################################
# Monthly cost budget
################################################################################

resource "aws_budgets_budget" "this" {
  count = local.create_budget ? 1 : 0

  name         = var.name
  account_id   = var.account_id
  budget_type  = "COST"
  limit_amount = tostring(var.limit_amount)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "cost_filter" {
    for_each = var.cost_filters

    content {
      name   = cost_filter.key
      values = cost_filter.value
    }
  }

  dynamic "notification" {
    for_each = local.notifications

    content {
      comparison_operator        = "GREATER_THAN"
      notification_type          = notification.value.type
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      subscriber_email_addresses = var.notification_emails
      subscriber_sns_topic_arns  = local.sns_topic_arns
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.notification_emails) + length(local.sns_topic_arns) > 0
      error_message = "The budget needs at least one subscriber: notification_emails, create_sns_topic or sns_topic_arns."
    }
  }
}

################################################################################
# Budget action: deny accelerated capacity when the (non-prod) budget is exceeded
################################################################################

resource "aws_iam_policy" "deny_accelerated" {
  count = local.create_action ? 1 : 0

  name        = local.deny_policy_name
  description = "Attached by the ${var.name} budget action: denies new accelerated (${join(", ", var.denied_instance_families)}) capacity${var.deny_bedrock_inference ? " and Bedrock inference" : ""}."
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "DenyAcceleratedEC2Instances"
        Effect   = "Deny"
        Action   = ["ec2:RunInstances", "ec2:StartInstances", "ec2:CreateFleet"]
        Resource = "arn:${local.partition}:ec2:*:${var.account_id}:instance/*"
        Condition = {
          StringLike = { "ec2:InstanceType" = local.ec2_denied_types }
        }
      },
      {
        Sid    = "DenyAcceleratedSageMakerCapacity"
        Effect = "Deny"
        Action = [
          "sagemaker:CreateEndpointConfig",
          "sagemaker:CreateTrainingJob",
          "sagemaker:CreateProcessingJob",
          "sagemaker:CreateTransformJob",
          "sagemaker:CreateHyperParameterTuningJob",
          "sagemaker:CreateNotebookInstance",
          "sagemaker:CreateApp",
          "sagemaker:CreateCluster",
        ]
        Resource = "*"
        Condition = {
          "ForAnyValue:StringLike" = { "sagemaker:InstanceTypes" = local.sagemaker_denied_types }
        }
      },
      {
        # Endpoints take their instances from an endpoint configuration: these calls carry no
        # instance-type key, so creating, re-pointing and scaling endpoints is denied outright.
        Sid    = "DenySageMakerEndpointCapacity"
        Effect = "Deny"
        Action = [
          "sagemaker:CreateEndpoint",
          "sagemaker:UpdateEndpoint",
          "sagemaker:UpdateEndpointWeightsAndCapacities",
          "sagemaker:CreateInferenceComponent",
          "sagemaker:UpdateInferenceComponent",
          "sagemaker:UpdateInferenceComponentRuntimeConfig",
        ]
        Resource = "*"
      },
      {
        # EKS has no instance-type condition key and node groups launch through a service-linked
        # role: new node groups, node group resizing and Auto Scaling group scale-up calls are denied.
        Sid    = "DenyNodeGroupScaleUp"
        Effect = "Deny"
        Action = [
          "eks:CreateNodegroup",
          "eks:UpdateNodegroupConfig",
          "autoscaling:CreateAutoScalingGroup",
          "autoscaling:UpdateAutoScalingGroup",
          "autoscaling:SetDesiredCapacity",
        ]
        Resource = "*"
      },
      {
        Sid      = "DenyBedrockProvisionedThroughput"
        Effect   = "Deny"
        Action   = ["bedrock:CreateProvisionedModelThroughput", "bedrock:UpdateProvisionedModelThroughput"]
        Resource = "*"
      },
      ], var.deny_bedrock_inference ? [{
        # Token spend: model invocation (InvokeModel* also covers Converse* and StartAsyncInvoke),
        # agents, flows and knowledge-base generation.
        Sid    = "DenyBedrockInference"
        Effect = "Deny"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
          "bedrock:InvokeAgent",
          "bedrock:InvokeInlineAgent",
          "bedrock:InvokeFlow",
          "bedrock:RetrieveAndGenerate",
        ]
        Resource = "*"
    }] : [])
  })

  tags = var.tags
}

resource "aws_iam_role" "budget_action" {
  count = local.create_action ? 1 : 0

  name        = "${var.name}-budget-action"
  description = "Assumed by AWS Budgets to attach/detach the ${var.name} deny policy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AWSBudgets"
      Effect    = "Allow"
      Principal = { Service = "budgets.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = var.account_id }
        ArnLike      = { "aws:SourceArn" = local.budget_arn_pattern }
      }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "budget_action" {
  count = local.create_action ? 1 : 0

  name = "attach-deny-policy"
  role = aws_iam_role.budget_action[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for s in local.action_permissions : {
        Sid       = s.sid
        Effect    = "Allow"
        Action    = s.actions
        Resource  = s.arns
        Condition = { ArnEquals = { "iam:PolicyARN" = local.deny_policy_arn } }
      } if length(s.arns) > 0
    ]
  })
}

resource "aws_budgets_budget_action" "this" {
  count = local.create_action ? 1 : 0

  account_id         = var.account_id
  budget_name        = aws_budgets_budget.this[0].name
  action_type        = "APPLY_IAM_POLICY"
  approval_model     = var.action_approval_model
  notification_type  = "ACTUAL"
  execution_role_arn = aws_iam_role.budget_action[0].arn

  action_threshold {
    action_threshold_type  = "PERCENTAGE"
    action_threshold_value = var.action_threshold
  }

  definition {
    iam_action_definition {
      policy_arn = aws_iam_policy.deny_accelerated[0].arn
      roles      = length(var.action_target_role_names) > 0 ? var.action_target_role_names : null
      groups     = length(var.action_target_group_names) > 0 ? var.action_target_group_names : null
    }
  }

  dynamic "subscriber" {
    for_each = local.action_subscribers

    content {
      subscription_type = subscriber.value.type
      address           = subscriber.value.address
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.action_subscribers) > 0
      error_message = "The budget action needs at least one subscriber: notification_emails, create_sns_topic or sns_topic_arns."
    }
  }

  depends_on = [aws_iam_role_policy.budget_action]
}

################################################################################
# Cost Anomaly Detection
################################################################################

resource "aws_ce_anomaly_monitor" "this" {
  count = var.create && var.create_anomaly_detection ? 1 : 0

  name              = "${var.name}-services"
  monitor_type      = "DIMENSIONAL"
  monitor_dimension = "SERVICE"

  tags = var.tags
}

resource "aws_ce_anomaly_subscription" "this" {
  for_each = local.anomaly_subscriptions

  name             = "${var.name}-anomalies-${each.key}"
  account_id       = var.account_id
  frequency        = each.value.frequency
  monitor_arn_list = [aws_ce_anomaly_monitor.this[0].arn]

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [tostring(var.anomaly_threshold_amount)]
    }
  }

  dynamic "subscriber" {
    for_each = each.value.addresses

    content {
      type    = each.value.type
      address = subscriber.value
    }
  }

  tags = var.tags

  depends_on = [aws_sns_topic_policy.this]
}
