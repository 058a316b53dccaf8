mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  # The provider checks that a policy argument is a JSON object. The tests assert the documents'
  # statements (what the plan shows and the policy checks read), not the rendered JSON.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  # Valid ARNs / ids for the apply run (the provider validates these arguments).
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/genai-dev-sagemaker-execution" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
  mock_resource "aws_sagemaker_domain" {
    defaults = { id = "d-abcdefghijkl", arn = "arn:aws:sagemaker:us-east-1:111122223333:domain/d-abcdefghijkl" }
  }
}

variables {
  name           = "genai-dev"
  account_id     = "111122223333"
  vpc_id         = "vpc-0123456789abcdef0"
  vpc_cidr_block = "10.0.0.0/16"
  subnet_ids     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  tags           = { Environment = "dev" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = aws_sagemaker_domain.this[0].app_network_access_type == "VpcOnly" && aws_sagemaker_domain.this[0].auth_mode == "IAM"
    error_message = "The domain must be VpcOnly."
  }

  assert {
    condition     = toset(aws_sagemaker_domain.this[0].subnet_ids) == toset(var.subnet_ids) && aws_sagemaker_domain.this[0].vpc_id == var.vpc_id
    error_message = "The domain must use the given private subnets."
  }

  assert {
    condition     = module.kms_key.key != null && module.kms_key.key.enable_key_rotation
    error_message = "A CMK with rotation must be created when no key is given."
  }

  assert {
    condition     = aws_sagemaker_domain.this[0].domain_settings[0].docker_settings[0].enable_docker_access == "DISABLED"
    error_message = "Docker access (root-equivalent) must be disabled."
  }

  assert {
    condition     = aws_sagemaker_domain.this[0].domain_settings[0].execution_role_identity_config == "USER_PROFILE_NAME"
    error_message = "Sessions must carry the user profile name as source identity."
  }

  assert {
    condition = (
      aws_sagemaker_domain.this[0].default_user_settings[0].sharing_settings[0].notebook_output_option == "Disabled" &&
      aws_sagemaker_domain.this[0].default_user_settings[0].studio_web_portal == "ENABLED" &&
      aws_sagemaker_domain.this[0].default_user_settings[0].jupyter_lab_app_settings[0].app_lifecycle_management[0].idle_settings[0].lifecycle_management == "ENABLED" &&
      aws_sagemaker_domain.this[0].default_user_settings[0].jupyter_lab_app_settings[0].app_lifecycle_management[0].idle_settings[0].idle_timeout_in_minutes == 60
    )
    error_message = "Default user settings must disable notebook sharing and shut idle apps down."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.https_vpc[0].cidr_ipv4 == "10.0.0.0/16" && aws_vpc_security_group_egress_rule.https_vpc[0].from_port == 443
    error_message = "Egress must be HTTPS to the VPC CIDR."
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.https_s3) == 0 && aws_vpc_security_group_ingress_rule.self[0].cidr_ipv4 == null
    error_message = "No CIDR ingress at all; no S3 egress without a prefix list."
  }

  assert {
    condition     = length(aws_sagemaker_model.this) == 0 && length(aws_sagemaker_endpoint.this) == 0 && length(aws_sagemaker_user_profile.this) == 0 && length(aws_cloudwatch_metric_alarm.endpoint) == 0
    error_message = "No endpoint, no endpoint alarm and no user profile by default."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.execution_ecr) == 0 && length(data.aws_iam_policy_document.execution[0].source_policy_documents) == 0
    error_message = "Without a model image or repositories the execution role may pull from no ECR repository."
  }

  assert {
    condition     = toset(jsondecode(aws_iam_role.execution[0].assume_role_policy).Statement[0].Action) == toset(["sts:AssumeRole", "sts:SetSourceIdentity"])
    error_message = "The execution role must be assumable by SageMaker with source identity."
  }

  assert {
    condition     = aws_sagemaker_domain.this[0].tags["Environment"] == "dev" && module.kms_key.key.tags["Environment"] == "dev"
    error_message = "Tags must be passed to resources."
  }
}

