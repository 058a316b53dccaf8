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
  # Valid ARNs for the apply run (the provider validates ARN arguments).
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/genai-dev-bedrock" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::111122223333:policy/genai-dev-bedrock-invoke" }
  }
  mock_resource "aws_bedrock_guardrail" {
    defaults = { guardrail_arn = "arn:aws:bedrock:us-east-1:111122223333:guardrail/abcdef123456" }
  }
}

variables {
  name       = "genai-dev"
  account_id = "111122223333"
  allowed_model_ids = [
    "anthropic.claude-3-haiku-20240307-v1:0",
    "amazon.titan-embed-text-v2:0",
  ]
  tags = { Environment = "dev" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = module.kms_key.key != null && module.kms_key.key.enable_key_rotation
    error_message = "A CMK with rotation must be created when no key is given."
  }

  assert {
    condition = toset([for s in jsondecode(module.kms_key.key.policy).Statement : jsonencode(s.Principal)]) == toset([
      jsonencode({ AWS = "arn:aws:iam::111122223333:root" }),
      jsonencode({ Service = "logs.us-east-1.amazonaws.com" }),
      jsonencode({ Service = "bedrock.amazonaws.com" }),
    ])
    error_message = "The key policy must let the account, CloudWatch Logs and Bedrock use the key, nobody else."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(module.kms_key.key.policy).Statement : s.Condition != null if s.Sid != "AccountRootAdministers"
    ])
    error_message = "Service grants in the key policy must be conditioned."
  }

  assert {
    condition     = module.invocation_log_bucket.resources.bucket.bucket == "genai-dev-bedrock-logs-111122223333-us-east-1"
    error_message = "Default bucket name must be <name>-bedrock-logs-<account>-<region>."
  }

  assert {
    condition     = module.invocation_log_bucket.resources.versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The invocation log bucket must be versioned."
  }

  assert {
    condition = (
      one(module.invocation_log_bucket.resources.encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      one(module.invocation_log_bucket.resources.encryption.rule).bucket_key_enabled
    )
    error_message = "The invocation log bucket must use SSE-KMS."
  }

  assert {
    condition = (
      module.invocation_log_bucket.resources.public_access_block.block_public_acls &&
      module.invocation_log_bucket.resources.public_access_block.block_public_policy &&
      module.invocation_log_bucket.resources.public_access_block.ignore_public_acls &&
      module.invocation_log_bucket.resources.public_access_block.restrict_public_buckets
    )
    error_message = "All four public access blocks must be on."
  }

  assert {
    condition     = module.invocation_log_bucket.resources.ownership_controls.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(module.invocation_log_bucket.resources.policy.policy).Statement :
      s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false" && s.Action == "s3:*"
    ])
    error_message = "The bucket policy must deny non-TLS requests."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(module.invocation_log_bucket.resources.policy.policy).Statement :
      s.Effect == "Allow" && s.Principal == { Service = "bedrock.amazonaws.com" } &&
      try(s.Condition.StringEquals["aws:SourceAccount"], "") == "111122223333" &&
      try(s.Condition.ArnLike["aws:SourceArn"], "") == "arn:aws:bedrock:us-east-1:111122223333:*" &&
      s.Resource == "arn:aws:s3:::genai-dev-bedrock-logs-111122223333-us-east-1/bedrock-invocation-logs/AWSLogs/111122223333/BedrockModelInvocationLogs/*"
    ])
    error_message = "Bedrock may write only its log prefix, guarded by aws:SourceAccount and aws:SourceArn."
  }

  assert {
    condition = (
      one(one(module.invocation_log_bucket.resources.lifecycle.rule).transition).days == 90 &&
      one(one(module.invocation_log_bucket.resources.lifecycle.rule).expiration).days == 730
    )
    error_message = "Invocation logs must be archived then expired."
  }

  assert {
    condition     = aws_cloudwatch_log_group.invocation_logs[0].retention_in_days == 365
    error_message = "Invocation log retention must default to 365 days."
  }

  assert {
    condition = (
      jsondecode(aws_iam_role_policy.invocation_logging[0].policy).Statement[0].Resource == "arn:aws:logs:us-east-1:111122223333:log-group:/aws/bedrock/genai-dev/model-invocations:log-stream:aws/bedrock/modelinvocations" &&
      length(jsondecode(aws_iam_role_policy.invocation_logging[0].policy).Statement) == 1
    )
    error_message = "The logging role may only write the Bedrock invocation log stream."
  }

  assert {
    condition = (
      aws_bedrock_model_invocation_logging_configuration.this[0].logging_config.s3_config.key_prefix == "bedrock-invocation-logs" &&
      aws_bedrock_model_invocation_logging_configuration.this[0].logging_config.cloudwatch_config.log_group_name == "/aws/bedrock/genai-dev/model-invocations" &&
      aws_bedrock_model_invocation_logging_configuration.this[0].logging_config.text_data_delivery_enabled
    )
    error_message = "Invocation logging must deliver to both S3 and CloudWatch."
  }

  assert {
    condition = toset([for f in aws_bedrock_guardrail.this[0].content_policy_config[0].filters_config : f.type]) == toset([
      "HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT", "PROMPT_ATTACK",
    ])
    error_message = "All six content filter types must be configured."
  }

  assert {
    condition = alltrue([
      for f in aws_bedrock_guardrail.this[0].content_policy_config[0].filters_config :
      f.input_strength == "HIGH" && f.output_strength == (f.type == "PROMPT_ATTACK" ? "NONE" : "HIGH")
    ])
    error_message = "Filters must default to HIGH, with PROMPT_ATTACK output strength NONE."
  }

  assert {
    condition = (
      contains([for p in aws_bedrock_guardrail.this[0].sensitive_information_policy_config[0].pii_entities_config : "${p.type}=${p.action}"], "AWS_SECRET_KEY=BLOCK") &&
      contains([for p in aws_bedrock_guardrail.this[0].sensitive_information_policy_config[0].pii_entities_config : "${p.type}=${p.action}"], "EMAIL=ANONYMIZE")
    )
    error_message = "Default PII entities must be configured with their actions."
  }

  assert {
    condition     = length(aws_bedrock_guardrail_version.this) == 1 && aws_bedrock_guardrail_version.this[0].skip_destroy
    error_message = "A guardrail version must be published and kept."
  }

  assert {
    condition     = tolist(output.allowed_model_arns) == tolist(["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"])
    error_message = "allowed_model_arns must be known at plan time, in input order."
  }

  assert {
    condition     = toset(jsondecode(aws_iam_role.invoke[0].assume_role_policy).Statement[0].Principal.Service) == toset(["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]) && length(jsondecode(aws_iam_role.invoke[0].assume_role_policy).Statement) == 1
    error_message = "The invoke role must trust the configured services only."
  }

  assert {
    condition     = module.invocation_log_bucket.resources.bucket.tags["Environment"] == "dev" && aws_bedrock_guardrail.this[0].tags["Environment"] == "dev"
    error_message = "Tags must be passed to resources."
  }
}

run "invoke_policy_documents" {
  command = plan

  assert {
    condition = (
      [for st in data.aws_iam_policy_document.invoke_models[0].statement : st.sid] == ["CountTokensOfApprovedModels"] &&
      data.aws_iam_policy_document.invoke_models[0].statement[0].actions == toset(["bedrock:CountTokens"]) &&
      data.aws_iam_policy_document.invoke_models[0].statement[0].resources == toset([
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
      ])
    )
    error_message = "With the guardrail required, the plan-time document allows no inference of its own, only token counting."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.invoke_with_guardrail[0].source_policy_documents == tolist([data.aws_iam_policy_document.invoke_models[0].json]) &&
      [for st in data.aws_iam_policy_document.invoke_with_guardrail[0].statement : st.sid] == ["InvokeApprovedModelsThroughTheGuardrail", "DenyInvokeWithoutTheGuardrail"] &&
      [for st in data.aws_iam_policy_document.guardrail_use[0].statement : st.sid] == ["ApplyGuardrail", "DecryptGuardrailThroughBedrock"] &&
      length(data.aws_iam_policy_document.invoke_through_profiles) == 0 && length(aws_iam_policy.invoke_through_profiles) == 0
    )
    error_message = "With a guardrail the invoke policy must allow the models through it and deny them without it; a policy of its own allows the guardrail and its key."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].actions == toset(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]) &&
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources == toset([
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
      ]) &&
      [for c in data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].condition : "${c.test} ${c.variable}"] == ["StringEquals bedrock:GuardrailIdentifier"] &&
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[1].effect == "Deny" &&
      [for c in data.aws_iam_policy_document.invoke_with_guardrail[0].statement[1].condition : "${c.test} ${c.variable}"] == ["StringNotEquals bedrock:GuardrailIdentifier"] &&
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[1].resources == data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources
    )
    error_message = "Invocation must be allowed only with the guardrail (bedrock:GuardrailIdentifier) and denied without it, on the same models."
  }
}

