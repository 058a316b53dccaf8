mock_provider "aws" {
  override_data {
    target = data.aws_partition.current
    values = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
}

variables {
  approved_regions   = ["us-east-1", "eu-central-1"]
  approved_model_ids = ["anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.titan-embed-text-v2:0"]
  accounts = {
    genai-dev  = { email = "aws+genai-dev@example.com", ou = "dev" }
    genai-prod = { email = "aws+genai-prod@example.com", ou = "prod", tags = { environment = "prod" } }
    lab        = { email = "aws+lab@example.com", ou = "sandbox", name = "Sandbox Lab" }
  }
  pipeline_role_arn            = "arn:aws:iam::111122223333:role/genai-lz-pipeline"
  identity_center_instance_arn = "arn:aws:sso:::instance/ssoins-0000000000000000"
  tags                         = { project = "genai-lz" }
}

run "organization_and_ous" {
  command = plan

  assert {
    condition     = aws_organizations_organization.this[0].feature_set == "ALL" && contains(aws_organizations_organization.this[0].enabled_policy_types, "RESOURCE_CONTROL_POLICY")
    error_message = "The organization has all features with SCPs, RCPs, tag and AI opt-out policies."
  }

  assert {
    condition     = contains(tolist(aws_organizations_organization.this[0].aws_service_access_principals), "cloudtrail.amazonaws.com") && contains(tolist(aws_organizations_organization.this[0].aws_service_access_principals), "guardduty.amazonaws.com") && contains(tolist(aws_organizations_organization.this[0].aws_service_access_principals), "config.amazonaws.com")
    error_message = "CloudTrail, Config and GuardDuty get trusted access."
  }

  assert {
    condition     = { for k, v in aws_organizations_organizational_unit.top : k => v.name } == { security = "Security", infrastructure = "Infrastructure", workloads = "Workloads", sandbox = "Sandbox" }
    error_message = "Top-level OUs Security, Infrastructure, Workloads, Sandbox."
  }

  assert {
    condition     = { for k, v in aws_organizations_organizational_unit.workloads : k => v.name } == { dev = "Dev", prod = "Prod" }
    error_message = "Dev and Prod under Workloads."
  }

  assert {
    condition     = aws_organizations_account.this["lab"].name == "Sandbox Lab" && aws_organizations_account.this["genai-dev"].name == "genai-dev"
    error_message = "Account names default to the key."
  }

  assert {
    condition     = alltrue([for k, a in aws_organizations_account.this : a.close_on_deletion == false && a.role_name == "OrganizationAccountAccessRole" && a.iam_user_access_to_billing == "DENY"])
    error_message = "Accounts are not closed on deletion and get the standard access role."
  }

  assert {
    condition     = aws_organizations_account.this["genai-prod"].tags == tomap({ project = "genai-lz", environment = "prod" })
    error_message = "Account tags merge the module tags."
  }
}

run "service_control_policies" {
  command = plan

  assert {
    condition     = toset(keys(local.scp_documents)) == toset(["approved-regions", "protect-security-services", "protect-logs-and-guardrails", "protect-member-detective-controls", "bedrock-approved-models", "require-imdsv2", "deny-accelerated-compute"])
    error_message = "Seven separate SCPs."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.authorization : contains(["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"], p.type) && length(p.content) <= 5120])
    error_message = "Every SCP and RCP fits the 5120 character limit."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.authorization["scp/approved-regions"].content).Statement[0].Condition.StringNotEquals["aws:RequestedRegion"] == ["us-east-1", "eu-central-1"] && contains(jsondecode(aws_organizations_policy.authorization["scp/approved-regions"].content).Statement[0].NotAction, "iam:*")
    error_message = "Regions outside the approved list are denied, global services excepted."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.authorization["scp/approved-regions"].content).Statement[1].Condition.ArnNotLike["bedrock:InferenceProfileArn"] == ["arn:aws:bedrock:*:*:inference-profile/us.*"]
    error_message = "Outside the approved regions Bedrock inference goes only through the approved geographic inference profiles."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.authorization["scp/approved-regions"].content).Statement[0].Condition.ArnNotLike["aws:PrincipalARN"] == ["arn:aws:iam::*:role/genai-lz-break-glass"]
    error_message = "Only the break-glass role escapes the region deny."
  }

  assert {
    condition = jsondecode(aws_organizations_policy.authorization["scp/bedrock-approved-models"].content).Statement[0].NotResource == [
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*:*:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*::foundation-model/amazon.titan-embed-text-v2:0",
      "arn:aws:bedrock:*:*:inference-profile/us.amazon.titan-embed-text-v2:0",
    ] && jsondecode(aws_organizations_policy.authorization["scp/bedrock-approved-models"].content).Statement[0].Action == "bedrock:InvokeModel*"
    error_message = "Bedrock invocation is denied outside the approved models."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.authorization["scp/require-imdsv2"].content).Statement[0].Condition.StringNotEquals["ec2:MetadataHttpTokens"] == "required"
    error_message = "Instances must be launched with IMDSv2 required."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.authorization["scp/deny-accelerated-compute"].content).Statement[0].Condition.StringLike["ec2:InstanceType"] == ["inf*", "trn*", "p*", "g*"]
    error_message = "Accelerated EC2 families are denied."
  }

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.authorization["scp/protect-security-services"].content).Statement[0].Action, "organizations:LeaveOrganization") && contains(jsondecode(aws_organizations_policy.authorization["scp/protect-security-services"].content).Statement[0].Action, "cloudtrail:StopLogging") && contains(jsondecode(aws_organizations_policy.authorization["scp/protect-security-services"].content).Statement[1].Action, "guardduty:DeleteDetector") && contains(jsondecode(aws_organizations_policy.authorization["scp/protect-security-services"].content).Statement[2].Action, "config:StopConfigurationRecorder")
    error_message = "Leaving the organization, CloudTrail, GuardDuty and Config cannot be stopped or deleted."
  }

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.authorization["scp/protect-member-detective-controls"].content).Statement[0].Action, "guardduty:UpdateDetector") && contains(jsondecode(aws_organizations_policy.authorization["scp/protect-member-detective-controls"].content).Statement[0].Action, "config:PutConfigurationRecorder")
    error_message = "Member accounts cannot reconfigure the centrally managed detectors and recorders."
  }

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.authorization["scp/protect-logs-and-guardrails"].content).Statement[0].Action, "bedrock:DeleteGuardrail") && contains(jsondecode(aws_organizations_policy.authorization["scp/protect-logs-and-guardrails"].content).Statement[1].Action, "s3:BypassGovernanceRetention")
    error_message = "Guardrails, invocation logging and the log archive are protected."
  }

  assert {
    # AWS allows 5 SCPs per target including FullAWSAccess.
    condition     = alltrue([for t in ["root", "security", "infrastructure", "workloads", "sandbox"] : length([for k, v in output.scp_targets : k if contains(v, t)]) <= 4])
    error_message = "No target gets more than 4 custom SCPs."
  }

  assert {
    condition     = length(aws_organizations_policy_attachment.root) + length(aws_organizations_policy_attachment.security) + length(aws_organizations_policy_attachment.infrastructure) + length(aws_organizations_policy_attachment.workloads) + length(aws_organizations_policy_attachment.sandbox) == 14
    error_message = "3 root + 3 member-detective + 2 bedrock + 4 IMDSv2 + 1 sandbox SCP attachments and 1 root RCP attachment."
  }

  assert {
    condition     = alltrue([for s in jsondecode(aws_organizations_policy.authorization["rcp/data-perimeter"].content).Statement : s.Effect == "Deny" && s.Principal == "*"]) && aws_organizations_policy.authorization["rcp/data-perimeter"].type == "RESOURCE_CONTROL_POLICY" && aws_organizations_policy_attachment.root["rcp/data-perimeter"] != null
    error_message = "The data-perimeter RCP denies with Principal * and is attached to the root."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.ai_opt_out[0].content).services.default.opt_out_policy["@@assign"] == "optOut" && aws_organizations_policy.ai_opt_out[0].type == "AISERVICES_OPT_OUT_POLICY"
    error_message = "Every AI service is opted out of content use."
  }

  assert {
    condition     = keys(jsondecode(aws_organizations_policy.tags[0].content).tags) == ["cost-center", "environment", "owner", "project"] && aws_organizations_policy.tags[0].type == "TAG_POLICY" && jsondecode(aws_organizations_policy.tags[0].content).tags.project.enforced_for["@@assign"] == ["sagemaker:ALL_SUPPORTED"]
    error_message = "The tag policy standardises the four cost-allocation tags and is enforced."
  }

  assert {
    condition     = toset(aws_organizations_organization.this[0].enabled_policy_types) == toset(["AISERVICES_OPT_OUT_POLICY", "RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY", "TAG_POLICY"])
    error_message = "Every policy type the module creates is enabled on the root."
  }
}