run "execution_policy_after_apply" {
  command = apply

  variables {
    create_endpoint = true
    model_image     = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.2-optimum0.0.24-neuronx-py310-ubuntu22.04"
    model_data_url  = "s3://genai-dev-models/llm/model.tar.gz"
  }

  override_data {
    target = data.aws_iam_policy_document.execution[0]
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"execution\"}]}" }
  }

  override_data {
    target = data.aws_iam_policy_document.studio[0]
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StudioAppsInThisDomain\"}]}" }
  }

  assert {
    condition = (
      aws_iam_role_policy.execution[0].policy == data.aws_iam_policy_document.execution[0].json &&
      aws_iam_role_policy.studio[0].policy == data.aws_iam_policy_document.studio[0].json &&
      aws_iam_role_policy.execution[0].role == aws_iam_role.execution[0].id &&
      aws_iam_role_policy.studio[0].role == aws_iam_role.execution[0].id &&
      data.aws_iam_policy_document.execution[0].source_policy_documents == tolist([data.aws_iam_policy_document.execution_ecr[0].json])
    )
    error_message = "The execution role's policies must be the execution document (with the ECR document merged in) and the Studio document."
  }

  assert {
    condition = alltrue([
      for st in concat(data.aws_iam_policy_document.execution[0].statement, data.aws_iam_policy_document.execution_ecr[0].statement, data.aws_iam_policy_document.studio[0].statement) :
      (st.effect == null || st.effect == "Allow") && st.not_actions == null && st.not_resources == null && !anytrue([for a in st.actions : endswith(a, "*")])
    ])
    error_message = "The execution policies must not use wildcard actions, NotAction or NotResource."
  }

  assert {
    condition = [
      for st in concat(data.aws_iam_policy_document.execution[0].statement, data.aws_iam_policy_document.execution_ecr[0].statement, data.aws_iam_policy_document.studio[0].statement) :
      st.sid if contains(st.resources, "*")
    ] == ["SageMakerMetrics", "EcrLogin", "DescribeVpcForEnis"]
    error_message = "Only actions without a resource type may use Resource \"*\"."
  }

  assert {
    condition     = data.aws_iam_policy_document.execution_ecr[0].statement[0].resources == toset(["arn:aws:ecr:us-east-1:763104351884:repository/huggingface-pytorch-tgi-inference"])
    error_message = "The model image's repository must be derived from model_image."
  }

  assert {
    condition = one([
      for st in data.aws_iam_policy_document.execution[0].statement : st.resources if st.sid == "NamedBuckets"
    ]) == toset(["arn:aws:s3:::sagemaker-us-east-1-111122223333", "arn:aws:s3:::genai-dev-models"])
    error_message = "S3 access must be limited to the SageMaker default bucket and the model data bucket."
  }

  assert {
    condition = alltrue([
      for st in data.aws_iam_policy_document.execution[0].statement : st.resources == toset([module.kms_key.key.arn]) if startswith(st.sid, "UseVolumeKey") || startswith(st.sid, "GrantVolumeKey")
    ])
    error_message = "KMS permissions must be limited to the volume key."
  }

  assert {
    condition = contains(one([
      for st in data.aws_iam_policy_document.execution[0].statement : st.resources if st.sid == "CreateEnisInTheseSubnetsOnly"
    ]), "arn:aws:ec2:us-east-1:111122223333:security-group/${aws_security_group.this[0].id}")
    error_message = "ENIs may be created only with this module's security group."
  }

  assert {
    condition     = contains(data.aws_iam_policy_document.studio[0].statement[0].resources, "arn:aws:sagemaker:us-east-1:111122223333:app/d-abcdefghijkl/*") && length(data.aws_iam_policy_document.studio[0].statement[0].resources) == 4
    error_message = "Studio app permissions must be scoped to this domain."
  }

  assert {
    condition     = aws_sagemaker_model.this[0].enable_network_isolation && toset(aws_sagemaker_model.this[0].vpc_config[0].subnets) == toset(var.subnet_ids)
    error_message = "The model must run network-isolated in the private subnets."
  }

  assert {
    condition = (
      aws_sagemaker_endpoint_configuration.this[0].kms_key_arn == module.kms_key.key.arn &&
      aws_sagemaker_endpoint_configuration.this[0].production_variants[0].initial_instance_count == 2 &&
      aws_sagemaker_endpoint_configuration.this[0].production_variants[0].instance_type == "ml.inf2.xlarge"
    )
    error_message = "The endpoint configuration must use the CMK and 2 ml.inf2.xlarge instances by default."
  }

  assert {
    condition = (
      aws_appautoscaling_target.endpoint[0].min_capacity == 2 &&
      aws_appautoscaling_target.endpoint[0].max_capacity == 4 &&
      aws_appautoscaling_target.endpoint[0].resource_id == "endpoint/genai-dev-endpoint/variant/AllTraffic" &&
      aws_appautoscaling_policy.endpoint[0].target_tracking_scaling_policy_configuration[0].predefined_metric_specification[0].predefined_metric_type == "SageMakerVariantInvocationsPerInstance"
    )
    error_message = "The endpoint must scale 2..4 on invocations per instance."
  }

  assert {
    condition     = output.model_name == aws_sagemaker_model.this[0].name && startswith(output.model_name, "genai-dev-model-") && output.endpoint_name == "genai-dev-endpoint"
    error_message = "Outputs must expose the model and endpoint names."
  }
}