run "invoke_policy_after_apply" {
  command = apply

  override_data {
    target = data.aws_iam_policy_document.invoke_with_guardrail[0]
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"InvokeApprovedModelsThroughTheGuardrail\"}]}" }
  }

  assert {
    condition     = aws_iam_policy.invoke[0].policy == data.aws_iam_policy_document.invoke_with_guardrail[0].json && aws_iam_policy.guardrail_use[0].policy == data.aws_iam_policy_document.guardrail_use[0].json
    error_message = "With a guardrail the invoke policy must be the document that requires it, next to the guardrail-use policy."
  }

  assert {
    condition     = toset(output.invoke_policy_arns) == toset([aws_iam_policy.invoke[0].arn, aws_iam_policy.guardrail_use[0].arn]) && length(aws_iam_role_policy_attachment.guardrail_use) == 1
    error_message = "The invoke role gets the invoke and guardrail-use policies."
  }

  assert {
    condition = one([
      for st in data.aws_iam_policy_document.guardrail_use[0].statement : st if st.sid == "ApplyGuardrail"
      ]).actions == toset(["bedrock:ApplyGuardrail"]) && one([
      for st in data.aws_iam_policy_document.guardrail_use[0].statement : st if st.sid == "ApplyGuardrail"
    ]).resources == toset([aws_bedrock_guardrail.this[0].guardrail_arn])
    error_message = "The invoke policy must allow ApplyGuardrail on this guardrail only."
  }

  assert {
    condition = (
      one([for st in data.aws_iam_policy_document.guardrail_use[0].statement : st if st.sid == "DecryptGuardrailThroughBedrock"]).resources == toset([module.kms_key.key.arn]) &&
      [for c in one([for st in data.aws_iam_policy_document.guardrail_use[0].statement : st if st.sid == "DecryptGuardrailThroughBedrock"]).condition :
      "${c.test} ${c.variable} ${join(",", c.values)}"] == ["StringEquals kms:ViaService bedrock.us-east-1.amazonaws.com"]
    )
    error_message = "kms:Decrypt must be limited to the guardrail's key, through Bedrock only."
  }

  assert {
    condition = alltrue([
      for st in concat(data.aws_iam_policy_document.invoke_models[0].statement, data.aws_iam_policy_document.invoke_with_guardrail[0].statement, data.aws_iam_policy_document.guardrail_use[0].statement) :
      (st.effect == null || st.effect == "Allow" || st.sid == "DenyInvokeWithoutTheGuardrail") && st.not_actions == null && st.not_resources == null &&
      !anytrue([for a in st.actions : endswith(a, "*")]) && !contains(st.resources, "*")
    ])
    error_message = "The invoke policy must not use wildcard actions, Resource \"*\", NotAction or NotResource; its only Deny is the guardrail's."
  }

  assert {
    condition = alltrue([
      for sid in ["InvokeApprovedModelsThroughTheGuardrail", "DenyInvokeWithoutTheGuardrail"] :
      one([for c in one([for st in data.aws_iam_policy_document.invoke_with_guardrail[0].statement : st if st.sid == sid]).condition : c.values]) == tolist(["${aws_bedrock_guardrail.this[0].guardrail_arn}:${aws_bedrock_guardrail_version.this[0].version}"])
    ])
    error_message = "bedrock:GuardrailIdentifier must name this guardrail's ARN and its published version."
  }

  assert {
    condition     = aws_bedrock_guardrail.this[0].kms_key_arn == module.kms_key.key.arn && aws_cloudwatch_log_group.invocation_logs[0].kms_key_id == module.kms_key.key.arn && output.kms_key_arn == module.kms_key.key.arn
    error_message = "The guardrail and the log group must use the CMK, and the module must output it."
  }
}

