mock_provider "aws" {
  override_data {
    target = data.aws_region.current
    values = { name = "us-east-1" }
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  # Known topic/policy ARNs at plan time so notification sets and policies can be asserted.
  mock_resource "aws_sns_topic" {
    override_during = plan
    defaults = {
      arn = "arn:aws:sns:us-east-1:111122223333:genai-dev-budget-alerts"
    }
  }

  mock_resource "aws_iam_policy" {
    override_during = plan
    defaults = {
      arn = "arn:aws:iam::111122223333:policy/genai-dev-deny-accelerated-compute"
    }
  }
}

variables {
  name                = "genai-dev"
  account_id          = "111122223333"
  limit_amount        = 5000
  notification_emails = ["finops@example.com"]
  tags                = { project = "genai-lz" }
}

run "defaults" {
  command = plan

  assert {
    condition     = aws_budgets_budget.this[0].budget_type == "COST" && aws_budgets_budget.this[0].time_unit == "MONTHLY" && aws_budgets_budget.this[0].limit_unit == "USD" && tonumber(aws_budgets_budget.this[0].limit_amount) == 5000
    error_message = "A monthly USD cost budget with the given limit."
  }

  assert {
    condition     = length(aws_budgets_budget.this[0].notification) == 6
    error_message = "ACTUAL and FORECASTED notifications for each of the 3 default thresholds."
  }

  assert {
    condition     = toset([for n in aws_budgets_budget.this[0].notification : "${n.notification_type}-${n.threshold}"]) == toset(["ACTUAL-50", "ACTUAL-80", "ACTUAL-100", "FORECASTED-50", "FORECASTED-80", "FORECASTED-100"])
    error_message = "Thresholds 50/80/100 for ACTUAL and FORECASTED."
  }

  assert {
    condition     = alltrue([for n in aws_budgets_budget.this[0].notification : n.threshold_type == "PERCENTAGE" && n.subscriber_email_addresses == toset(["finops@example.com"])])
    error_message = "Percentage thresholds notify the emails."
  }

  assert {
    condition     = module.kms_key.key.enable_key_rotation == true && length(aws_sns_topic.this) == 1
    error_message = "The SNS topic is created with a rotating CMK."
  }

  assert {
    condition     = contains(jsondecode(module.kms_key.key.policy).Statement[1].Principal.Service, "budgets.amazonaws.com") && jsondecode(module.kms_key.key.policy).Statement[1].Condition.StringEquals["aws:SourceAccount"] == "111122223333"
    error_message = "The key lets Budgets use it for this account only."
  }

  assert {
    condition     = length(aws_budgets_budget_action.this) == 0 && length(aws_iam_policy.deny_accelerated) == 0 && output.deny_policy_arn == null
    error_message = "No budget action by default."
  }

  assert {
    condition     = aws_ce_anomaly_monitor.this[0].monitor_type == "DIMENSIONAL" && aws_ce_anomaly_monitor.this[0].monitor_dimension == "SERVICE"
    error_message = "A DIMENSIONAL SERVICE anomaly monitor."
  }

  assert {
    condition     = aws_ce_anomaly_subscription.this["sns"].frequency == "IMMEDIATE" && aws_ce_anomaly_subscription.this["email"].frequency == "DAILY"
    error_message = "SNS gets immediate anomaly alerts, emails a daily summary."
  }

  assert {
    condition     = aws_ce_anomaly_subscription.this["email"].threshold_expression[0].dimension[0].key == "ANOMALY_TOTAL_IMPACT_ABSOLUTE" && aws_ce_anomaly_subscription.this["email"].threshold_expression[0].dimension[0].values == toset(["100"])
    error_message = "Anomalies alert at a total impact of 100 USD."
  }
}

run "budget_action" {
  command = plan

  variables {
    create_budget_action     = true
    action_threshold         = 90
    action_target_role_names = ["genai-dev-developers"]
    cost_filters             = { Service = ["Amazon SageMaker", "Amazon Elastic Compute Cloud - Compute"] }
  }

  assert {
    condition     = aws_budgets_budget_action.this[0].action_type == "APPLY_IAM_POLICY" && aws_budgets_budget_action.this[0].notification_type == "ACTUAL" && aws_budgets_budget_action.this[0].action_threshold[0].action_threshold_value == 90
    error_message = "The action applies an IAM policy at 90 % of actual spend."
  }

  assert {
    condition     = aws_budgets_budget_action.this[0].definition[0].iam_action_definition[0].roles == toset(["genai-dev-developers"])
    error_message = "The deny policy targets the given roles."
  }

  assert {
    condition     = length(aws_budgets_budget_action.this[0].subscriber) == 2
    error_message = "The action notifies the email and the SNS topic."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : s.Effect == "Deny"])
    error_message = "The budget action policy only denies."
  }

  assert {
    condition     = jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement[0].Condition.StringLike["ec2:InstanceType"] == ["inf*", "trn*", "p*", "g*"]
    error_message = "EC2 accelerated families are denied through ec2:InstanceType."
  }

  assert {
    condition     = jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement[1].Condition["ForAnyValue:StringLike"]["sagemaker:InstanceTypes"] == ["ml.inf*", "ml.trn*", "ml.p*", "ml.g*"]
    error_message = "SageMaker accelerated types are denied through sagemaker:InstanceTypes."
  }

  assert {
    condition = toset(one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Action if st.Sid == "DenyNodeGroupScaleUp"])) == toset([
      "eks:CreateNodegroup", "eks:UpdateNodegroupConfig", "autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity",
    ])
    error_message = "New EKS node groups and node group / Auto Scaling scale-up are denied."
  }

  assert {
    condition = (
      toset(["sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"]) == setintersection(toset(one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Action if st.Sid == "DenySageMakerEndpointCapacity"])), toset(["sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:UpdateEndpointWeightsAndCapacities"])) &&
      toset(one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Action if st.Sid == "DenyBedrockProvisionedThroughput"])) == toset(["bedrock:CreateProvisionedModelThroughput", "bedrock:UpdateProvisionedModelThroughput"])
    )
    error_message = "SageMaker endpoint creation/update and Bedrock provisioned throughput are denied."
  }

  assert {
    condition = (
      contains(one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Action if st.Sid == "DenyBedrockInference"]), "bedrock:InvokeModel") &&
      contains(one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Action if st.Sid == "DenyBedrockInference"]), "bedrock:InvokeModelWithResponseStream") &&
      one([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Resource if st.Sid == "DenyBedrockInference"]) == "*"
    )
    error_message = "Bedrock inference is denied by default."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.budget_action[0].policy).Statement == [{
      Sid       = "AttachDenyPolicyToRoles"
      Effect    = "Allow"
      Action    = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
      Resource  = ["arn:aws:iam::111122223333:role/genai-dev-developers"]
      Condition = { ArnEquals = { "iam:PolicyARN" = "arn:aws:iam::111122223333:policy/genai-dev-deny-accelerated-compute" } }
    }]
    error_message = "The action role may only attach/detach the deny policy to the target roles."
  }

  assert {
    condition     = jsondecode(aws_iam_role.budget_action[0].assume_role_policy).Statement[0].Principal.Service == "budgets.amazonaws.com" && jsondecode(aws_iam_role.budget_action[0].assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "111122223333"
    error_message = "Only AWS Budgets of this account may assume the action role."
  }

  assert {
    condition     = toset([for f in aws_budgets_budget.this[0].cost_filter : f.name]) == toset(["Service"])
    error_message = "Cost filters are passed to the budget."
  }
}