run "identity_center_and_delegation" {
  command = plan

  variables {
    security_admin_account = "genai-prod"
    identity_center_assignments = {
      devs = { permission_set = "GenAIDeveloper", principal_id = "90000000-0000-0000-0000-000000000002", accounts = ["genai-dev", "genai-prod"] }
    }
  }

  assert {
    condition     = toset(keys(aws_ssoadmin_permission_set.this)) == toset(["PlatformAdmin", "GenAIDeveloper", "DataScientist", "Auditor", "BillingViewer"])
    error_message = "Five permission sets."
  }

  assert {
    condition     = alltrue([for k, p in aws_ssoadmin_permission_set_inline_policy.this : alltrue([for s in jsondecode(p.inline_policy).Statement : s.Effect == "Deny" || length(setintersection(toset(flatten([s.Action])), toset(["*", "*:*", "bedrock:*"]))) == 0])])
    error_message = "No permission set allows *, *:* or bedrock:*."
  }

  assert {
    condition     = length(aws_ssoadmin_account_assignment.this) == 2 && aws_ssoadmin_account_assignment.this["devs/genai-dev"].principal_type == "GROUP"
    error_message = "One assignment per group and account."
  }

  assert {
    condition     = toset([for k, d in aws_organizations_delegated_administrator.this : d.service_principal]) == toset(["access-analyzer.amazonaws.com", "config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"])
    error_message = "Config and Access Analyzer are delegated to the audit account."
  }

  assert {
    condition     = length(aws_cloudformation_stack_set_instance.config_recorder) == 0 && aws_cloudformation_stack_set.deployer[0].permission_model == "SERVICE_MANAGED"
    error_message = "The deployer role is vended by a service-managed StackSet; Config recorders wait for the log archive."
  }

  assert {
    condition     = jsondecode(aws_cloudformation_stack_set.deployer[0].template_body).Resources.DeployerRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal.AWS == "arn:aws:iam::111122223333:role/genai-lz-pipeline"
    error_message = "The deployer role trusts the pipeline role."
  }
}