run "alarms_per_model_and_log_delivery" {
  command = plan

  assert {
    condition = toset(keys(aws_cloudwatch_metric_alarm.this)) == toset(concat(
      flatten([for m in var.allowed_model_ids : [for k in ["invocation-throttles", "invocation-server-errors", "invocation-client-errors", "invocation-latency-p99"] : "${m}/${k}"]]),
      ["invocation-logs/cloudwatch-delivery-failure", "invocation-logs/s3-delivery-failure"],
    ))
    error_message = "Each allowed model needs throttle, server error, client error and latency alarms; logging needs delivery failure alarms."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : a.namespace == "AWS/Bedrock" && a.period == 300 && a.actions_enabled && a.tags["Environment"] == "dev"])
    error_message = "Every alarm must watch the AWS/Bedrock namespace, be enabled and tagged."
  }

  assert {
    condition = alltrue([
      for k, a in aws_cloudwatch_metric_alarm.this : a.dimensions == tomap({ ModelId = split("/", k)[0] }) if !startswith(k, "invocation-logs/")
    ])
    error_message = "Model alarms must carry exactly the ModelId dimension of their model."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-throttles"].metric_name == "InvocationThrottles" &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-throttles"].statistic == "Sum" &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-throttles"].threshold == 10 &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-server-errors"].metric_name == "InvocationServerErrors" &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-server-errors"].threshold == 5 &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-client-errors"].metric_name == "InvocationClientErrors" &&
      aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-client-errors"].threshold == 25
    )
    error_message = "Throttle and error alarms must sum their Bedrock metric against the default thresholds."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["amazon.titan-embed-text-v2:0/invocation-latency-p99"].metric_name == "InvocationLatency" &&
      aws_cloudwatch_metric_alarm.this["amazon.titan-embed-text-v2:0/invocation-latency-p99"].extended_statistic == "p99" &&
      aws_cloudwatch_metric_alarm.this["amazon.titan-embed-text-v2:0/invocation-latency-p99"].statistic == null &&
      aws_cloudwatch_metric_alarm.this["amazon.titan-embed-text-v2:0/invocation-latency-p99"].threshold == 30000 &&
      aws_cloudwatch_metric_alarm.this["amazon.titan-embed-text-v2:0/invocation-latency-p99"].evaluation_periods == 3
    )
    error_message = "The latency alarm must watch p99 InvocationLatency (milliseconds) over 3 periods."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.this["invocation-logs/s3-delivery-failure"].metric_name == "ModelInvocationLogsS3DeliveryFailure" &&
      aws_cloudwatch_metric_alarm.this["invocation-logs/cloudwatch-delivery-failure"].metric_name == "ModelInvocationLogsCloudWatchDeliveryFailure" &&
      length(aws_cloudwatch_metric_alarm.this["invocation-logs/s3-delivery-failure"].dimensions) == 0
    )
    error_message = "Invocation log delivery failures must be alarmed across all model ids (no dimension)."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.this["anthropic.claude-3-haiku-20240307-v1:0/invocation-throttles"].alarm_name == "genai-dev-bedrock-invocation-throttles-anthropic.claude-3-haiku-20240307-v1-0"
    error_message = "Alarm names must carry the workload, the metric and the model id (with ':' replaced)."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.this : length(a.alarm_actions) == 0]) && toset(keys(output.alarm_arns)) == toset(keys(aws_cloudwatch_metric_alarm.this))
    error_message = "No alarm action without a topic; alarm_arns must map every alarm."
  }
}

