data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  create_logging   = var.create && var.create_invocation_logging
  create_guardrail = var.create && var.create_guardrail
  create_kms_key   = var.create && var.kms_key_arn == null && (local.create_logging || local.create_guardrail)
  # The key ARN is spelled out where it is used (`var.kms_key_arn != null ? var.kms_key_arn :
  # module.kms_key.key_arn`), never passed through a local: plan JSON records no local values, and
  # policy checks (LZ-SEC-006/007/010) trace keys known only after apply through references.

  allowed_model_arns = [
    for id in var.allowed_model_ids : "arn:${local.partition}:bedrock:${local.region}::foundation-model/${id}"
  ]
  exempt_model_arns  = [for id in var.guardrail_exempt_model_ids : "arn:${local.partition}:bedrock:${local.region}::foundation-model/${id}"]
  guarded_model_arns = [for a in local.allowed_model_arns : a if !contains(local.exempt_model_arns, a)]

  # Cross-Region (system) inference profiles: the profile in this Region, and the foundation model in each
  # destination Region (empty account). A global. profile may route to any commercial Region: its models are
  # granted by the Region-less ARN AWS documents for global inference.
  inference_profile_arns = [
    for p in var.allowed_inference_profiles : "arn:${local.partition}:bedrock:${local.region}:${var.account_id}:inference-profile/${p.id}"
  ]
  profile_models = { for p in var.allowed_inference_profiles : p.id => trimprefix(p.id, "${split(".", p.id)[0]}.") }
  profile_destination_model_arns = distinct(flatten([
    for p in var.allowed_inference_profiles : concat(
      [for r in p.destination_regions : "arn:${local.partition}:bedrock:${r}::foundation-model/${local.profile_models[p.id]}"],
      startswith(p.id, "global.") ? ["arn:${local.partition}:bedrock:::foundation-model/${local.profile_models[p.id]}"] : [],
    )
  ]))
  # What a caller names in modelId: foundation models, system and application inference profiles.
  invokable_arns = concat(local.allowed_model_arns, local.inference_profile_arns, var.application_inference_profile_arns)
  # The same without the guardrail-exempt models.
  guarded_invokable_arns = concat(local.guarded_model_arns, local.inference_profile_arns, var.application_inference_profile_arns)
  profile_arns           = concat(local.inference_profile_arns, var.application_inference_profile_arns)
  has_profiles           = length(local.profile_destination_model_arns) > 0

  # The guardrail callers must name: its ARN and the published version (bedrock:GuardrailIdentifier).
  require_guardrail = local.create_guardrail && var.require_guardrail

  invoke_actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]

  # VPC endpoint policies for the Bedrock data-plane endpoints, each allowing the API set that endpoint serves to
  # this account's principals on this account's or the approved resources. Built from plan-time values only (a
  # guardrail id is known only after apply, so ApplyGuardrail is scoped to this account's guardrails).
  account_arn_prefix = "arn:${local.partition}:bedrock:${local.region}:${var.account_id}"
  principal_account  = { StringEquals = { "aws:PrincipalAccount" = var.account_id } }
  runtime_endpoint_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # Converse / ConverseStream and StartAsyncInvoke are authorized as InvokeModel*.
        Sid       = "InvokeAndCountTokensOnApprovedModels"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = concat(local.invoke_actions, ["bedrock:CountTokens"])
        Resource  = concat(local.invokable_arns, local.profile_destination_model_arns)
        Condition = local.principal_account
      },
      {
        Sid       = "ApplyGuardrailsOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "bedrock:ApplyGuardrail"
        Resource  = "${local.account_arn_prefix}:guardrail/*"
        Condition = local.principal_account
      },
      {
        Sid       = "ReadAsyncInvocationsOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["bedrock:GetAsyncInvoke", "bedrock:ListAsyncInvokes"]
        Resource  = ["${local.account_arn_prefix}:async-invoke/*", "*"]
        Condition = local.principal_account
      },
    ]
  })
  agent_runtime_endpoint_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AgentsOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["bedrock:InvokeAgent", "bedrock:GetAgentMemory", "bedrock:DeleteAgentMemory"]
        Resource  = "${local.account_arn_prefix}:agent-alias/*"
        Condition = local.principal_account
      },
      {
        Sid       = "KnowledgeBasesOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "bedrock:Retrieve"
        Resource  = "${local.account_arn_prefix}:knowledge-base/*"
        Condition = local.principal_account
      },
      {
        Sid       = "FlowsOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "bedrock:InvokeFlow"
        Resource  = "${local.account_arn_prefix}:flow/*"
        Condition = local.principal_account
      },
      {
        # These actions have no resource type of their own; IAM policies scope what they reach.
        Sid       = "RetrieveAndGenerateRerankInlineAgents"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["bedrock:RetrieveAndGenerate", "bedrock:Rerank", "bedrock:InvokeInlineAgent"]
        Resource  = "*"
        Condition = local.principal_account
      },
      {
        # RetrieveAndGenerate, inline agents and reranking invoke models with the caller's permissions.
        Sid       = "InvokeApprovedModels"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = local.invoke_actions
        Resource  = concat(local.invokable_arns, local.profile_destination_model_arns)
        Condition = local.principal_account
      },
    ]
  })

  # Confused-deputy guard for every grant to the Bedrock service principal.
  bedrock_source_conditions = {
    StringEquals = { "aws:SourceAccount" = var.account_id }
    ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:bedrock:${local.region}:${var.account_id}:*" }
  }

  log_group_name = "/aws/bedrock/${var.name}/model-invocations"
  log_group_arn  = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.log_group_name}"

  bucket_name   = coalesce(var.invocation_log_bucket_name, "${var.name}-bedrock-logs-${var.account_id}-${local.region}")
  bucket_arn    = "arn:${local.partition}:s3:::${local.bucket_name}"
  s3_key_prefix = "bedrock-invocation-logs"

  # Content filters on input and output; PROMPT_ATTACK only applies to input (its output strength must be NONE).
  content_filters = merge(
    { for t in ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"] : t => { input = var.guardrail_filter_strength, output = var.guardrail_filter_strength } },
    { PROMPT_ATTACK = { input = var.guardrail_filter_strength, output = "NONE" } },
  )

  # CloudWatch alarms in AWS/Bedrock. Runtime metrics per approved model (dimension ModelId), 5-minute periods.
  model_alarm_metrics = {
    invocation-throttles = {
      metric_name         = "InvocationThrottles"
      statistic           = "Sum"
      extended_statistic  = null
      threshold           = var.alarm_invocation_throttles_threshold
      comparison_operator = "GreaterThanOrEqualToThreshold"
      evaluation_periods  = 1
      description         = "at least ${var.alarm_invocation_throttles_threshold} throttled invocations in 5 minutes (quota reached)"
    }
    invocation-server-errors = {
      metric_name         = "InvocationServerErrors"
      statistic           = "Sum"
      extended_statistic  = null
      threshold           = var.alarm_invocation_server_errors_threshold
      comparison_operator = "GreaterThanOrEqualToThreshold"
      evaluation_periods  = 1
      description         = "at least ${var.alarm_invocation_server_errors_threshold} invocations failed with an AWS server-side error in 5 minutes"
    }
    invocation-client-errors = {
      metric_name         = "InvocationClientErrors"
      statistic           = "Sum"
      extended_statistic  = null
      threshold           = var.alarm_invocation_client_errors_threshold
      comparison_operator = "GreaterThanOrEqualToThreshold"
      evaluation_periods  = 1
      description         = "at least ${var.alarm_invocation_client_errors_threshold} invocations failed with a client-side error (access, validation, model access) in 5 minutes"
    }
    invocation-latency-p99 = {
      metric_name         = "InvocationLatency"
      statistic           = null
      extended_statistic  = "p99"
      threshold           = var.alarm_invocation_latency_p99_ms
      comparison_operator = "GreaterThanThreshold"
      evaluation_periods  = 3
      description         = "p99 InvocationLatency above ${var.alarm_invocation_latency_p99_ms} ms for 3 consecutive 5-minute periods"
    }
  }

  model_alarms = {
    for pair in setproduct(var.allowed_model_ids, keys(local.model_alarm_metrics)) : "${pair[0]}/${pair[1]}" => merge(local.model_alarm_metrics[pair[1]], {
      name        = "${var.name}-bedrock-${pair[1]}-${replace(pair[0], "/[^A-Za-z0-9._-]/", "-")}"
      description = "Bedrock model ${pair[0]}: ${local.model_alarm_metrics[pair[1]].description}"
      dimensions  = { ModelId = pair[0] }
    })
  }

  # Invocation log delivery failures are published across all model ids (no dimension).
  logging_destinations = local.create_logging ? ["CloudWatch", "S3"] : []
  logging_alarms = {
    for destination in local.logging_destinations : "invocation-logs/${lower(destination)}-delivery-failure" => {
      name                = "${var.name}-bedrock-invocation-logs-${lower(destination)}-delivery-failure"
      description         = "Bedrock model invocation logs could not be delivered to ${destination} (audit trail gap)"
      metric_name         = "ModelInvocationLogs${destination}DeliveryFailure"
      statistic           = "Sum"
      extended_statistic  = null
      threshold           = 1
      comparison_operator = "GreaterThanOrEqualToThreshold"
      evaluation_periods  = 1
      dimensions          = {}
    }
  }

  alarms = var.create && var.create_alarms ? merge(local.model_alarms, local.logging_alarms) : {}
}

