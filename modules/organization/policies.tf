################################################################################
# Organization policies: SCPs, RCPs, AI services opt-out, tag policy
################################################################################

locals {
  create_scps    = var.create && var.create_scps
  create_rcps    = var.create && var.create_rcps
  create_tagp    = var.create && var.create_tag_policy
  create_ai_optp = var.create && var.create_ai_opt_out_policy

  # Global services exempt from the region deny: the NotAction list of AWS's region-deny
  # example with Bedrock cross-region inference (aws-samples/service-control-policy-examples,
  # Region-controls/...-with-Bedrock-CRIS.json), plus the billing, account and Identity Center
  # consoles. Bedrock inference is carved out here and limited by the second statement.
  global_service_actions = [
    "a4b:*", "access-analyzer:*", "account:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*",
    "aws-portal:*", "bedrock:CreateModelInvocationJob", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
    "billing:*", "budgets:*", "ce:*", "chime:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*",
    "ec2:DescribeRegions", "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*", "freetier:*",
    "globalaccelerator:*", "health:*", "iam:*", "importexport:*", "invoicing:*", "kms:*", "mobileanalytics:*",
    "networkmanager:*", "organizations:*", "payments:*", "pricing:*", "route53-recovery-cluster:*",
    "route53-recovery-control-config:*", "route53-recovery-readiness:*", "route53:*", "route53domains:*",
    "s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints", "s3:PutAccountPublic*",
    "shield:*", "sso:*", "sts:*", "support:*", "tax:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*",
    "wellarchitected:*",
  ]
  bedrock_inference_actions = ["bedrock:CreateModelInvocationJob", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]

  # Approved models: the foundation model in any region (cross-region inference routes to other
  # regions; the region SCP already limits where the call is made) and the system-defined
  # cross-region inference profiles (<geo>.<model id>) built on it, for the approved
  # geographies only (global. routes world-wide and is never allowed).
  approved_model_arns = flatten([
    for m in var.approved_model_ids : concat(
      ["arn:${local.partition}:bedrock:*::foundation-model/${m}"],
      [for g in var.bedrock_inference_profile_geographies : "arn:${local.partition}:bedrock:*:*:inference-profile/${g}.${m}"],
    )
  ])

  # Only the break-glass role escapes the protective SCPs: the everyday admin and the
  # genai-lz-deployer role do not. The StackSets execution role may manage the AWS Config
  # recorders it deploys (account-baseline stack set), nothing else.
  break_glass_condition = { ArnNotLike = { "aws:PrincipalARN" = var.break_glass_role_arn_patterns } }
  config_exempt_condition = { ArnNotLike = { "aws:PrincipalARN" = concat(var.break_glass_role_arn_patterns, [
    "arn:${local.partition}:iam::*:role/stacksets-exec-*",
  ]) } }

  scps = {
    approved-regions = {
      description = "Deny requests outside the approved regions (global services excepted); Bedrock inference elsewhere only through an approved geographic inference profile."
      targets     = ["root"]
      statements = [
        {
          Sid       = "DenyUnapprovedRegions"
          Effect    = "Deny"
          NotAction = local.global_service_actions
          Resource  = "*"
          Condition = merge(
            { StringNotEquals = { "aws:RequestedRegion" = var.approved_regions } },
            local.break_glass_condition,
          )
        },
        {
          Sid      = "DenyBedrockInferenceOutsideApprovedRegionsExceptProfiles"
          Effect   = "Deny"
          Action   = local.bedrock_inference_actions
          Resource = "*"
          Condition = {
            StringNotEquals = { "aws:RequestedRegion" = var.approved_regions }
            ArnNotLike = { "bedrock:InferenceProfileArn" = [
              for g in var.bedrock_inference_profile_geographies : "arn:${local.partition}:bedrock:*:*:inference-profile/${g}.*"
            ] }
          }
        },
      ]
    }
    protect-security-services = {
      description = "Only the break-glass role can leave the organization, stop or delete the trails, or disable GuardDuty, Security Hub, AWS Config or Access Analyzer."
      targets     = ["root"]
      statements = [
        {
          Sid    = "ProtectTrailsAndOrganization"
          Effect = "Deny"
          Action = [
            "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors",
            "cloudtrail:StopLogging", "cloudtrail:UpdateTrail", "organizations:LeaveOrganization",
          ]
          Resource  = "*"
          Condition = local.break_glass_condition
        },
        {
          Sid    = "ProtectDetectiveControls"
          Effect = "Deny"
          Action = [
            "access-analyzer:DeleteAnalyzer",
            "guardduty:DeleteDetector", "guardduty:DeleteMembers", "guardduty:DeletePublishingDestination",
            "guardduty:DisableOrganizationAdminAccount", "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers", "guardduty:StopMonitoringMembers",
            "securityhub:DeleteMembers", "securityhub:DisableOrganizationAdminAccount", "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount", "securityhub:DisassociateFromMasterAccount",
            "securityhub:DisassociateMembers",
          ]
          Resource  = "*"
          Condition = local.break_glass_condition
        },
        {
          Sid    = "ProtectConfigRecording"
          Effect = "Deny"
          Action = [
            "config:DeleteConfigurationAggregator", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel",
            "config:DeleteRetentionConfiguration", "config:StopConfigurationRecorder",
          ]
          Resource  = "*"
          Condition = local.config_exempt_condition
        },
      ]
    }
    protect-logs-and-guardrails = {
      description = "Only the break-glass role can delete Bedrock invocation logging or guardrails, or delete / unlock the log-archive buckets and keys."
      targets     = ["root"]
      statements = [
        {
          Sid       = "ProtectGenAIControls"
          Effect    = "Deny"
          Action    = ["bedrock:DeleteGuardrail", "bedrock:DeleteModelInvocationLoggingConfiguration"]
          Resource  = "*"
          Condition = local.break_glass_condition
        },
        {
          Sid    = "ProtectLogArchiveBuckets"
          Effect = "Deny"
          # Creating the buckets stays possible (the log-archive deployer needs PutBucketPolicy,
          # PutBucketVersioning, ...); Object Lock cannot be switched off once on, and without
          # BypassGovernanceRetention nobody but break-glass shortens a GOVERNANCE retention.
          Action    = ["s3:BypassGovernanceRetention", "s3:DeleteBucket", "s3:DeleteBucketPolicy"]
          Resource  = ["arn:${local.partition}:s3:::${var.log_archive_bucket_prefix}*"]
          Condition = local.break_glass_condition
        },
        {
          Sid       = "ProtectLogArchiveKeys"
          Effect    = "Deny"
          Action    = ["kms:DisableKey", "kms:DisableKeyRotation", "kms:ScheduleKeyDeletion", "kms:UntagResource"]
          Resource  = "*"
          Condition = merge(local.break_glass_condition, { StringEquals = { "aws:ResourceTag/genai-lz:protected" = "log-archive" } })
        },
      ]
    }
    protect-member-detective-controls = {
      description = "Member accounts cannot change the detectors, recorders and standards the audit account manages for them."
      targets     = ["infrastructure", "workloads", "sandbox"]
      statements = [{
        Sid    = "DenyChangingCentrallyManagedControls"
        Effect = "Deny"
        Action = [
          "config:PutConfigurationRecorder", "config:PutDeliveryChannel",
          "guardduty:CreateFilter", "guardduty:UpdateDetector", "guardduty:UpdateFilter", "guardduty:UpdateMalwareScanSettings",
          "securityhub:BatchDisableStandards", "securityhub:DisableImportFindingsForProduct", "securityhub:UpdateSecurityHubConfiguration",
        ]
        Resource  = "*"
        Condition = local.config_exempt_condition
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

  # Resource control policies: the identity perimeter of the data perimeter examples
  # (aws-samples/data-perimeter-policy-examples, identity_perimeter_rcp.json) for the services
  # the landing zone keeps data in. RCPs support Deny with Principal "*" only, and do not
  # apply to the management account's resources. "${aws:ResourceOrgID}" (a policy variable AWS's
  # S3 documentation uses the same way) is the organization of the resource, so the policy
  # needs no organization id and is fully known at plan time.
  rcp_actions = [
    "kms:*", "s3:*", "secretsmanager:*", "sqs:*",
    "sts:AssumeRole", "sts:DecodeAuthorizationMessage", "sts:GetAccessKeyInfo", "sts:GetFederationToken",
    "sts:GetServiceBearerToken", "sts:GetSessionToken", "sts:SetContext",
  ]
  rcp_trusted_accounts = length(var.rcp_trusted_account_ids) > 0 ? { "aws:PrincipalAccount" = var.rcp_trusted_account_ids } : {}
  rcps = {
    data-perimeter = {
      description = "S3, KMS, STS, SQS and Secrets Manager resources are reachable only by this organization's principals and by AWS services acting for it, over TLS."
      targets     = ["root"]
      statements = [
        {
          Sid       = "EnforceOrgIdentities"
          Effect    = "Deny"
          Principal = "*"
          Action    = local.rcp_actions
          Resource  = "*"
          Condition = {
            StringNotEqualsIfExists = merge({ "aws:PrincipalOrgID" = "$${aws:ResourceOrgID}" }, local.rcp_trusted_accounts)
            BoolIfExists            = { "aws:PrincipalIsAWSService" = "false" }
          }
        },
        {
          Sid       = "EnforceConfusedDeputyProtection"
          Effect    = "Deny"
          Principal = "*"
          Action    = ["kms:*", "s3:*", "secretsmanager:*", "sqs:*", "sts:*"]
          Resource  = "*"
          Condition = {
            StringNotEqualsIfExists = { "aws:SourceOrgID" = "$${aws:ResourceOrgID}" }
            Null                    = { "aws:SourceAccount" = "false" }
            Bool                    = { "aws:PrincipalIsAWSService" = "true" }
          }
        },
        {
          Sid       = "EnforceSecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = ["kms:*", "s3:*", "secretsmanager:*", "sqs:*", "sts:*"]
          Resource  = "*"
          Condition = { BoolIfExists = { "aws:SecureTransport" = "false" } }
        },
      ]
    }
  }

  # Rendered once: uniform types so the maps can drive for_each. Minified JSON (jsonencode),
  # which is what AWS counts against the 5,120-character limit.
  authorization_policies = merge(
    { for name, p in local.scps : "scp/${name}" => {
      name    = name, type = "SERVICE_CONTROL_POLICY", description = p.description, targets = p.targets
      content = jsonencode({ Version = "2012-10-17", Statement = p.statements })
    } if local.create_scps },
    { for name, p in local.rcps : "rcp/${name}" => {
      name    = name, type = "RESOURCE_CONTROL_POLICY", description = p.description, targets = p.targets
      content = jsonencode({ Version = "2012-10-17", Statement = p.statements })
    } if local.create_rcps },
  )
  scp_documents = { for k, v in local.authorization_policies : v.name => v if v.type == "SERVICE_CONTROL_POLICY" }

  # Per target (the root or a top-level OU): the policies attached to it, keyed like the policies. One
  # attachment resource per target names its target directly (no local), so a plan shows which root or OU
  # each attachment reaches and LZ-SEC-031 counts the policies per target before the ids exist.
  attached_to = {
    for t in concat(["root"], keys(local.top_level_ous)) : t => toset([for key, p in local.authorization_policies : key if contains(p.targets, t)])
  }

  tag_policy = {
    tags = { for t in var.required_tags : t => merge(
      { tag_key = { "@@assign" = t } },
      contains(keys(var.tag_policy_allowed_values), t) ? { tag_value = { "@@assign" = var.tag_policy_allowed_values[t] } } : {},
      length(var.tag_policy_enforced_for) > 0 ? { enforced_for = { "@@assign" = var.tag_policy_enforced_for } } : {},
    ) }
  }
}

resource "aws_organizations_policy" "authorization" {
  for_each = local.authorization_policies

  name        = each.value.name
  description = each.value.description
  type        = each.value.type
  content     = each.value.content

  tags = var.tags

  lifecycle {
    precondition {
      condition     = alltrue([for t in each.value.targets : contains(keys(local.attached_to), t)])
      error_message = "Policy ${each.key} targets ${join(", ", each.value.targets)}: SCPs and RCPs attach to the root or a top-level OU (${join(", ", keys(local.attached_to))}); add an attachment resource for another target."
    }
  }

  depends_on = [aws_organizations_organization.this]
}

resource "aws_organizations_policy_attachment" "root" {
  for_each = local.attached_to["root"]

  policy_id = aws_organizations_policy.authorization[each.key].id
  target_id = local.create_org ? aws_organizations_organization.this[0].roots[0].id : var.root_id
}

resource "aws_organizations_policy_attachment" "security" {
  for_each = local.attached_to["security"]

  policy_id = aws_organizations_policy.authorization[each.key].id
  target_id = aws_organizations_organizational_unit.top["security"].id
}

resource "aws_organizations_policy_attachment" "infrastructure" {
  for_each = local.attached_to["infrastructure"]

  policy_id = aws_organizations_policy.authorization[each.key].id
  target_id = aws_organizations_organizational_unit.top["infrastructure"].id
}

resource "aws_organizations_policy_attachment" "workloads" {
  for_each = local.attached_to["workloads"]

  policy_id = aws_organizations_policy.authorization[each.key].id
  target_id = aws_organizations_organizational_unit.top["workloads"].id
}

resource "aws_organizations_policy_attachment" "sandbox" {
  for_each = local.attached_to["sandbox"]

  policy_id = aws_organizations_policy.authorization[each.key].id
  target_id = aws_organizations_organizational_unit.top["sandbox"].id
}

################################################################################
# Tag policy: cost-allocation tag keys, allowed values, enforced on the GenAI resource types
################################################################################

resource "aws_organizations_policy" "tags" {
  count = local.create_tagp ? 1 : 0

  name        = "cost-allocation-tags"
  description = "Standard spelling and values of the cost-allocation tags: ${join(", ", var.required_tags)}."
  type        = "TAG_POLICY"
  content     = jsonencode(local.tag_policy)

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_organizations_policy_attachment" "tags" {
  count = local.create_tagp ? 1 : 0

  policy_id = aws_organizations_policy.tags[0].id
  target_id = local.create_org ? aws_organizations_organization.this[0].roots[0].id : var.root_id
}

################################################################################
# AI services opt-out: no content of any AWS AI service is used to improve the service
################################################################################

resource "aws_organizations_policy" "ai_opt_out" {
  count = local.create_ai_optp ? 1 : 0

  name        = "ai-services-opt-out"
  description = "Opt every account out of content use for AWS AI service improvement; child policies cannot opt back in."
  type        = "AISERVICES_OPT_OUT_POLICY"
  content = jsonencode({
    services = {
      default = {
        opt_out_policy = {
          "@@operators_allowed_for_child_policies" = ["@@none"]
          "@@assign"                               = "optOut"
        }
      }
    }
  })

  tags = var.tags

  depends_on = [aws_organizations_organization.this]
}

resource "aws_organizations_policy_attachment" "ai_opt_out" {
  count = local.create_ai_optp ? 1 : 0

  policy_id = aws_organizations_policy.ai_opt_out[0].id
  target_id = local.create_org ? aws_organizations_organization.this[0].roots[0].id : var.root_id
}
