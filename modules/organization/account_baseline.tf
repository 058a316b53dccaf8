################################################################################
# Account baseline, deployed into every member account of the target OUs (and into each
# account created there later) by service-managed CloudFormation StackSets:
#   * the genai-lz-deployer role the workload, log-archive and audit roots assume (trusted by
#     the pipeline role of the management account), scoped to what the landing zone manages;
#   * the AWS Config service-linked role and, in every approved region, a configuration
#     recorder delivering to the log-archive bucket (AWS Config has no organization-wide
#     auto-enable; the audit account aggregates).
# The StackSets execution role (stacksets-exec-*) is the only non-break-glass principal the
# SCPs let touch the recorders.
################################################################################

locals {
  create_baseline = var.create && var.create_account_baseline
  home_region     = var.approved_regions[0]

  # Services the landing zone's roots create resources in (service-level wildcards, never *:*,
  # never bedrock:*): the PlatformAdmin permission set and the deployer role share this list.
  platform_service_actions = [
    "access-analyzer:*", "application-autoscaling:*", "autoscaling:*", "budgets:*", "ce:*", "cloudtrail:*", "cloudwatch:*",
    "config:*", "ec2:*", "ecr:*", "eks:*", "events:*", "guardduty:*", "kms:*", "logs:*", "s3:*",
    # SageMaker's control plane only: no InvokeEndpoint* and no presigned Studio / notebook URLs
    # (data access goes through the DataScientist permission set)
    "sagemaker:AddTags", "sagemaker:CreateApp*", "sagemaker:CreateDomain", "sagemaker:CreateEndpoint*", "sagemaker:CreateModel*",
    "sagemaker:CreateNotebookInstance*", "sagemaker:CreateUserProfile", "sagemaker:Delete*", "sagemaker:Describe*",
    "sagemaker:List*", "sagemaker:Search", "sagemaker:Stop*", "sagemaker:Update*",
    "securityhub:*", "servicequotas:*", "sns:*", "ssm:GetParameter*",
    "bedrock:CreateGuardrail", "bedrock:CreateGuardrailVersion", "bedrock:CreateInferenceProfile", "bedrock:DeleteInferenceProfile",
    "bedrock:Get*", "bedrock:List*", "bedrock:PutModelInvocationLoggingConfiguration", "bedrock:TagResource",
    "bedrock:UntagResource", "bedrock:UpdateGuardrail",
    "organizations:Describe*", "organizations:List*",
  ]

  # IAM on the landing zone's own roles, policies and instance profiles (genai-*) only, action
  # by action (no iam:*: nothing that touches users, groups, identity providers or the account).
  manage_genai_roles = {
    Sid    = "ManageLandingZoneRoles"
    Effect = "Allow"
    Action = [
      "iam:AddRoleToInstanceProfile", "iam:AttachRolePolicy", "iam:CreateInstanceProfile", "iam:CreatePolicy",
      "iam:CreatePolicyVersion", "iam:CreateRole", "iam:DeleteInstanceProfile", "iam:DeletePolicy",
      "iam:DeletePolicyVersion", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
      "iam:GetInstanceProfile", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:ListPolicyVersions",
      "iam:ListRolePolicies", "iam:PassRole", "iam:PutRolePolicy", "iam:RemoveRoleFromInstanceProfile",
      "iam:TagInstanceProfile", "iam:TagPolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole", "iam:UpdateRoleDescription",
    ]
    Resource = ["arn:${local.partition}:iam::*:role/genai-*", "arn:${local.partition}:iam::*:policy/genai-*", "arn:${local.partition}:iam::*:instance-profile/genai-*"]
  }

  deployer_template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "genai-lz account baseline: the deployer role and the AWS Config service-linked role"
    Resources = {
      ConfigServiceLinkedRole = {
        Type       = "AWS::IAM::ServiceLinkedRole"
        Properties = { AWSServiceName = "config.amazonaws.com" }
      }
      DeployerRole = {
        Type = "AWS::IAM::Role"
        Properties = {
          RoleName           = var.deployer_role_name
          Description        = "Assumed by the genai-lz pipeline to deploy the landing zone roots; not exempt from any SCP."
          MaxSessionDuration = 3600
          AssumeRolePolicyDocument = {
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { AWS = var.pipeline_role_arn }
              Action    = ["sts:AssumeRole", "sts:TagSession"]
            }]
          }
          Policies = [{
            PolicyName = "genai-lz-deploy"
            PolicyDocument = {
              Version = "2012-10-17"
              Statement = [
                { Sid = "DeployLandingZoneServices", Effect = "Allow", Action = local.platform_service_actions, Resource = "*" },
                local.manage_genai_roles,
                {
                  Sid      = "CreateServiceLinkedRoles"
                  Effect   = "Allow"
                  Action   = ["iam:CreateServiceLinkedRole", "iam:GetRole", "iam:ListRoles", "iam:PassRole"]
                  Resource = "arn:${local.partition}:iam::*:role/aws-service-role/*"
                },
                local.deny_model_access_management,
              ]
            }
          }]
        }
      }
    }
  }

  config_recorder_template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "genai-lz AWS Config recorder delivering to the log-archive bucket"
    Conditions = {
      IsHomeRegion = { "Fn::Equals" = [{ Ref = "AWS::Region" }, local.home_region] }
    }
    Resources = {
      Recorder = {
        Type = "AWS::Config::ConfigurationRecorder"
        Properties = {
          Name    = "genai-lz-recorder"
          RoleARN = { "Fn::Sub" = "arn:$${AWS::Partition}:iam::$${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig" }
          RecordingGroup = {
            AllSupported               = true
            IncludeGlobalResourceTypes = { "Fn::If" = ["IsHomeRegion", true, false] }
          }
        }
      }
      DeliveryChannel = {
        Type = "AWS::Config::DeliveryChannel"
        Properties = {
          Name         = "genai-lz-delivery"
          S3BucketName = coalesce(var.log_archive_bucket_name, "unset")
          S3KeyPrefix  = "config"
          S3KmsKeyArn  = var.log_archive_kms_key_arn
          ConfigSnapshotDeliveryProperties = {
            DeliveryFrequency = "TwentyFour_Hours"
          }
        }
      }
    }
  }

  baseline_ou_ids         = [for k in var.account_baseline_ous : local.ou_ids[k]]
  create_config_recorders = local.create_baseline && var.log_archive_bucket_name != null
}