run "config_recorders_after_the_log_archive" {
  command = plan

  variables {
    log_archive_bucket_name = "genai-log-archive-333333333333-us-east-1"
    log_archive_kms_key_arn = "arn:aws:kms:us-east-1:333333333333:key/11111111-2222-3333-4444-555555555555"
  }

  assert {
    condition     = toset([for k, i in aws_cloudformation_stack_set_instance.config_recorder : i.region]) == toset(["us-east-1", "eu-central-1"])
    error_message = "A Config recorder in every approved region."
  }
}

run "existing_organization" {
  command = plan

  variables {
    create_organization = false
    root_id             = "r-ab12"
    organization_id     = "o-abcd123456"
  }

  assert {
    condition     = length(aws_organizations_organization.this) == 0 && output.root_id == "r-ab12" && output.organization_id == "o-abcd123456"
    error_message = "An existing organization is reused."
  }

  assert {
    condition     = alltrue([for k, v in aws_organizations_organizational_unit.top : v.parent_id == "r-ab12"]) && aws_organizations_policy_attachment.tags[0].target_id == "r-ab12"
    error_message = "Top-level OUs and the tag policy hang off the given root."
  }

  assert {
    condition     = aws_organizations_policy_attachment.root["scp/approved-regions"].target_id == "r-ab12" && aws_organizations_policy_attachment.ai_opt_out[0].target_id == "r-ab12"
    error_message = "Root SCPs attach to the given root."
  }
}

