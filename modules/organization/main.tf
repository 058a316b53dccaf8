data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  create_org  = var.create && var.create_organization
  create_scps = var.create && var.create_scps
  create_tagp = var.create && var.create_tag_policy

  root_id = local.create_org ? try(aws_organizations_organization.this[0].roots[0].id, null) : var.root_id

  top_level_ous = {
    security       = "Security"
    infrastructure = "Infrastructure"
    workloads      = "Workloads"
    sandbox        = "Sandbox"
  }
  workload_ous = {
    dev  = "Dev"
    prod = "Prod"
  }
  ou_ids = merge(
    { for k, v in aws_organizations_organizational_unit.top : k => v.id },
    { for k, v in aws_organizations_organizational_unit.workloads : k => v.id },
  )

  # Services whose endpoints are global (served from us-east-1) and must stay reachable
  # from any region: everything else outside approved_regions is denied.
  global_service_actions = [
    "a4b:*", "access-analyzer:*", "account:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*",
    "billing:*", "budgets:*", "ce:*", "chime:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
    "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*", "freetier:*",
    "globalaccelerator:*", "health:*", "iam:*", "importexport:*", "invoicing:*", "kms:*", "networkmanager:*",
    "organizations:*", "payments:*", "pricing:*", "route53:*", "route53domains:*", "route53-recovery-cluster:*",
    "route53-recovery-control-config:*", "route53-recovery-readiness:*", "s3:CreateMultiRegionAccessPoint",
    "s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*",
    "shield:*", "sso:*", "sts:*", "support:*", "tag:*", "tax:*", "trustedadvisor:*", "waf-regional:*", "waf:*",
    "wafv2:*", "wellarchitected:*",
  ]

  # Approved models: the foundation model in any region (cross-region inference routes to other
  # regions; the region SCP already limits where the call is made) and the system-defined
  # cross-region inference profiles (<geo>.<model id>) built on it, for the approved
  # geographies only (global. routes world-wide: allowed only when listed).
  approved_model_arns = flatten([
    for m in var.approved_model_ids : concat(
      ["arn:${local.partition}:bedrock:*::foundation-model/${m}"],
      [for g in var.inference_profile_geographies : "arn:${local.partition}:bedrock:*:*:inference-profile/${g}.${m}"],
    )
  ])

  exempt_condition = length(var.scp_exempt_role_arn_patterns) > 0 ? { ArnNotLike = { "aws:PrincipalARN" = var.scp_exempt_role_arn_patterns } } : {}

  scps = {
    approved-regions = {
      description = "Deny requests outside the approved regions (global services excepted)."
      targets     = ["root"]
      statements = [{
        Sid       = "DenyUnapprovedRegions"
        Effect    = "Deny"
        NotAction = local.global_service_actions
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:RequestedRegion" = var.approved_regions } }
      }]
    }
    deny-leave-organization = {
      description = "Member accounts cannot leave the organization."
      targets     = ["root"]
      statements = [{
        Sid      = "DenyLeaveOrganization"
        Effect   = "Deny"
        Action   = "organizations:LeaveOrganization"
        Resource = "*"
      }]
    }
    protect-security-services = {
      description = "Nobody but the exempt roles can stop or delete CloudTrail, GuardDuty or AWS Config."
      targets     = ["root"]
      statements = [{
        Sid    = "ProtectAuditAndDetection"
        Effect = "Deny"
        Action = [
          "cloudtrail:DeleteTrail", "cloudtrail:StopLogging", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
          "guardduty:DeleteDetector", "guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateFromMasterAccount",
          "guardduty:DeleteMembers", "guardduty:StopMonitoringMembers",
          "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:StopConfigurationRecorder",
        ]
        Resource  = "*"
        Condition = local.exempt_condition
      }]
    }
    bedrock-approved-models = {
      description = "Only the approved Amazon Bedrock models can be invoked."
      targets     = ["workloads", "sandbox"]
      statements = [{
        Sid         = "DenyUnapprovedBedrockModels"
        Effect      = "Deny"
        Action      = "bedrock:InvokeModel*"
        NotResource = local.approved_model_arns
      }]
    }
    require-imdsv2 = {
      description = "EC2 instances must require IMDSv2, and IMDSv1 role credentials are unusable."
      targets     = ["security", "infrastructure", "workloads", "sandbox"]
      statements = [
        {
          Sid       = "RequireImdsV2OnLaunch"
          Effect    = "Deny"
          Action    = "ec2:RunInstances"
          Resource  = "arn:${local.partition}:ec2:*:*:instance/*"
          Condition = { StringNotEquals = { "ec2:MetadataHttpTokens" = "required" } }
        },
        {
          Sid       = "DenyImdsV1Credentials"
          Effect    = "Deny"
          Action    = "*"
          Resource  = "*"
          Condition = { NumericLessThan = { "ec2:RoleDelivery" = "2.0" } }
        },
      ]
    }
    deny-accelerated-compute = {
      description = "No accelerated (${join(", ", var.denied_instance_families)}) capacity in sandbox accounts."
      targets     = ["sandbox"]
      statements = [
        {
          Sid       = "DenyAcceleratedEC2"
          Effect    = "Deny"
          Action    = ["ec2:RunInstances", "ec2:StartInstances"]
          Resource  = "arn:${local.partition}:ec2:*:*:instance/*"
          Condition = { StringLike = { "ec2:InstanceType" = [for f in var.denied_instance_families : "${f}*"] } }
        },
        {
          Sid    = "DenyAcceleratedSageMaker"
          Effect = "Deny"
          Action = [
            "sagemaker:CreateEndpointConfig", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob",
            "sagemaker:CreateTransformJob", "sagemaker:CreateHyperParameterTuningJob", "sagemaker:CreateNotebookInstance",
            "sagemaker:CreateApp", "sagemaker:CreateCluster",
          ]
          Resource  = "*"
          Condition = { "ForAnyValue:StringLike" = { "sagemaker:InstanceTypes" = [for f in var.denied_instance_families : "ml.${f}*"] } }
        },
      ]
    }
  }

  # Rendered once: uniform types so the map can drive for_each.
  scp_documents = {
    for name, scp in local.scps : name => {
      description = scp.description
      targets     = scp.targets
      content     = jsonencode({ Version = "2012-10-17", Statement = scp.statements })
    } if local.create_scps
  }

  scp_attachments = {
    for pair in flatten([for name, scp in local.scp_documents : [for t in scp.targets : { key = "${name}/${t}", policy = name, target = t }]]) :
    pair.key => pair
  }
  target_ids = merge({ root = local.root_id }, local.ou_ids)
}

