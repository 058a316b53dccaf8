mock_provider "aws" {
  # The provider checks that a policy argument is a JSON object.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }

  override_data {
    target = data.aws_partition.current
    values = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }

  override_data {
    target = data.aws_region.current
    values = {
      name = "us-east-1"
    }
  }
}

variables {
  name       = "genai-dev"
  account_id = "111122223333"
  tags       = { project = "genai-lz" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = module.kms_key.key.enable_key_rotation == true
    error_message = "The audit KMS key must rotate."
  }

  assert {
    condition     = aws_cloudtrail.this[0].is_multi_region_trail && aws_cloudtrail.this[0].include_global_service_events && aws_cloudtrail.this[0].enable_log_file_validation && aws_cloudtrail.this[0].enable_logging
    error_message = "The trail is multi-region, includes global events, validates log files and logs."
  }

  assert {
    condition     = [for f in aws_cloudtrail.this[0].advanced_event_selector[0].field_selector : "${f.field}=${join(",", f.equals)}"] == ["eventCategory=Management"]
    error_message = "The first advanced selector keeps all management events."
  }

  assert {
    condition = toset(flatten([
      for sel in aws_cloudtrail.this[0].advanced_event_selector : [for f in sel.field_selector : f.equals[0] if f.field == "resources.type"]
    ])) == toset(["AWS::Bedrock::AgentAlias", "AWS::Bedrock::FlowAlias", "AWS::Bedrock::Guardrail", "AWS::Bedrock::InlineAgent", "AWS::Bedrock::KnowledgeBase", "AWS::Bedrock::Model", "AWS::Bedrock::PromptVersion"])
    error_message = "Bedrock data events are logged for every Bedrock resource type."
  }

  assert {
    condition     = aws_cloudwatch_log_group.trail[0].retention_in_days == 365
    error_message = "The trail log group keeps logs for a year."
  }

  assert {
    condition     = module.audit_bucket.resources.bucket.bucket == "genai-dev-audit-111122223333" && module.audit_bucket.resources.bucket.force_destroy == false
    error_message = "The audit bucket is named per account and not force-destroyed."
  }

  assert {
    condition     = module.audit_bucket.resources.public_access_block.block_public_acls && module.audit_bucket.resources.public_access_block.block_public_policy && module.audit_bucket.resources.public_access_block.ignore_public_acls && module.audit_bucket.resources.public_access_block.restrict_public_buckets
    error_message = "The audit bucket blocks all public access."
  }

  assert {
    condition     = module.audit_bucket.resources.versioning.versioning_configuration[0].status == "Enabled" && module.audit_bucket.resources.ownership_controls.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The audit bucket is versioned with ACLs disabled."
  }

  assert {
    condition     = [for r in module.audit_bucket.resources.encryption.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm][0] == "aws:kms"
    error_message = "The audit bucket uses SSE-KMS."
  }

  assert {
    condition     = [for t in module.audit_bucket.resources.lifecycle.rule[0].transition : t.storage_class] == ["GLACIER"] && module.audit_bucket.resources.lifecycle.rule[0].expiration[0].days == 2555
    error_message = "Audit logs move to Glacier and expire after 7 years."
  }

  assert {
    condition     = aws_guardduty_detector.this[0].enable && toset(keys(aws_guardduty_detector_feature.this)) == toset(["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING"])
    error_message = "GuardDuty is enabled with S3, EKS audit, malware and runtime monitoring features."
  }

  assert {
    condition     = aws_config_configuration_recorder.this[0].recording_group[0].all_supported && aws_config_configuration_recorder_status.this[0].is_enabled
    error_message = "AWS Config records all supported resources and is started."
  }

  assert {
    condition     = aws_iam_role_policy_attachment.config[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
    error_message = "The Config role uses the AWS_ConfigRole managed policy."
  }

  assert {
    condition     = aws_accessanalyzer_analyzer.this[0].type == "ACCOUNT"
    error_message = "IAM Access Analyzer of type ACCOUNT."
  }

  assert {
    condition     = length(aws_securityhub_account.this) == 0
    error_message = "Security Hub is off by default (emulator)."
  }

  assert {
    condition     = aws_iam_account_password_policy.this[0].minimum_password_length >= 14 && aws_iam_account_password_policy.this[0].password_reuse_prevention == 24
    error_message = "A strong password policy is set."
  }

  assert {
    condition     = aws_s3_account_public_access_block.this[0].block_public_policy && aws_s3_account_public_access_block.this[0].restrict_public_buckets && aws_ebs_encryption_by_default.this[0].enabled
    error_message = "Account-level S3 public access block and EBS default encryption are on."
  }
}

run "bucket_and_key_policies" {
  command = plan

  assert {
    condition     = contains([for s in jsondecode(module.audit_bucket.resources.policy.policy).Statement : s.Sid if s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"], "DenyInsecureTransport")
    error_message = "The bucket policy denies non-TLS access."
  }

  assert {
    condition = [
      for s in jsondecode(module.audit_bucket.resources.policy.policy).Statement :
      s.Condition.StringEquals["aws:SourceArn"] if try(s.Principal.Service, "") == "cloudtrail.amazonaws.com"
    ] == ["arn:aws:cloudtrail:us-east-1:111122223333:trail/genai-dev-trail", "arn:aws:cloudtrail:us-east-1:111122223333:trail/genai-dev-trail"]
    error_message = "CloudTrail may write only for this trail (aws:SourceArn)."
  }

  assert {
    condition     = length([for s in jsondecode(module.kms_key.key.policy).Statement : s if try(s.Principal.AWS, "") == "*" || try(s.Principal, "") == "*"]) == 0
    error_message = "The key policy has no wildcard principal."
  }

  assert {
    condition = [
      for st in data.aws_iam_policy_document.config_delivery[0].statement : st.resources if st.sid != "EncryptSnapshots"
      ] == [
      toset(["arn:aws:s3:::genai-dev-audit-111122223333/config/AWSLogs/111122223333/Config/*"]),
      toset(["arn:aws:s3:::genai-dev-audit-111122223333"]),
    ]
    error_message = "AWS Config may write its snapshots and read the ACL of the audit bucket only, named by ARNs known at plan time."
  }
}

run "trail_without_bedrock_and_cloudwatch" {
  command = plan

  variables {
    cloudtrail_bedrock_data_events = false
    cloudtrail_cloudwatch_logs     = false
    create_securityhub             = true
  }

  assert {
    condition     = length(aws_cloudtrail.this[0].advanced_event_selector) == 1 && length(aws_cloudwatch_log_group.trail) == 0 && aws_cloudtrail.this[0].cloud_watch_logs_group_arn == null
    error_message = "Management events only, no CloudWatch Logs delivery."
  }

  assert {
    condition     = aws_securityhub_account.this[0].enable_default_standards == true
    error_message = "Security Hub can be enabled with the default standards."
  }
}

run "existing_key_config_only" {
  command = plan

  variables {
    create_kms_key         = false
    kms_key_arn            = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    create_cloudtrail      = false
    create_guardduty       = false
    create_access_analyzer = false
  }

  assert {
    condition     = module.kms_key.key == null && aws_config_delivery_channel.this[0].s3_kms_key_arn == var.kms_key_arn && output.kms_key_arn == var.kms_key_arn
    error_message = "A given key is used and none is created."
  }

  assert {
    condition     = [for st in data.aws_iam_policy_document.config_delivery[0].statement : st.resources if st.sid == "EncryptSnapshots"] == [toset([var.kms_key_arn])]
    error_message = "The Config role may use the given key only."
  }

  assert {
    condition     = length(aws_cloudtrail.this) == 0 && module.audit_bucket.resources.bucket != null && alltrue([for s in jsondecode(module.audit_bucket.resources.policy.policy).Statement : try(s.Principal.Service, "") != "cloudtrail.amazonaws.com"])
    error_message = "Without a trail the bucket stays for Config and grants CloudTrail nothing."
  }

  assert {
    condition     = length(aws_guardduty_detector.this) == 0 && length(aws_accessanalyzer_analyzer.this) == 0 && output.guardduty_detector_id == null
    error_message = "Optional parts can be switched off."
  }
}

run "emulator_toggles" {
  command = plan

  variables {
    create_guardduty_features             = false
    create_access_analyzer                = false
    create_s3_account_public_access_block = false
  }

  assert {
    condition     = length(aws_guardduty_detector.this) == 1 && length(aws_guardduty_detector_feature.this) == 0 && length(aws_accessanalyzer_analyzer.this) == 0 && length(aws_s3_account_public_access_block.this) == 0
    error_message = "Parts the emulator cannot handle can be switched off one by one."
  }
}

run "organization_trail_to_the_log_archive" {
  command = plan

  variables {
    create_kms_key                   = false
    kms_key_arn                      = "arn:aws:kms:us-east-1:333333333333:key/11111111-2222-3333-4444-555555555555"
    cloudtrail_is_organization_trail = true
    cloudtrail_s3_bucket_name        = "genai-log-archive-333333333333-us-east-1"
    cloudtrail_cloudwatch_logs       = false
    create_config                    = false
    create_guardduty                 = false
    create_access_analyzer           = false
  }

  assert {
    condition     = aws_cloudtrail.this[0].is_organization_trail && aws_cloudtrail.this[0].s3_bucket_name == "genai-log-archive-333333333333-us-east-1" && aws_cloudtrail.this[0].s3_key_prefix == null && aws_cloudtrail.this[0].kms_key_id == var.kms_key_arn
    error_message = "The organization trail writes to the log-archive bucket with its key."
  }

  assert {
    condition     = module.audit_bucket.resources.bucket == null && module.kms_key.key == null
    error_message = "No bucket and no key of its own."
  }
}

run "member_account_without_detective_controls" {
  command = plan

  variables {
    create_cloudtrail      = false
    create_config          = false
    create_guardduty       = false
    create_access_analyzer = false
  }

  assert {
    condition     = module.kms_key.key == null && module.audit_bucket.resources.bucket == null && output.kms_key_arn == null && length(aws_iam_account_password_policy.this) == 1
    error_message = "Without trail and Config the module creates no key and no bucket, and keeps the account guardrails."
  }
}

run "log_archive" {
  command = plan

  module {
    source = "./modules/log-archive"
  }

  variables {
    account_id            = "333333333333"
    management_account_id = "111111111111"
    organization_id       = "o-abcd123456"
  }

  assert {
    condition     = module.log_bucket.resources.bucket.object_lock_enabled && module.log_bucket.resources.object_lock.rule[0].default_retention[0].mode == "GOVERNANCE" && module.log_bucket.resources.object_lock.rule[0].default_retention[0].days == 365
    error_message = "The log bucket has Object Lock in GOVERNANCE mode for the retention."
  }

  assert {
    condition     = contains(jsondecode(module.log_bucket.resources.policy.policy).Statement[3].Resource, "arn:aws:s3:::genai-log-archive-333333333333-us-east-1/AWSLogs/o-abcd123456/*") && jsondecode(module.log_bucket.resources.policy.policy).Statement[3].Condition.StringEquals["aws:SourceArn"] == "arn:aws:cloudtrail:us-east-1:111111111111:trail/genai-org-trail"
    error_message = "CloudTrail writes the organization's logs, scoped to the organization trail."
  }

  assert {
    condition     = one([for s in jsondecode(module.kms_key.key.policy).Statement : s.Effect == "Deny" && contains(s.Action, "kms:ScheduleKeyDeletion") if s.Sid == "DenyKeyDestructionButBreakGlass"]) && [for s in jsondecode(module.kms_key.key.policy).Statement : s.Sid][1] == "CloudTrailEncryptLogs" && module.kms_key.key.tags["genai-lz:protected"] == "log-archive"
    error_message = "Only break-glass can disable or delete the key (the SCP protects keys with this tag)."
  }

  assert {
    condition     = module.log_bucket.resources.logging.target_prefix == "s3-access/genai-log-archive-333333333333-us-east-1/" && one([for st in jsondecode(module.access_bucket.resources.policy.policy).Statement : st.Resource if st.Sid == "S3ServerAccessLogs"]) == "arn:aws:s3:::genai-log-archive-access-333333333333-us-east-1/s3-access/genai-log-archive-333333333333-us-east-1/*" && one([for r in module.access_bucket.resources.encryption.rule : one(r.apply_server_side_encryption_by_default).sse_algorithm]) == "aws:kms"
    error_message = "The log bucket's access logs go to the KMS-encrypted access-log bucket."
  }
}

run "log_archive_without_access_logging" {
  command = plan

  module {
    source = "./modules/log-archive"
  }

  variables {
    account_id            = "333333333333"
    management_account_id = "111111111111"
    organization_id       = "o-abcd123456"
    create_access_logging = false
  }

  assert {
    condition     = module.log_bucket.resources.logging == null && module.log_bucket.resources.object_lock.rule[0].default_retention[0].mode == "GOVERNANCE"
    error_message = "create_access_logging = false leaves out only the server access logging."
  }
}

run "log_archive_policies_take_more_statements" {
  command = plan

  module {
    source = "./modules/log-archive"
  }

  variables {
    account_id                          = "333333333333"
    management_account_id               = "111111111111"
    organization_id                     = "o-abcd123456"
    additional_kms_policy_statements    = [{ Sid = "ExtraKeyUse", Effect = "Allow", Principal = { Service = "logs.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*" }]
    additional_bucket_policy_statements = [{ Sid = "ExtraWrite", Effect = "Allow", Principal = { Service = "logs.amazonaws.com" }, Action = "s3:PutObject", Resource = "arn:aws:s3:::genai-log-archive-333333333333-us-east-1/extra/*" }]
  }

  assert {
    condition = (
      [for st in jsondecode(module.kms_key.key.policy).Statement : st.Sid] == ["AccountAdministration", "CloudTrailEncryptLogs", "CloudTrailDescribeKey", "DenyKeyDestructionButBreakGlass", "ConfigDeliveryFromTheOrganization", "S3ServerAccessLogDelivery", "InvocationLogReplicationFromTheOrganization", "ExtraKeyUse"] &&
      [for st in jsondecode(module.log_bucket.resources.policy.policy).Statement : st.Sid][0] == "DenyInsecureTransport" &&
      [for st in jsondecode(module.log_bucket.resources.policy.policy).Statement : st.Sid][8] == "ExtraWrite"
    )
    error_message = "The extra statements come after the module's own, which keep their order."
  }

  assert {
    condition     = { for t in one(module.log_bucket.resources.lifecycle.rule).transition : t.storage_class => t.days } == { GLACIER = 90, DEEP_ARCHIVE = 365 }
    error_message = "Log objects move to Glacier, then to Deep Archive."
  }
}

run "reject_short_log_archive_expiration" {
  command = plan

  module {
    source = "./modules/log-archive"
  }

  variables {
    account_id                 = "333333333333"
    management_account_id      = "111111111111"
    organization_id            = "o-abcd123456"
    object_lock_retention_days = 3000
    expiration_days            = 2555
  }

  expect_failures = [var.expiration_days]
}

run "organization_security_services" {
  command = plan

  module {
    source = "./modules/org-security-services"
  }

  variables {
    name                     = "genai"
    account_id               = "444444444444"
    create_config_aggregator = true
  }

  assert {
    condition     = aws_guardduty_organization_configuration.this[0].auto_enable_organization_members == "ALL" && length(aws_guardduty_organization_configuration_feature.this) == 4 && aws_guardduty_organization_configuration_feature.this["RUNTIME_MONITORING"].auto_enable == "ALL"
    error_message = "GuardDuty and its protection plans are auto-enabled for every member."
  }

  assert {
    condition     = aws_securityhub_organization_configuration.this[0].auto_enable && aws_securityhub_organization_configuration.this[0].auto_enable_standards == "DEFAULT" && aws_accessanalyzer_analyzer.this[0].type == "ORGANIZATION"
    error_message = "Security Hub auto-enables members and standards; Access Analyzer covers the organization."
  }

  assert {
    condition     = aws_config_configuration_aggregator.this[0].organization_aggregation_source[0].all_regions && aws_iam_role_policy_attachment.aggregator[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
    error_message = "The organization Config aggregator covers every region with the AWS managed organizations role."
  }
}

run "disabled" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = module.kms_key.key == null && length(aws_cloudtrail.this) == 0 && module.audit_bucket.resources.bucket == null && length(aws_iam_account_password_policy.this) == 0 && output.kms_key_arn == null
    error_message = "create = false creates nothing."
  }
}

run "reject_no_key" {
  command = plan

  variables {
    create_kms_key = false
  }

  expect_failures = [var.kms_key_arn]
}

run "reject_short_expiration" {
  command = plan

  variables {
    trail_log_expiration_days = 30
  }

  expect_failures = [var.trail_log_expiration_days]
}

run "reject_expiration_before_glacier_minimum" {
  command = plan

  variables {
    trail_log_transition_days = 365
    trail_log_expiration_days = 400
  }

  expect_failures = [var.trail_log_expiration_days]
}

run "reject_short_log_retention" {
  command = plan

  variables {
    log_retention_in_days = 30
  }

  expect_failures = [var.log_retention_in_days]
}

run "reject_unknown_guardduty_feature" {
  command = plan

  variables {
    guardduty_features = { MAGIC = [] }
  }

  expect_failures = [var.guardduty_features]
}

run "reject_uppercase_name" {
  command = plan

  variables {
    name = "GenAI"
  }

  expect_failures = [var.name]
}