run "instance_storage_type_has_no_kms_key" {
  command = plan

  variables {
    create_endpoint        = true
    endpoint_instance_type = "ml.g4dn.xlarge"
    model_image            = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_data_url         = "s3://genai-dev-models/llm/model.tar.gz"
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this[0].kms_key_arn == null
    error_message = "Instance types with local NVMe storage must not get a KMS key (SageMaker rejects it)."
  }

  assert {
    condition = alltrue([
      for t in [aws_sagemaker_model.this[0].tags, aws_sagemaker_endpoint_configuration.this[0].tags, aws_sagemaker_endpoint.this[0].tags] :
      !contains(keys(t), "gpu-justification") && t["Environment"] == "dev"
    ])
    error_message = "Without gpu_justification no justification tag may be invented."
  }
}

run "gpu_justification_tags_serving_resources" {
  command = plan

  variables {
    create_endpoint        = true
    endpoint_instance_type = "ml.g4dn.xlarge"
    model_image            = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_data_url         = "s3://genai-dev-models/llm/model.tar.gz"
    gpu_justification      = "CUDA-only TGI image - local emulator rejects ml.g5"
  }

  assert {
    condition = alltrue([
      for t in [aws_sagemaker_model.this[0].tags, aws_sagemaker_endpoint_configuration.this[0].tags, aws_sagemaker_endpoint.this[0].tags] :
      t["gpu-justification"] == "CUDA-only TGI image - local emulator rejects ml.g5" && t["Environment"] == "dev"
    ])
    error_message = "gpu_justification must tag the model, the endpoint configuration and the endpoint, next to the common tags."
  }

  assert {
    condition     = !contains(keys(aws_iam_role.execution[0].tags), "gpu-justification") && !contains(keys(aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].tags), "gpu-justification")
    error_message = "The justification belongs to the serving resources only."
  }
}