run "existing_topic" {
  command = plan

  variables {
    create_sns_topic = false
    sns_topic_arns   = ["arn:aws:sns:us-east-1:111122223333:finops"]
  }

  assert {
    condition     = length(aws_sns_topic.this) == 0 && module.kms_key.key == null && output.sns_topic_arn == "arn:aws:sns:us-east-1:111122223333:finops"
    error_message = "A given topic is used and none is created."
  }

  assert {
    condition     = alltrue([for n in aws_budgets_budget.this[0].notification : n.subscriber_sns_topic_arns == toset(["arn:aws:sns:us-east-1:111122223333:finops"])])
    error_message = "Notifications go to the given topic."
  }
}

run "emulator_toggles" {
  command = plan

  variables {
    create_budget            = false
    create_anomaly_detection = false
  }

  assert {
    condition     = length(aws_budgets_budget.this) == 0 && length(aws_ce_anomaly_monitor.this) == 0 && length(aws_ce_anomaly_subscription.this) == 0 && length(aws_sns_topic.this) == 1
    error_message = "Budgets and anomaly detection can be switched off separately (local emulator)."
  }
}

run "reject_zero_limit" {
  command = plan

  variables {
    limit_amount = 0
  }

  expect_failures = [var.limit_amount]
}

run "reject_threshold_out_of_range" {
  command = plan

  variables {
    thresholds = [50, 1001]
  }

  expect_failures = [var.thresholds]
}

