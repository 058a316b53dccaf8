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
  tags = { project = "genai-lz" }
}

run "organization_and_ous" {
  command = plan

  assert {
    condition     = aws_organizations_organization.this[0].feature_set == "ALL" && aws_organizations_organization.this[0].enabled_policy_types == toset(["SERVICE_CONTROL_POLICY", "TAG_POLICY"])
    error_message = "The organization has all features with SCP and tag policies."
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
    condition     = toset(keys(aws_organizations_policy.scp)) == toset(["approved-regions", "deny-leave-organization", "protect-security-services", "bedrock-approved-models", "require-imdsv2", "deny-accelerated-compute"])
    error_message = "Six separate SCPs."
  }

  assert {
    condition     = alltrue([for k, p in aws_organizations_policy.scp : p.type == "SERVICE_CONTROL_POLICY" && length(p.content) <= 5120])
    error_message = "Every SCP fits the 5120 character limit."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.scp["approved-regions"].content).Statement[0].Condition.StringNotEquals["aws:RequestedRegion"] == ["us-east-1", "eu-central-1"] && contains(jsondecode(aws_organizations_policy.scp["approved-regions"].content).Statement[0].NotAction, "iam:*")
    error_message = "Regions outside the approved list are denied, global services excepted."
  }

  assert {
    condition = jsondecode(aws_organizations_policy.scp["bedrock-approved-models"].content).Statement[0].NotResource == [
      "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*:*:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*:*:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*:*:inference-profile/apac.anthropic.claude-3-5-sonnet-20240620-v1:0",
      "arn:aws:bedrock:*::foundation-model/amazon.titan-embed-text-v2:0",
      "arn:aws:bedrock:*:*:inference-profile/us.amazon.titan-embed-text-v2:0",
      "arn:aws:bedrock:*:*:inference-profile/eu.amazon.titan-embed-text-v2:0",
      "arn:aws:bedrock:*:*:inference-profile/apac.amazon.titan-embed-text-v2:0",
    ] && jsondecode(aws_organizations_policy.scp["bedrock-approved-models"].content).Statement[0].Action == "bedrock:InvokeModel*"
    error_message = "Bedrock invocation is denied outside the approved models."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.scp["require-imdsv2"].content).Statement[0].Condition.StringNotEquals["ec2:MetadataHttpTokens"] == "required"
    error_message = "Instances must be launched with IMDSv2 required."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.scp["deny-accelerated-compute"].content).Statement[0].Condition.StringLike["ec2:InstanceType"] == ["inf*", "trn*", "p*", "g*"]
    error_message = "Accelerated EC2 families are denied."
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.scp["deny-leave-organization"].content).Statement[0].Action == "organizations:LeaveOrganization"
    error_message = "Leaving the organization is denied."
  }

  assert {
    condition     = contains(jsondecode(aws_organizations_policy.scp["protect-security-services"].content).Statement[0].Action, "cloudtrail:StopLogging") && contains(jsondecode(aws_organizations_policy.scp["protect-security-services"].content).Statement[0].Action, "guardduty:DeleteDetector") && contains(jsondecode(aws_organizations_policy.scp["protect-security-services"].content).Statement[0].Action, "config:StopConfigurationRecorder")
    error_message = "CloudTrail, GuardDuty and Config cannot be stopped or deleted."
  }

  assert {
    condition     = alltrue([for k, v in output.scp_targets : alltrue([for t in v : contains(["root", "security", "infrastructure", "workloads", "dev", "prod", "sandbox"], t)])]) && output.scp_targets["deny-accelerated-compute"] == ["sandbox"]
    error_message = "Accelerators are denied in the Sandbox OU only."
  }

  assert {
    # AWS allows 5 SCPs per target, FullAWSAccess included.
    condition     = alltrue([for t in ["root", "security", "infrastructure", "workloads", "sandbox"] : length([for k, v in output.scp_targets : k if contains(v, t)]) <= 4])
    error_message = "No target gets more than 4 custom SCPs."
  }

  assert {
    condition     = length(aws_organizations_policy_attachment.scp) == 10
    error_message = "3 root + 2 bedrock + 4 IMDSv2 + 1 sandbox attachments."
  }

  assert {
    condition     = keys(jsondecode(aws_organizations_policy.tags[0].content).tags) == ["cost-center", "environment", "owner", "project"] && aws_organizations_policy.tags[0].type == "TAG_POLICY"
    error_message = "The tag policy standardises the four cost-allocation tags."
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
    condition     = aws_organizations_policy_attachment.scp["approved-regions/root"].target_id == "r-ab12"
    error_message = "Root SCPs attach to the given root."
  }
}

run "no_scps" {
  command = plan

  variables {
    create_scps        = false
    create_tag_policy  = false
    approved_model_ids = []
  }

  assert {
    condition     = length(aws_organizations_policy.scp) == 0 && length(aws_organizations_policy_attachment.scp) == 0 && output.scp_ids == {} && output.tag_policy_id == null
    error_message = "SCPs and the tag policy can be switched off."
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