run "no_scps" {
  command = plan

  variables {
    create_scps              = false
    create_rcps              = false
    create_tag_policy        = false
    create_ai_opt_out_policy = false
    approved_model_ids       = []
  }

  assert {
    condition     = length(aws_organizations_policy.authorization) == 0 && length(aws_organizations_policy_attachment.root) + length(aws_organizations_policy_attachment.security) + length(aws_organizations_policy_attachment.infrastructure) + length(aws_organizations_policy_attachment.workloads) + length(aws_organizations_policy_attachment.sandbox) == 0 && output.scp_ids == {} && output.tag_policy_id == null && output.ai_opt_out_policy_id == null
    error_message = "SCPs, RCPs, the tag and AI opt-out policies can be switched off."
  }
}

run "reject_bad_email" {
  command = plan

  variables {
    accounts = { x = { email = "not-an-email", ou = "dev" } }
  }

  expect_failures = [var.accounts]
}

run "reject_unknown_ou" {
  command = plan

  variables {
    accounts = { x = { email = "x@example.com", ou = "marketing" } }
  }

  expect_failures = [var.accounts]
}

run "reject_duplicate_email" {
  command = plan

  variables {
    accounts = {
      a = { email = "same@example.com", ou = "dev" }
      b = { email = "SAME@example.com", ou = "prod" }
    }
  }

  expect_failures = [var.accounts]
}

run "reject_bad_region" {
  command = plan

  variables {
    approved_regions = ["us-east-1", "mars-north-1a"]
  }

  expect_failures = [var.approved_regions]
}

run "reject_missing_root_id" {
  command = plan

  variables {
    create_organization = false
  }

  expect_failures = [var.root_id]
}

run "reject_scps_without_models" {
  command = plan

  variables {
    approved_model_ids = []
  }

  expect_failures = [var.create_scps]
}

run "reject_bad_model_id" {
  command = plan

  variables {
    approved_model_ids = ["arn:aws:bedrock:us-east-1::foundation-model/x"]
  }

  expect_failures = [var.approved_model_ids]
}

run "reject_everyday_admin_as_break_glass" {
  command = plan

  variables {
    break_glass_role_arn_patterns = ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]
  }

  expect_failures = [var.break_glass_role_arn_patterns]
}

run "reject_global_inference_profiles" {
  command = plan

  variables {
    bedrock_inference_profile_geographies = ["global"]
  }

  expect_failures = [var.bedrock_inference_profile_geographies]
}

run "reject_baseline_without_pipeline_role" {
  command = plan

  variables {
    pipeline_role_arn = null
  }

  expect_failures = [var.pipeline_role_arn]
}

run "regional_admin" {
  command = plan

  module {
    source = "./modules/regional-admin"
  }

  variables {
    admin_account_id = "444455556666"
  }

  assert {
    condition     = aws_guardduty_organization_admin_account.this[0].admin_account_id == "444455556666" && aws_securityhub_organization_admin_account.this[0].admin_account_id == "444455556666"
    error_message = "The audit account administers GuardDuty and Security Hub in the region."
  }
}

run "regional_admin_off" {
  command = plan

  module {
    source = "./modules/regional-admin"
  }

  variables {
    create           = false
    admin_account_id = null
  }

  assert {
    condition     = length(aws_guardduty_organization_admin_account.this) == 0 && length(aws_securityhub_account.management) == 0
    error_message = "An unused region slot creates nothing."
  }
}

run "attachments_name_their_target" {
  command = plan

  assert {
    condition = (
      toset(keys(aws_organizations_policy_attachment.sandbox)) == toset(["scp/protect-member-detective-controls", "scp/bedrock-approved-models", "scp/require-imdsv2", "scp/deny-accelerated-compute"]) &&
      toset(keys(aws_organizations_policy_attachment.security)) == toset(["scp/require-imdsv2"])
    )
    error_message = "Each OU's attachment resource must hold exactly the policies whose targets name that OU."
  }
}