run "reject_bad_email" {
  command = plan

  variables {
    notification_emails = ["not-an-email"]
  }

  expect_failures = [var.notification_emails]
}

run "reject_action_without_targets" {
  command = plan

  variables {
    create_budget_action = true
  }

  expect_failures = [var.action_target_group_names]
}

run "reject_unknown_cost_filter" {
  command = plan

  variables {
    cost_filters = { Project = ["genai"] }
  }

  expect_failures = [var.cost_filters]
}

run "reject_two_topics" {
  command = plan

  variables {
    sns_topic_arns = ["arn:aws:sns:us-east-1:111122223333:finops"]
  }

  expect_failures = [var.sns_topic_arns]
}

run "given_sns_key" {
  command = plan

  variables {
    sns_kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = aws_sns_topic.this[0].kms_master_key_id == "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555" && module.kms_key.key == null
    error_message = "A given key encrypts the topic and no key is created."
  }
}

run "cloudwatch_alarms_publish_to_the_encrypted_topic" {
  command = plan

  assert {
    condition = (
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Effect == "Allow" &&
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Principal.Service == "cloudwatch.amazonaws.com" &&
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Action == "SNS:Publish" &&
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Resource == "arn:aws:sns:us-east-1:111122223333:genai-dev-budget-alerts" &&
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Condition.StringEquals["aws:SourceAccount"] == "111122223333" &&
      one([for st in jsondecode(aws_sns_topic_policy.this[0].policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Condition.ArnLike["aws:SourceArn"] == "arn:aws:cloudwatch:us-east-1:111122223333:alarm:genai-dev*"
    )
    error_message = "The topic policy must let this account's CloudWatch alarms (named after the workload) publish."
  }

  assert {
    condition = (
      one([for st in jsondecode(module.kms_key.key.policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Principal.Service == "cloudwatch.amazonaws.com" &&
      toset(one([for st in jsondecode(module.kms_key.key.policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Action) == toset(["kms:GenerateDataKey*", "kms:Decrypt"]) &&
      one([for st in jsondecode(module.kms_key.key.policy).Statement : st if st.Sid == "CloudWatchAlarmsPublish"]).Condition.ArnLike["aws:SourceArn"] == "arn:aws:cloudwatch:us-east-1:111122223333:alarm:genai-dev*"
    )
    error_message = "The topic's key policy must let CloudWatch use the key, or alarms cannot publish to the encrypted topic."
  }
}

run "cloudwatch_alarms_not_allowed" {
  command = plan

  variables {
    allow_cloudwatch_alarms = false
  }

  assert {
    condition = !anytrue([
      for st in concat(jsondecode(aws_sns_topic_policy.this[0].policy).Statement, jsondecode(module.kms_key.key.policy).Statement) :
      st.Sid == "CloudWatchAlarmsPublish"
    ])
    error_message = "allow_cloudwatch_alarms = false must grant CloudWatch nothing."
  }
}

run "reject_wildcard_alarm_prefix" {
  command = plan
  variables {
    cloudwatch_alarm_name_prefix = "*"
  }
  expect_failures = [var.cloudwatch_alarm_name_prefix]
}

run "budget_action_without_inference_deny" {
  command = plan

  variables {
    create_budget_action     = true
    action_target_role_names = ["genai-dev-developers"]
    deny_bedrock_inference   = false
  }

  assert {
    condition     = !contains([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Sid], "DenyBedrockInference") && contains([for st in jsondecode(aws_iam_policy.deny_accelerated[0].policy).Statement : st.Sid], "DenyNodeGroupScaleUp")
    error_message = "deny_bedrock_inference = false keeps only the capacity denials."
  }
}