run "endpoint_alarms" {
  command = plan

  variables {
    create_endpoint = true
    model_image     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_data_url  = "s3://genai-dev-models/llm/model.tar.gz"
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.endpoint)) == toset(["model-latency-p99", "invocation-5xx-errors", "memory-utilization", "disk-utilization"])
    error_message = "The endpoint must get latency, 5XX, memory and disk alarms."
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.endpoint :
      a.dimensions["EndpointName"] == aws_sagemaker_endpoint.this[0].name &&
      a.dimensions["VariantName"] == aws_sagemaker_endpoint_configuration.this[0].production_variants[0].variant_name &&
      length(a.dimensions) == 2
    ])
    error_message = "Every alarm must watch this endpoint's variant (EndpointName and VariantName dimensions)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].namespace == "AWS/SageMaker" &&
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].metric_name == "ModelLatency" &&
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].extended_statistic == "p99" &&
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].statistic == null &&
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].threshold == 10000000
    )
    error_message = "The latency alarm must watch AWS/SageMaker ModelLatency p99, threshold in microseconds (10 s)."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].namespace == "AWS/SageMaker" &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].metric_name == "Invocation5XXErrors" &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].statistic == "Sum" &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].threshold == 5 &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].comparison_operator == "GreaterThanOrEqualToThreshold" &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].treat_missing_data == "notBreaching"
    )
    error_message = "The 5XX alarm must sum AWS/SageMaker Invocation5XXErrors against the threshold; no traffic is not an error."
  }

  assert {
    condition = alltrue([
      for k in ["memory-utilization", "disk-utilization"] :
      aws_cloudwatch_metric_alarm.endpoint[k].namespace == "/aws/sagemaker/Endpoints" && aws_cloudwatch_metric_alarm.endpoint[k].statistic == "Average"
    ]) && aws_cloudwatch_metric_alarm.endpoint["memory-utilization"].threshold == 90 && aws_cloudwatch_metric_alarm.endpoint["disk-utilization"].threshold == 85
    error_message = "Instance health alarms must watch /aws/sagemaker/Endpoints memory and disk utilization."
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.endpoint :
      a.actions_enabled && length(a.alarm_actions) == 0 && a.tags["Environment"] == "dev" && startswith(a.alarm_name, "genai-dev-endpoint-")
    ])
    error_message = "Alarms are enabled, tagged and named after the endpoint; no action without a topic."
  }

  assert {
    condition     = toset(keys(output.alarm_arns)) == toset(keys(aws_cloudwatch_metric_alarm.endpoint))
    error_message = "alarm_arns must map every alarm."
  }
}

run "alarm_thresholds_and_topics" {
  command = plan

  variables {
    create_endpoint                           = true
    model_image                               = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_data_url                            = "s3://genai-dev-models/llm/model.tar.gz"
    alarm_sns_topic_arns                      = ["arn:aws:sns:us-east-1:111122223333:genai-dev-alarms"]
    endpoint_alarm_model_latency_p99_ms       = 2500
    endpoint_alarm_5xx_errors_threshold       = 1
    endpoint_alarm_memory_utilization_percent = 80
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.endpoint :
      a.alarm_actions == toset(["arn:aws:sns:us-east-1:111122223333:genai-dev-alarms"]) && a.ok_actions == a.alarm_actions
    ])
    error_message = "Every alarm must notify the given topics on ALARM and OK."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.endpoint["model-latency-p99"].threshold == 2500000 &&
      aws_cloudwatch_metric_alarm.endpoint["invocation-5xx-errors"].threshold == 1 &&
      aws_cloudwatch_metric_alarm.endpoint["memory-utilization"].threshold == 80
    )
    error_message = "Thresholds must come from the inputs."
  }
}

run "alarms_off" {
  command = plan

  variables {
    create_endpoint = true
    model_image     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_data_url  = "s3://genai-dev-models/llm/model.tar.gz"
    create_alarms   = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.endpoint) == 0 && length(aws_sagemaker_endpoint.this) == 1 && output.alarm_arns == {}
    error_message = "create_alarms = false must skip only the alarms."
  }
}

run "given_key_profiles_and_s3_egress" {
  command = plan

  variables {
    kms_key_arn           = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    create_s3_egress_rule = true
    s3_prefix_list_id     = "pl-63a5400a"
    create_user_profiles = {
      alice = {}
      bob   = { execution_role_arn = "arn:aws:iam::111122223333:role/bob-sagemaker" }
    }
  }

  assert {
    condition     = module.kms_key.key == null && aws_sagemaker_domain.this[0].kms_key_id == var.kms_key_arn
    error_message = "A given key must be used and no key created."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.https_s3[0].prefix_list_id == "pl-63a5400a" && aws_vpc_security_group_egress_rule.https_s3[0].to_port == 443 && output.s3_egress_rule_planned
    error_message = "S3 egress must be HTTPS to the S3 prefix list."
  }

  assert {
    condition     = length(aws_sagemaker_user_profile.this) == 2 && aws_sagemaker_user_profile.this["bob"].user_settings[0].execution_role == "arn:aws:iam::111122223333:role/bob-sagemaker"
    error_message = "User profiles must be created with their own role when given."
  }
}