run "alarm_thresholds_and_topics" {
  command = plan

  variables {
    create_invocation_logging                = false
    alarm_sns_topic_arns                     = ["arn:aws:sns:us-east-1:111122223333:genai-dev-alarms", "arn:aws-us-gov:sns:us-gov-west-1:111122223333:oncall"]
    alarm_invocation_throttles_threshold     = 1
    alarm_invocation_server_errors_threshold = 2
    alarm_invocation_client_errors_threshold = 3
    alarm_invocation_latency_p99_ms          = 4500
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 8 && alltrue([for k, a in aws_cloudwatch_metric_alarm.this : !startswith(k, "invocation-logs/")])
    error_message = "Without invocation logging there is no delivery failure alarm."
  }

  assert {
    condition = alltrue([
      for a in aws_cloudwatch_metric_alarm.this :
      a.alarm_actions == toset(var.alarm_sns_topic_arns) && a.ok_actions == toset(var.alarm_sns_topic_arns)
    ])
    error_message = "Every alarm must notify the given topics on ALARM and OK."
  }

  assert {
    condition = alltrue([
      for k, a in aws_cloudwatch_metric_alarm.this : a.threshold == lookup({
        invocation-throttles     = 1
        invocation-server-errors = 2
        invocation-client-errors = 3
        invocation-latency-p99   = 4500
      }, split("/", k)[1], -1)
    ])
    error_message = "Thresholds must come from the inputs."
  }
}