################################################################################
# Organization
################################################################################

resource "aws_organizations_organization" "this" {
  count = local.create_org ? 1 : 0

  feature_set                   = "ALL"
  aws_service_access_principals = var.aws_service_access_principals
  enabled_policy_types          = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"]
}

################################################################################
# Organizational units: Security, Infrastructure, Workloads (Dev, Prod), Sandbox
################################################################################

resource "aws_organizations_organizational_unit" "top" {
  for_each = var.create ? local.top_level_ous : {}

  name      = each.value
  parent_id = local.root_id

  tags = var.tags
}

resource "aws_organizations_organizational_unit" "workloads" {
  for_each = var.create ? local.workload_ous : {}

  name      = each.value
  parent_id = aws_organizations_organizational_unit.top["workloads"].id

  tags = var.tags
}

################################################################################
# Member accounts
################################################################################

resource "aws_organizations_account" "this" {
  for_each = var.create ? var.accounts : {}

  name                       = coalesce(each.value.name, each.key)
  email                      = each.value.email
  parent_id                  = local.ou_ids[each.value.ou]
  role_name                  = each.value.role_name
  close_on_deletion          = each.value.close_on_deletion
  iam_user_access_to_billing = each.value.iam_user_access_to_billing

  tags = merge(var.tags, each.value.tags)

  lifecycle {
    # The role name is only used at creation and cannot be read back from AWS.
    ignore_changes = [role_name, iam_user_access_to_billing]
  }
}

################################################################################
# Service control policies
################################################################################

resource "aws_organizations_policy" "scp" {
  for_each = local.scp_documents

  name        = each.key
  description = each.value.description
  type        = "SERVICE_CONTROL_POLICY"
  content     = each.value.content

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_organizations_policy_attachment" "scp" {
  for_each = local.scp_attachments

  policy_id = aws_organizations_policy.scp[each.value.policy].id
  target_id = local.target_ids[each.value.target]
}

################################################################################
# Tag policy: standard cost-allocation tag keys
################################################################################

resource "aws_organizations_policy" "tags" {
  count = local.create_tagp ? 1 : 0

  name        = "cost-allocation-tags"
  description = "Standard spelling of the cost-allocation tags: ${join(", ", var.required_tags)}."
  type        = "TAG_POLICY"
  content = jsonencode({
    tags = { for t in var.required_tags : t => { tag_key = { "@@assign" = t } } }
  })

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_organizations_policy_attachment" "tags" {
  count = local.create_tagp ? 1 : 0

  policy_id = aws_organizations_policy.tags[0].id
  target_id = local.root_id
}