run "domain_off_for_emulator" {
  command = plan

  variables {
    create_domain = false
  }

  assert {
    condition     = length(aws_sagemaker_domain.this) == 0 && length(aws_iam_role.execution) == 1 && length(aws_iam_role_policy.execution) == 1 && length(aws_iam_role_policy.studio) == 0 && length(data.aws_iam_policy_document.studio) == 0 && output.domain_id == null
    error_message = "create_domain = false must skip only the domain."
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_sagemaker_domain.this) == 0 && length(aws_iam_role.execution) == 0 && length(aws_iam_role_policy.execution) == 0 && length(data.aws_iam_policy_document.execution) == 0 && module.kms_key.key == null && length(aws_security_group.this) == 0
    error_message = "create = false must plan no resources."
  }
}

run "rejects_single_instance_endpoint" {
  command = plan
  variables {
    endpoint_initial_instance_count = 1
  }
  expect_failures = [var.endpoint_initial_instance_count]
}

run "rejects_non_ml_instance_type" {
  command = plan
  variables {
    endpoint_instance_type = "inf2.xlarge"
  }
  expect_failures = [var.endpoint_instance_type]
}

run "rejects_single_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_endpoint_without_image" {
  command = plan
  variables {
    create_endpoint = true
  }
  expect_failures = [var.create_endpoint]
}

run "rejects_non_ecr_image" {
  command = plan
  variables {
    model_image = "docker.io/library/nginx:latest"
  }
  expect_failures = [var.model_image]
}

run "rejects_bad_model_data_url" {
  command = plan
  variables {
    model_data_url = "https://example.com/model.tar.gz"
  }
  expect_failures = [var.model_data_url]
}

run "rejects_max_below_min" {
  command = plan
  variables {
    endpoint_max_capacity = 1
  }
  expect_failures = [var.endpoint_max_capacity]
}

run "rejects_open_vpc_cidr" {
  command = plan
  variables {
    vpc_cidr_block = "0.0.0.0/0"
  }
  expect_failures = [var.vpc_cidr_block]
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "1111222233334"
  }
  expect_failures = [var.account_id]
}

run "rejects_gpu_justification_on_inferentia" {
  command = plan
  variables {
    gpu_justification = "CUDA-only TGI image - Neuron port planned"
  }
  expect_failures = [var.gpu_justification]
}

run "rejects_empty_gpu_justification" {
  command = plan
  variables {
    endpoint_instance_type = "ml.g4dn.xlarge"
    gpu_justification      = "   "
  }
  expect_failures = [var.gpu_justification]
}

run "rejects_zero_latency_threshold" {
  command = plan
  variables {
    endpoint_alarm_model_latency_p99_ms = 0
  }
  expect_failures = [var.endpoint_alarm_model_latency_p99_ms]
}

run "rejects_fractional_5xx_threshold" {
  command = plan
  variables {
    endpoint_alarm_5xx_errors_threshold = 0.5
  }
  expect_failures = [var.endpoint_alarm_5xx_errors_threshold]
}

run "rejects_unreachable_memory_threshold" {
  command = plan
  variables {
    endpoint_alarm_memory_utilization_percent = 100
  }
  expect_failures = [var.endpoint_alarm_memory_utilization_percent]
}

run "rejects_disk_threshold_above_100" {
  command = plan
  variables {
    endpoint_alarm_disk_utilization_percent = 150
  }
  expect_failures = [var.endpoint_alarm_disk_utilization_percent]
}

run "rejects_fifo_or_non_sns_alarm_target" {
  command = plan
  variables {
    alarm_sns_topic_arns = ["arn:aws:sns:us-east-1:111122223333:alarms.fifo", "arn:aws:sqs:us-east-1:111122223333:alarms"]
  }
  expect_failures = [var.alarm_sns_topic_arns]
}

run "rejects_gpu_justification_with_non_tag_characters" {
  command = plan
  variables {
    endpoint_instance_type = "ml.g4dn.xlarge"
    gpu_justification      = "CUDA-only image; no Neuron build (yet)"
  }
  expect_failures = [var.gpu_justification]
}