run "alarms_off" {
  command = plan

  variables {
    create_alarms = false
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.this) == 0 && length(aws_iam_role.invoke) == 1 && output.alarm_arns == {}
    error_message = "create_alarms = false must skip only the alarms."
  }
}

run "toggles_off_and_given_key" {
  command = plan

  override_data {
    target = data.aws_iam_policy_document.invoke_models[0]
    values = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"InvokeApprovedModels\"}]}" }
  }

  variables {
    create_invocation_logging               = false
    create_guardrail                        = false
    require_guardrail                       = false
    guardrail_enforcement_off_justification = "the local emulator has no guardrails"
    kms_key_arn                             = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    guardrail_filter_strength               = "MEDIUM"
  }

  assert {
    condition     = module.kms_key.key == null && module.invocation_log_bucket.resources.bucket == null && length(aws_bedrock_guardrail.this) == 0 && length(aws_bedrock_model_invocation_logging_configuration.this) == 0
    error_message = "Disabled parts and a given key must create nothing."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.invoke_with_guardrail) == 0 && aws_iam_policy.invoke[0].policy == data.aws_iam_policy_document.invoke_models[0].json && output.kms_key_arn == var.kms_key_arn && output.guardrail_id == null
    error_message = "Without a guardrail the invoke policy holds only the model statement."
  }
}

run "custom_pii_and_strength" {
  command = plan

  variables {
    guardrail_filter_strength = "LOW"
    guardrail_pii_entities    = { EMAIL = "BLOCK" }
  }

  assert {
    condition     = length(aws_bedrock_guardrail.this[0].sensitive_information_policy_config[0].pii_entities_config) == 1 && aws_bedrock_guardrail.this[0].sensitive_information_policy_config[0].pii_entities_config[0].action == "BLOCK"
    error_message = "The PII map must drive the guardrail's PII entities."
  }

  assert {
    condition     = alltrue([for f in aws_bedrock_guardrail.this[0].content_policy_config[0].filters_config : f.input_strength == "LOW"])
    error_message = "guardrail_filter_strength must drive every input filter."
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_iam_role.invoke) == 0 && length(aws_iam_policy.invoke) == 0 && length(data.aws_iam_policy_document.invoke_models) == 0 && module.kms_key.key == null && length(aws_bedrock_guardrail.this) == 0 && module.invocation_log_bucket.resources.bucket == null && length(aws_cloudwatch_metric_alarm.this) == 0
    error_message = "create = false must plan no resources."
  }
}

run "rejects_empty_model_list" {
  command = plan
  variables {
    allowed_model_ids = []
  }
  expect_failures = [var.allowed_model_ids]
}

run "rejects_model_arn_instead_of_id" {
  command = plan
  variables {
    allowed_model_ids = ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2"]
  }
  expect_failures = [var.allowed_model_ids]
}

run "rejects_inference_profile_id" {
  command = plan
  variables {
    allowed_model_ids = ["us.anthropic.claude-3-haiku-20240307-v1:0"]
  }
  expect_failures = [var.allowed_model_ids]
}

run "rejects_bad_filter_strength" {
  command = plan
  variables {
    guardrail_filter_strength = "MAXIMUM"
  }
  expect_failures = [var.guardrail_filter_strength]
}

run "rejects_bad_pii_action" {
  command = plan
  variables {
    guardrail_pii_entities = { EMAIL = "LOG" }
  }
  expect_failures = [var.guardrail_pii_entities]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    log_retention_in_days = 42
  }
  expect_failures = [var.log_retention_in_days]
}

