################################################################################
# IAM Identity Center: permission sets for the people who use the platform, and the
# assignments of Identity Center groups to accounts
################################################################################

data "aws_ssoadmin_instances" "this" {
  count = local.create_identity && var.identity_center_instance_arn == null ? 1 : 0
}

locals {
  create_identity = var.create && var.create_identity_center

  # The instance ARN is an input where the plan must run without AWS (offline plans, CI);
  # otherwise the organization's one Identity Center instance is looked up.
  sso_instance_arn = local.create_identity ? coalesce(var.identity_center_instance_arn, try(tolist(data.aws_ssoadmin_instances.this[0].arns)[0], null)) : null

  # Invocation of the approved models (directly or through their inference profiles) and
  # reading what is needed to call them; no model access management (entitlements,
  # agreements, Marketplace subscriptions), which stays with the platform team.
  invoke_approved_models = {
    Sid      = "InvokeApprovedModels"
    Effect   = "Allow"
    Action   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    Resource = local.approved_model_arns
  }
  # ApplyGuardrail acts on guardrails, not models: its own statement, so the model grant above
  # names models only
  apply_guardrails = {
    Sid      = "ApplyAccountGuardrails"
    Effect   = "Allow"
    Action   = ["bedrock:ApplyGuardrail"]
    Resource = ["arn:${local.partition}:bedrock:*:*:guardrail/*"]
  }
  read_bedrock_catalog = {
    Sid    = "ReadBedrockCatalog"
    Effect = "Allow"
    Action = [
      "bedrock:GetFoundationModel", "bedrock:GetGuardrail", "bedrock:GetInferenceProfile", "bedrock:ListFoundationModels",
      "bedrock:ListGuardrails", "bedrock:ListInferenceProfiles",
    ]
    Resource = "*"
  }
  deny_model_access_management = {
    Sid    = "DenyModelAccessManagement"
    Effect = "Deny"
    Action = [
      "aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe", "bedrock:CreateFoundationModelAgreement",
      "bedrock:DeleteFoundationModelAgreement", "bedrock:PutFoundationModelEntitlement", "bedrock:PutUseCaseForModelAccess",
    ]
    Resource = "*"
  }

  permission_sets = {
    PlatformAdmin = {
      description      = "Operates the landing zone services (IAM only on genai-* roles, no model access management, no *:*)."
      session_duration = "PT4H"
      managed_policies = ["arn:${local.partition}:iam::aws:policy/job-function/ViewOnlyAccess"]
      statements = [
        {
          Sid      = "OperateLandingZoneServices"
          Effect   = "Allow"
          Action   = local.platform_service_actions
          Resource = "*"
        },
        local.manage_genai_roles,
        local.deny_model_access_management,
      ]
    }
    GenAIDeveloper = {
      description      = "Invokes the approved Bedrock models through the guardrail; reads the catalog and the application logs."
      session_duration = "PT8H"
      managed_policies = []
      statements = [
        local.invoke_approved_models,
        local.apply_guardrails,
        local.read_bedrock_catalog,
        {
          Sid      = "ReadApplicationLogs"
          Effect   = "Allow"
          Action   = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "logs:DescribeLogGroups", "logs:FilterLogEvents", "logs:GetLogEvents"]
          Resource = "*"
        },
        local.deny_model_access_management,
      ]
    }
    DataScientist = {
      description      = "Works in SageMaker Studio through the landing zone's domain and invokes the approved models."
      session_duration = "PT8H"
      managed_policies = []
      statements = [
        {
          Sid      = "OpenStudio"
          Effect   = "Allow"
          Action   = ["sagemaker:CreatePresignedDomainUrl"]
          Resource = "arn:${local.partition}:sagemaker:*:*:user-profile/*/*"
        },
        {
          Sid    = "ReadStudio"
          Effect = "Allow"
          Action = [
            "sagemaker:DescribeApp", "sagemaker:DescribeDomain", "sagemaker:DescribeUserProfile", "sagemaker:ListApps",
            "sagemaker:ListDomains", "sagemaker:ListUserProfiles",
          ]
          Resource = "*"
        },
        local.invoke_approved_models,
        local.apply_guardrails,
        local.read_bedrock_catalog,
        local.deny_model_access_management,
      ]
    }
    Auditor = {
      description      = "Read-only view and security audit of every account, and the genai-lz reports bucket."
      session_duration = "PT4H"
      managed_policies = ["arn:${local.partition}:iam::aws:policy/SecurityAudit", "arn:${local.partition}:iam::aws:policy/job-function/ViewOnlyAccess"]
      statements = [{
        Sid      = "ReadReports"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:${local.partition}:s3:::${var.reports_bucket_prefix}*", "arn:${local.partition}:s3:::${var.reports_bucket_prefix}*/*"]
      }]
    }
    BillingViewer = {
      description      = "Reads bills, budgets and Cost Explorer."
      session_duration = "PT4H"
      managed_policies = ["arn:${local.partition}:iam::aws:policy/AWSBillingReadOnlyAccess"]
      statements = [{
        Sid      = "ReadBudgetsAndCosts"
        Effect   = "Allow"
        Action   = ["budgets:Describe*", "budgets:View*", "ce:Describe*", "ce:Get*", "ce:List*"]
        Resource = "*"
      }]
    }
  }

  # Rendered once with uniform types so the map can drive for_each.
  permission_set_documents = {
    for k, v in local.permission_sets : k => {
      description      = v.description
      session_duration = v.session_duration
      managed_policies = v.managed_policies
      inline_policy    = jsonencode({ Version = "2012-10-17", Statement = v.statements })
    } if local.create_identity
  }

  managed_policy_attachments = local.create_identity ? {
    for pair in flatten([for ps, v in local.permission_set_documents : [for arn in v.managed_policies : { key = "${ps}/${element(split("/", arn), length(split("/", arn)) - 1)}", ps = ps, arn = arn }]]) :
    pair.key => pair
  } : {}

  # One assignment per (assignment key, account key): accounts are this module's account keys.
  account_assignments = local.create_identity ? {
    for pair in flatten([for k, a in var.identity_center_assignments : [for acct in a.accounts : merge(a, { key = "${k}/${acct}", account = acct })]]) :
    pair.key => pair
  } : {}
}

resource "aws_ssoadmin_permission_set" "this" {
  for_each = local.permission_set_documents

  name             = each.key
  description      = each.value.description
  instance_arn     = local.sso_instance_arn
  session_duration = each.value.session_duration

  tags = var.tags
}

resource "aws_ssoadmin_permission_set_inline_policy" "this" {
  for_each = local.permission_set_documents

  instance_arn       = local.sso_instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.key].arn
  inline_policy      = each.value.inline_policy
}

resource "aws_ssoadmin_managed_policy_attachment" "this" {
  for_each = local.managed_policy_attachments

  instance_arn       = local.sso_instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.value.ps].arn
  managed_policy_arn = each.value.arn
}

resource "aws_ssoadmin_account_assignment" "this" {
  for_each = local.account_assignments

  instance_arn       = local.sso_instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[each.value.permission_set].arn
  principal_type     = each.value.principal_type
  principal_id       = each.value.principal_id
  target_type        = "AWS_ACCOUNT"
  target_id          = aws_organizations_account.this[each.value.account].id
}