# A prefix list id known only after apply (the network module's gateway endpoint created in the
# same plan) must not decide the rule's count: the switch does ("Invalid count argument" before).
run "s3_egress_with_prefix_list_known_after_apply" {
  command = plan

  module {
    source = "./tests/with_prefix_list_after_apply"
  }

  assert {
    condition     = output.s3_egress_rule_planned
    error_message = "The S3 egress rule must plan while the prefix list id is known only after apply."
  }
}

run "no_s3_egress_without_the_switch" {
  command = plan

  variables {
    s3_prefix_list_id = "pl-63a5400a"
  }

  assert {
    condition     = length(aws_vpc_security_group_egress_rule.https_s3) == 0
    error_message = "Without create_s3_egress_rule no S3 egress rule is created."
  }
}

run "s3_egress_switch_needs_a_prefix_list" {
  command = plan

  variables {
    create_s3_egress_rule = true
  }

  expect_failures = [aws_vpc_security_group_egress_rule.https_s3]
}

run "endpoint_model_from_s3_keeps_network_isolation" {
  command = plan

  variables {
    create_endpoint   = true
    model_image       = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.2-optimum0.0.24-neuronx-py310-ubuntu22.04"
    model_data_url    = "s3://genai-dev-models/llm/model.tar.gz"
    model_environment = { HF_MODEL_ID = "/opt/ml/model", HF_NUM_CORES = "2" }
  }

  assert {
    condition = (
      aws_sagemaker_model.this[0].enable_network_isolation &&
      aws_sagemaker_model.this[0].primary_container[0].model_data_url == "s3://genai-dev-models/llm/model.tar.gz" &&
      aws_sagemaker_model.this[0].primary_container[0].environment["HF_MODEL_ID"] == "/opt/ml/model" &&
      !contains(keys(aws_sagemaker_model.this[0].tags), "network-isolation-off-justification")
    )
    error_message = "An S3 model artifact is served with network isolation and TGI pointed at /opt/ml/model."
  }

  assert {
    condition     = toset(aws_sagemaker_model.this[0].vpc_config[0].subnets) == toset(var.subnet_ids)
    error_message = "The model downloads its artifact through the VPC (S3 gateway endpoint)."
  }
}

run "endpoint_model_from_the_hub_needs_network_and_a_reason" {
  command = plan

  variables {
    create_endpoint                     = true
    model_image                         = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_environment                   = { HF_MODEL_ID = "meta-llama/Llama-3.1-8B-Instruct", SM_NUM_GPUS = "1" }
    enable_network_isolation            = false
    network_isolation_off_justification = "Pilot pulls the model from the hub through the NAT egress"
  }

  assert {
    condition = (
      !aws_sagemaker_model.this[0].enable_network_isolation &&
      aws_sagemaker_model.this[0].primary_container[0].model_data_url == null &&
      aws_sagemaker_model.this[0].tags["network-isolation-off-justification"] == "Pilot pulls the model from the hub through the NAT egress" &&
      aws_sagemaker_model.this[0].tags["Environment"] == "dev"
    )
    error_message = "A hub model runs without network isolation and says why on the model."
  }
}

run "rejects_endpoint_without_model_source" {
  command = plan
  variables {
    create_endpoint = true
    model_image     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
  }
  expect_failures = [var.create_endpoint]
}

run "rejects_hub_model_with_network_isolation" {
  command = plan
  variables {
    create_endpoint   = true
    model_image       = "111122223333.dkr.ecr.us-east-1.amazonaws.com/llm:1.0"
    model_environment = { HF_MODEL_ID = "meta-llama/Llama-3.1-8B-Instruct" }
  }
  expect_failures = [var.create_endpoint]
}

run "rejects_network_isolation_off_without_reason" {
  command = plan
  variables {
    enable_network_isolation = false
  }
  expect_failures = [var.network_isolation_off_justification]
}

run "rejects_secret_in_model_environment" {
  command = plan
  variables {
    model_environment = { HF_TOKEN = "hf_abc" }
  }
  expect_failures = [var.model_environment]
}