run "rejects_bad_trusted_service" {
  command = plan
  variables {
    invoke_role_trusted_services = ["*"]
  }
  expect_failures = [var.invoke_role_trusted_services]
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "abc"
  }
  expect_failures = [var.account_id]
}

run "rejects_zero_throttle_threshold" {
  command = plan
  variables {
    alarm_invocation_throttles_threshold = 0
  }
  expect_failures = [var.alarm_invocation_throttles_threshold]
}

run "rejects_fractional_server_error_threshold" {
  command = plan
  variables {
    alarm_invocation_server_errors_threshold = 1.5
  }
  expect_failures = [var.alarm_invocation_server_errors_threshold]
}

run "rejects_negative_client_error_threshold" {
  command = plan
  variables {
    alarm_invocation_client_errors_threshold = -1
  }
  expect_failures = [var.alarm_invocation_client_errors_threshold]
}

run "rejects_latency_threshold_above_an_hour" {
  command = plan
  variables {
    alarm_invocation_latency_p99_ms = 3600001
  }
  expect_failures = [var.alarm_invocation_latency_p99_ms]
}

run "rejects_non_sns_alarm_target" {
  command = plan
  variables {
    alarm_sns_topic_arns = ["arn:aws:lambda:us-east-1:111122223333:function:pager"]
  }
  expect_failures = [var.alarm_sns_topic_arns]
}

run "rejects_duplicate_alarm_topics" {
  command = plan
  variables {
    alarm_sns_topic_arns = ["arn:aws:sns:us-east-1:111122223333:alarms", "arn:aws:sns:us-east-1:111122223333:alarms"]
  }
  expect_failures = [var.alarm_sns_topic_arns]
}

run "inference_profiles_grant_profile_and_destination_models" {
  command = plan

  variables {
    allowed_inference_profiles = [
      { id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0", destination_regions = ["us-east-1", "us-east-2", "us-west-2"] },
    ]
    application_inference_profile_arns = ["arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456"]
  }

  assert {
    condition     = contains(data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources, "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0") && contains(data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources, "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456")
    error_message = "The system and application inference profiles must be invokable (through the guardrail)."
  }

  assert {
    condition = (
      data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].sid == "InvokeDestinationRegionModelsThroughProfilesAndTheGuardrail" &&
      data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].resources == toset([for r in ["us-east-1", "us-east-2", "us-west-2"] : "arn:aws:bedrock:${r}::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0"]) &&
      toset([for c in data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].condition : c.variable]) == toset(["bedrock:InferenceProfileArn", "bedrock:GuardrailIdentifier"]) &&
      toset(one([for c in data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].condition : c.values if c.variable == "bedrock:InferenceProfileArn"])) == toset(["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0", "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc123def456"]) &&
      length(aws_iam_role_policy_attachment.invoke_through_profiles) == 1 &&
      toset(data.aws_iam_policy_document.invoke_with_guardrail[0].statement[1].resources) == setunion(data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources, data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].resources)
    )
    error_message = "The foundation model must be granted in every destination Region (empty account), only through the profiles."
  }

  assert {
    condition     = contains(output.allowed_model_arns, "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0") && contains(output.allowed_model_arns, output.inference_profile_arns[0])
    error_message = "allowed_model_arns (the network endpoint policy's list) must carry the profiles and their destination models."
  }
}

run "global_profile_allowed_explicitly" {
  command = plan

  variables {
    allowed_inference_profiles      = [{ id = "global.anthropic.claude-sonnet-4-20250514-v1:0", destination_regions = [] }]
    allow_global_inference_profiles = true
  }

  assert {
    condition     = contains(data.aws_iam_policy_document.invoke_through_profiles[0].statement[0].resources, "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0")
    error_message = "A global profile's model is granted by the Region-less foundation model ARN."
  }
}

run "rejects_global_profile_without_the_switch" {
  command = plan
  variables {
    allowed_inference_profiles = [{ id = "global.anthropic.claude-sonnet-4-20250514-v1:0", destination_regions = [] }]
  }
  expect_failures = [var.allowed_inference_profiles]
}