################################################################################
# KMS customer managed key (logs, log bucket, guardrail)
################################################################################

module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_kms_key
  description             = "${var.name} Bedrock invocation logs and guardrail"
  alias                   = "${var.name}-bedrock"
  account_id              = var.account_id
  partition               = local.partition
  deletion_window_in_days = 30
  policy_statements = [
    {
      Sid       = "CloudWatchLogsUsesKeyForInvocationLogGroup"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.amazonaws.com" }
      Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arn } }
    },
    {
      Sid       = "BedrockWritesEncryptedInvocationLogs"
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"]
      Resource  = "*"
      Condition = local.bedrock_source_conditions
    },
  ]

  tags = var.tags
}

################################################################################
# Model invocation logging: S3 bucket
################################################################################

module "invocation_log_bucket" {
  source = "../_shared/s3-bucket"

  # Invocation logs are region-scoped audit data: replicated to the organization's log archive when
  # invocation_log_replication names it (replication.tf). Nothing consumes the object-created events.
  create           = local.create_logging
  bucket           = local.bucket_name
  bucket_name_hint = "shorten var.name or set invocation_log_bucket_name."
  partition        = local.partition
  kms_key_arn      = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn
  lifecycle_rule = {
    id                         = "archive-then-expire"
    transition_days            = var.invocation_log_archive_after_days
    expiration_days            = var.invocation_log_expire_after_days
    noncurrent_transition_days = 30
    noncurrent_expiration_days = var.invocation_log_archive_after_days
  }
  access_log_bucket = var.invocation_log_access_log_bucket
  policy_statements = [
    {
      Sid       = "BedrockDeliversInvocationLogs"
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.bucket_arn}/${local.s3_key_prefix}/AWSLogs/${var.account_id}/BedrockModelInvocationLogs/*"
      Condition = local.bedrock_source_conditions
    },
  ]

  tags = var.tags
}

################################################################################
# Model invocation logging: CloudWatch log group and the role Bedrock writes with
################################################################################

resource "aws_cloudwatch_log_group" "invocation_logs" {
  count = local.create_logging ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn

  tags = var.tags
}

resource "aws_iam_role" "invocation_logging" {
  count = local.create_logging ? 1 : 0

  name = "${var.name}-bedrock-invocation-logging"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = local.bedrock_source_conditions
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy" "invocation_logging" {
  count = local.create_logging ? 1 : 0

  name = "write-invocation-log-stream"
  role = aws_iam_role.invocation_logging[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "WriteModelInvocationLogStream"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${local.log_group_arn}:log-stream:aws/bedrock/modelinvocations"
    }]
  })
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  count = local.create_logging ? 1 : 0

  logging_config {
    text_data_delivery_enabled      = true
    image_data_delivery_enabled     = true
    embedding_data_delivery_enabled = true
    video_data_delivery_enabled     = true

    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocation_logs[0].name
      role_arn       = aws_iam_role.invocation_logging[0].arn
    }

    s3_config {
      bucket_name = module.invocation_log_bucket.bucket_id
      key_prefix  = local.s3_key_prefix
    }
  }

  # Bedrock checks that it can write to both destinations when the configuration is set.
  depends_on = [
    module.invocation_log_bucket,
    aws_iam_role_policy.invocation_logging,
  ]
}

################################################################################
# Guardrail
################################################################################

resource "aws_bedrock_guardrail" "this" {
  count = local.create_guardrail ? 1 : 0

  name                      = "${var.name}-guardrail"
  description               = "Content, prompt-attack and PII filters of ${var.name}"
  blocked_input_messaging   = var.guardrail_blocked_input_messaging
  blocked_outputs_messaging = var.guardrail_blocked_outputs_messaging
  kms_key_arn               = var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn

  content_policy_config {
    dynamic "filters_config" {
      for_each = local.content_filters

      content {
        type            = filters_config.key
        input_strength  = filters_config.value.input
        output_strength = filters_config.value.output
      }
    }
  }

  dynamic "sensitive_information_policy_config" {
    for_each = length(var.guardrail_pii_entities) > 0 ? [1] : []

    content {
      dynamic "pii_entities_config" {
        for_each = var.guardrail_pii_entities

        content {
          type   = pii_entities_config.key
          action = pii_entities_config.value
        }
      }
    }
  }

  word_policy_config {
    managed_word_lists_config {
      type = "PROFANITY"
    }
  }

  tags = var.tags
}

resource "aws_bedrock_guardrail_version" "this" {
  count = local.create_guardrail ? 1 : 0

  guardrail_arn = aws_bedrock_guardrail.this[0].guardrail_arn
  description   = "Published by Terraform from the ${var.name} guardrail draft"
  # Keep earlier versions: applications may still pin them.
  skip_destroy = true

  lifecycle {
    # Publish a new version whenever the guardrail draft changes.
    replace_triggered_by = [aws_bedrock_guardrail.this]
  }
}

################################################################################
# Least-privilege invoke role
################################################################################

resource "aws_iam_role" "invoke" {
  count = var.create ? 1 : 0

  name = "${var.name}-bedrock-invoke"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      length(var.invoke_role_trusted_services) > 0 ? [{
        Sid       = "TrustedServices"
        Effect    = "Allow"
        Principal = { Service = var.invoke_role_trusted_services }
        Action    = "sts:AssumeRole"
      }] : [],
      length(var.invoke_role_trusted_role_arns) > 0 ? [{
        Sid       = "TrustedRoles"
        Effect    = "Allow"
        Principal = { AWS = var.invoke_role_trusted_role_arns }
        Action    = "sts:AssumeRole"
      }] : [],
    )
  })

  tags = var.tags
}

# The invoke policy is built from aws_iam_policy_document data sources, not jsonencode(): the guardrail
# ARN (and a created key's ARN) are known only after apply, and a document keeps every statement's
# actions, plan-time resources and resource references readable in the plan JSON, so policy checks
# (LZ-SEC-010/011) decide at plan time. Statements are static blocks (plan JSON records no expressions
# of dynamic blocks) and their unknown resources reference the resources directly, never via a local.

# Known at plan time (no guardrail reference). Without a guardrail it is the whole policy; with one, the
# guardrail document below adds to it.
data "aws_iam_policy_document" "invoke_models" {
  count = var.create ? 1 : 0

  # Without guardrail enforcement every approved model and profile; with it only the exempt (embedding) models.
  dynamic "statement" {
    for_each = local.require_guardrail ? (length(local.exempt_model_arns) > 0 ? ["exempt"] : []) : ["all"]

    content {
      # Also authorizes Converse / ConverseStream and StartAsyncInvoke.
      sid       = statement.value == "all" ? "InvokeApprovedModels" : "InvokeGuardrailExemptModels"
      actions   = local.invoke_actions
      resources = statement.value == "all" ? local.invokable_arns : local.exempt_model_arns
    }
  }

  dynamic "statement" {
    for_each = !local.require_guardrail && local.has_profiles ? [1] : []

    content {
      # The foundation model in each destination Region, only when the request comes through a profile.
      sid       = "InvokeDestinationRegionModelsThroughProfiles"
      actions   = local.invoke_actions
      resources = local.profile_destination_model_arns

      condition {
        test     = "StringEquals"
        variable = "bedrock:InferenceProfileArn"
        values   = local.profile_arns
      }
    }
  }

  statement {
    sid       = "CountTokensOfApprovedModels"
    actions   = ["bedrock:CountTokens"]
    resources = local.allowed_model_arns
  }
}

# The documents below name the guardrail ARN and version (known only after apply) in plain statement blocks, so the
# plan shows their references and policy checks complete them at plan time. Statements whose presence depends on
# the inputs live in documents (and managed policies) of their own, created by count.

# Models only through this guardrail: the invoke policy when require_guardrail.
data "aws_iam_policy_document" "invoke_with_guardrail" {
  count = local.require_guardrail ? 1 : 0

  source_policy_documents = [data.aws_iam_policy_document.invoke_models[0].json]

  statement {
    sid       = "InvokeApprovedModelsThroughTheGuardrail"
    actions   = local.invoke_actions
    resources = local.guarded_invokable_arns

    condition {
      test     = "StringEquals"
      variable = "bedrock:GuardrailIdentifier"
      values   = ["${aws_bedrock_guardrail.this[0].guardrail_arn}:${aws_bedrock_guardrail_version.this[0].version}"]
    }
  }

  statement {
    # Whatever else the principal is granted (the policy is also attached elsewhere), no guardrail, no inference.
    sid       = "DenyInvokeWithoutTheGuardrail"
    effect    = "Deny"
    actions   = local.invoke_actions
    resources = concat(local.guarded_invokable_arns, local.profile_destination_model_arns)

    condition {
      test     = "StringNotEquals"
      variable = "bedrock:GuardrailIdentifier"
      values   = ["${aws_bedrock_guardrail.this[0].guardrail_arn}:${aws_bedrock_guardrail_version.this[0].version}"]
    }
  }
}

# The foundation model in each destination Region of the allowed profiles, only through a profile and the guardrail.
data "aws_iam_policy_document" "invoke_through_profiles" {
  count = local.require_guardrail && local.has_profiles ? 1 : 0

  statement {
    sid       = "InvokeDestinationRegionModelsThroughProfilesAndTheGuardrail"
    actions   = local.invoke_actions
    resources = local.profile_destination_model_arns

    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = local.profile_arns
    }

    condition {
      test     = "StringEquals"
      variable = "bedrock:GuardrailIdentifier"
      values   = ["${aws_bedrock_guardrail.this[0].guardrail_arn}:${aws_bedrock_guardrail_version.this[0].version}"]
    }
  }
}

# Using the guardrail: ApplyGuardrail, and its key.
data "aws_iam_policy_document" "guardrail_use" {
  count = local.create_guardrail ? 1 : 0

  statement {
    sid       = "ApplyGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = [aws_bedrock_guardrail.this[0].guardrail_arn]
  }

  statement {
    # Guardrails encrypted with a CMK need kms:Decrypt by the caller, only through Bedrock.
    sid       = "DecryptGuardrailThroughBedrock"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn != null ? var.kms_key_arn : module.kms_key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["bedrock.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "invoke" {
  count = var.create ? 1 : 0

  name        = "${var.name}-bedrock-invoke"
  description = "Invoke the approved Bedrock models of ${var.name}${local.require_guardrail ? " through its guardrail" : ""}"
  policy      = local.require_guardrail ? data.aws_iam_policy_document.invoke_with_guardrail[0].json : data.aws_iam_policy_document.invoke_models[0].json

  tags = var.tags
}

resource "aws_iam_policy" "invoke_through_profiles" {
  count = local.require_guardrail && local.has_profiles ? 1 : 0

  name        = "${var.name}-bedrock-invoke-profiles"
  description = "Invoke the models of ${var.name}'s inference profiles in their destination Regions, through a profile and the guardrail"
  policy      = data.aws_iam_policy_document.invoke_through_profiles[0].json

  tags = var.tags
}

resource "aws_iam_policy" "guardrail_use" {
  count = local.create_guardrail ? 1 : 0

  name        = "${var.name}-bedrock-guardrail-use"
  description = "Apply the ${var.name} guardrail and decrypt it through Bedrock"
  policy      = data.aws_iam_policy_document.guardrail_use[0].json

  tags = var.tags
}

# The invoke role and every role of additional_invoke_role_names (e.g. an EKS Pod Identity role)
# carry the same managed policies; each attachment names its policy directly, so a plan shows
# which policy a role gets.
locals {
  invoke_role_names = var.create ? merge({ invoke = aws_iam_role.invoke[0].name }, var.additional_invoke_role_names) : {}
}

resource "aws_iam_role_policy_attachment" "invoke" {
  for_each = local.invoke_role_names

  role       = each.value
  policy_arn = aws_iam_policy.invoke[0].arn
}

resource "aws_iam_role_policy_attachment" "invoke_through_profiles" {
  for_each = length(aws_iam_policy.invoke_through_profiles) > 0 ? local.invoke_role_names : {}

  role       = each.value
  policy_arn = aws_iam_policy.invoke_through_profiles[0].arn
}

resource "aws_iam_role_policy_attachment" "guardrail_use" {
  for_each = length(aws_iam_policy.guardrail_use) > 0 ? local.invoke_role_names : {}

  role       = each.value
  policy_arn = aws_iam_policy.guardrail_use[0].arn
}

moved {
  from = aws_iam_role_policy_attachment.invoke[0]
  to   = aws_iam_role_policy_attachment.invoke["invoke"]
}

moved {
  from = aws_iam_role_policy_attachment.invoke_through_profiles[0]
  to   = aws_iam_role_policy_attachment.invoke_through_profiles["invoke"]
}

moved {
  from = aws_iam_role_policy_attachment.guardrail_use[0]
  to   = aws_iam_role_policy_attachment.guardrail_use["invoke"]
}

################################################################################
# CloudWatch alarms (AWS/Bedrock)
################################################################################

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name        = each.value.name
  alarm_description = each.value.description

  namespace          = "AWS/Bedrock"
  metric_name        = each.value.metric_name
  dimensions         = each.value.dimensions
  statistic          = each.value.statistic
  extended_statistic = each.value.extended_statistic
  period             = 300

  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.evaluation_periods
  # No invocation in a period is neither an error nor slow.
  treat_missing_data = "notBreaching"

  actions_enabled = true
  alarm_actions   = var.alarm_sns_topic_arns
  ok_actions      = var.alarm_sns_topic_arns

  tags = var.tags
}