resource "aws_cloudformation_stack_set" "deployer" {
  count = local.create_baseline ? 1 : 0

  name             = "genai-lz-account-baseline"
  description      = "genai-lz deployer role and AWS Config service-linked role in every member account"
  permission_model = "SERVICE_MANAGED"
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = jsonencode(local.deployer_template)

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  operation_preferences {
    failure_tolerance_percentage = 0
    max_concurrent_percentage    = 25
  }

  lifecycle {
    ignore_changes = [administration_role_arn]
  }

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_cloudformation_stack_set_instance" "deployer" {
  count = local.create_baseline ? 1 : 0

  stack_set_name = aws_cloudformation_stack_set.deployer[0].name
  region         = local.home_region

  deployment_targets {
    organizational_unit_ids = local.baseline_ou_ids
  }
}

resource "aws_cloudformation_stack_set" "config_recorder" {
  count = local.create_config_recorders ? 1 : 0

  name             = "genai-lz-config-recorder"
  description      = "AWS Config recorder in every approved region of every member account, delivering to the log archive"
  permission_model = "SERVICE_MANAGED"
  template_body    = jsonencode(local.config_recorder_template)

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  operation_preferences {
    failure_tolerance_percentage = 0
    max_concurrent_percentage    = 25
    region_concurrency_type      = "PARALLEL"
  }

  lifecycle {
    ignore_changes = [administration_role_arn]
  }

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_cloudformation_stack_set_instance" "config_recorder" {
  for_each = local.create_config_recorders ? toset(var.approved_regions) : toset([])

  stack_set_name = aws_cloudformation_stack_set.config_recorder[0].name
  region         = each.value

  deployment_targets {
    organizational_unit_ids = local.baseline_ou_ids
  }

  # The recorder uses the service-linked role the baseline stack creates in the home region.
  depends_on = [aws_cloudformation_stack_set_instance.deployer]
}