run "rejects_geographic_profile_without_destinations" {
  command = plan
  variables {
    allowed_inference_profiles = [{ id = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", destination_regions = [] }]
  }
  expect_failures = [var.allowed_inference_profiles]
}

run "rejects_bad_application_profile_arn" {
  command = plan
  variables {
    application_inference_profile_arns = ["arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"]
  }
  expect_failures = [var.application_inference_profile_arns]
}

run "embedding_models_exempt_from_the_guardrail" {
  command = plan

  variables {
    guardrail_exempt_model_ids = ["amazon.titan-embed-text-v2:0"]
  }

  assert {
    condition = (
      data.aws_iam_policy_document.invoke_models[0].statement[0].sid == "InvokeGuardrailExemptModels" &&
      data.aws_iam_policy_document.invoke_models[0].statement[0].resources == toset(["arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"]) &&
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[0].resources == toset(["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]) &&
      data.aws_iam_policy_document.invoke_with_guardrail[0].statement[1].resources == toset(["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"])
    )
    error_message = "Exempt (embedding) models are invoked without the guardrail; every other model only through it."
  }
}

run "guardrail_not_required_with_a_reason" {
  command = plan

  variables {
    require_guardrail                       = false
    guardrail_enforcement_off_justification = "Batch evaluation harness applies the guardrail itself via ApplyGuardrail"
  }

  assert {
    condition = (
      [for st in data.aws_iam_policy_document.invoke_models[0].statement : st.sid] == ["InvokeApprovedModels", "CountTokensOfApprovedModels"] &&
      length(data.aws_iam_policy_document.invoke_with_guardrail) == 0 &&
      [for st in data.aws_iam_policy_document.guardrail_use[0].statement : st.sid] == ["ApplyGuardrail", "DecryptGuardrailThroughBedrock"]
    )
    error_message = "Without enforcement the models are allowed without a guardrail condition and no Deny is added."
  }
}

run "rejects_guardrail_off_without_reason" {
  command = plan
  variables {
    require_guardrail = false
  }
  expect_failures = [var.guardrail_enforcement_off_justification]
}

run "rejects_required_guardrail_that_is_not_created" {
  command = plan
  variables {
    create_guardrail = false
  }
  expect_failures = [var.require_guardrail]
}

run "rejects_exempt_model_not_allowed" {
  command = plan
  variables {
    guardrail_exempt_model_ids = ["cohere.embed-english-v3"]
  }
  expect_failures = [var.guardrail_exempt_model_ids]
}

run "endpoint_policies_allow_what_each_endpoint_serves" {
  command = plan

  variables {
    allowed_inference_profiles = [{ id = "us.anthropic.claude-3-7-sonnet-20250219-v1:0", destination_regions = ["us-east-1", "us-west-2"] }]
  }

  assert {
    condition = (
      toset(flatten([for st in jsondecode(output.vpc_endpoint_policies["bedrock-runtime"]).Statement : st.Action])) == toset([
        "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:CountTokens", "bedrock:ApplyGuardrail",
        "bedrock:GetAsyncInvoke", "bedrock:ListAsyncInvokes",
      ]) &&
      toset(flatten([for st in jsondecode(output.vpc_endpoint_policies["bedrock-agent-runtime"]).Statement : st.Action])) == toset([
        "bedrock:InvokeAgent", "bedrock:GetAgentMemory", "bedrock:DeleteAgentMemory", "bedrock:Retrieve", "bedrock:InvokeFlow",
        "bedrock:RetrieveAndGenerate", "bedrock:Rerank", "bedrock:InvokeInlineAgent", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
      ])
    )
    error_message = "Each endpoint policy must allow exactly the API set its endpoint serves."
  }

  assert {
    condition = alltrue([
      for k, doc in output.vpc_endpoint_policies : alltrue([
        for st in jsondecode(doc).Statement : st.Effect == "Allow" && st.Condition.StringEquals["aws:PrincipalAccount"] == "111122223333"
      ])
    ])
    error_message = "Only principals of this account may use the Bedrock endpoints."
  }

  assert {
    condition = (
      contains(one([for st in jsondecode(output.vpc_endpoint_policies["bedrock-runtime"]).Statement : st.Resource if st.Sid == "InvokeAndCountTokensOnApprovedModels"]), "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0") &&
      contains(one([for st in jsondecode(output.vpc_endpoint_policies["bedrock-runtime"]).Statement : st.Resource if st.Sid == "InvokeAndCountTokensOnApprovedModels"]), "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0") &&
      one([for st in jsondecode(output.vpc_endpoint_policies["bedrock-runtime"]).Statement : st.Resource if st.Sid == "ApplyGuardrailsOfThisAccount"]) == "arn:aws:bedrock:us-east-1:111122223333:guardrail/*"
    )
    error_message = "Endpoint policies must be scoped to the approved models and profiles and to this account's guardrails."
  }
}

run "no_replication_without_a_log_archive" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_replication_configuration.invocation_logs) == 0 && length(aws_iam_role.replication) == 0
    error_message = "A standalone account (invocation_log_replication = null) must not replicate its invocation logs."
  }
}

run "replicates_to_the_log_archive" {
  command = plan

  variables {
    invocation_log_replication = {
      account_id  = "555555555555"
      bucket_name = "genai-log-archive-555555555555-us-east-1"
      kms_key_arn = "arn:aws:kms:us-east-1:555555555555:key/11111111-2222-3333-4444-555555555555"
    }
  }

  assert {
    condition = (
      one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).status == "Enabled" &&
      one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).filter).prefix == "bedrock-invocation-logs/" &&
      one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).delete_marker_replication).status == "Disabled"
    )
    error_message = "The rule must replicate the invocation log prefix, without delete markers."
  }

  assert {
    condition = (
      one(one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).source_selection_criteria).sse_kms_encrypted_objects).status == "Enabled"
    )
    error_message = "SSE-KMS encrypted log objects must be selected for replication."
  }

  assert {
    condition = (
      one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).destination).bucket == "arn:aws:s3:::genai-log-archive-555555555555-us-east-1" &&
      one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).destination).account == "555555555555" &&
      one(one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).destination).access_control_translation).owner == "Destination" &&
      one(one(one(aws_s3_bucket_replication_configuration.invocation_logs[0].rule).destination).encryption_configuration).replica_kms_key_id == "arn:aws:kms:us-east-1:555555555555:key/11111111-2222-3333-4444-555555555555"
    )
    error_message = "Replicas must go to the log-archive bucket, be owned by the log-archive account and be encrypted with its key."
  }

  assert {
    condition     = aws_iam_role.replication[0].name == "genai-dev-bedrock-log-replication"
    error_message = "The replication role name must end in -bedrock-log-replication (the log-archive policies admit that pattern)."
  }

  assert {
    condition = toset(flatten([for s in data.aws_iam_policy_document.replication[0].statement : s.actions])) == toset([
      "s3:GetReplicationConfiguration", "s3:ListBucket",
      "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
      "s3:ReplicateObject", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner",
      "kms:Decrypt", "kms:Encrypt",
    ])
    error_message = "The replication role must get exactly the replication actions: no delete, no wildcard."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.replication[0].statement : length(s.condition) == 2 if startswith(s.sid, "DecryptSource") || startswith(s.sid, "EncryptReplicas")
    ])
    error_message = "The KMS grants of the replication role must be bound to S3 (kms:ViaService) and to the buckets (encryption context)."
  }
}

run "replication_toggle_off" {
  command = plan

  variables {
    create_invocation_log_replication = false
    invocation_log_replication = {
      account_id  = "555555555555"
      bucket_name = "genai-log-archive-555555555555-us-east-1"
      kms_key_arn = "arn:aws:kms:us-east-1:555555555555:key/11111111-2222-3333-4444-555555555555"
    }
  }

  assert {
    condition     = length(aws_s3_bucket_replication_configuration.invocation_logs) == 0
    error_message = "create_invocation_log_replication = false must not replicate."
  }
}

run "replication_rejects_the_workload_account_itself" {
  command = plan

  variables {
    invocation_log_replication = {
      account_id  = "111122223333"
      bucket_name = "genai-dev-copy"
      kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555"
    }
  }

  expect_failures = [var.invocation_log_replication]
}

run "replication_rejects_a_key_of_another_account" {
  command = plan

  variables {
    invocation_log_replication = {
      account_id  = "555555555555"
      bucket_name = "genai-log-archive-555555555555-us-east-1"
      kms_key_arn = "arn:aws:kms:us-east-1:666666666666:key/11111111-2222-3333-4444-555555555555"
    }
  }

  expect_failures = [var.invocation_log_replication]
}
