data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  create    = var.create
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  # Subnets are placed by AZ ID (use1-az4: the same physical zone in every account) when az_ids
  # is given, else by AZ name (us-east-1a: mapped to a different zone in each account).
  # `zones` is the list actually used; subnets, route tables and NAT gateways are keyed by it.
  use_az_ids = length(var.az_ids) > 0
  zones      = local.use_az_ids ? var.az_ids : var.azs

  # One /(prefix+4) block per AZ: private subnets take blocks 0..7, public subnets 8..15.
  az_index        = { for i, az in local.zones : az => i }
  private_subnets = local.create ? { for az, i in local.az_index : az => cidrsubnet(var.cidr, 4, i) } : {}
  public_subnets  = local.create && var.create_public_subnets ? { for az, i in local.az_index : az => cidrsubnet(var.cidr, 4, i + 8) } : {}
  nat_azs         = local.create && var.enable_nat_gateway ? local.public_subnets : {}

  # KMS key ARNs are written out where they are used (var or module.kms_key output reference), not
  # passed through a local: plan JSON records no local values, so a policy engine could not
  # tell which key an attribute known only after apply refers to.
  create_flow_log_key = local.create && var.flow_log_kms_key_arn == null
  flow_log_group_name = "/aws/vpc-flow-logs/${var.name}"
  # Built from plan-time values (same value as aws_cloudwatch_log_group.flow_log[0].arn) so the
  # key policy and the role policy are known at plan time.
  flow_log_group_arn = "arn:${local.partition}:logs:${local.region}:${var.account_id}:log-group:${local.flow_log_group_name}"

  interface_endpoints = local.create ? {
    for k, v in var.interface_endpoints : k => merge(v, {
      resolved_service_name = v.service_name != null ? v.service_name : "com.amazonaws.${local.region}.${v.service}"
    })
  } : {}

  # The Bedrock data-plane endpoints only let this account's principals invoke the approved models.
  bedrock_runtime_endpoint_keys = toset([
    for k, v in local.interface_endpoints : k if can(regex("\\.bedrock(-agent)?-runtime$", v.resolved_service_name))
  ])

  # Default endpoint policy: a data perimeter that only lets principals of this account use the
  # endpoint (IAM policies still decide what each principal may do).
  account_perimeter_statement = {
    Sid       = "OnlyPrincipalsOfThisAccount"
    Effect    = "Allow"
    Principal = { AWS = "*" }
    Action    = "*"
    Resource  = "*"
    Condition = { StringEquals = { "aws:PrincipalAccount" = var.account_id } }
  }
  account_perimeter_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.account_perimeter_statement]
  })

  # AssumeRoleWithWebIdentity / WithSAML are unauthenticated calls (no aws:PrincipalAccount):
  # through the STS endpoint they may only target roles of this account.
  sts_perimeter_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.account_perimeter_statement,
      {
        Sid       = "FederationIntoThisAccountRolesOnly"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]
        Resource  = "arn:${local.partition}:iam::${var.account_id}:role/*"
      },
    ]
  })

  # Bedrock data plane: this account's principals may invoke the approved models only.
  # Converse and ConverseStream are authorized by InvokeModel and InvokeModelWithResponseStream.
  bedrock_runtime_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "InvokeApprovedModelsOnly"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
      Resource  = var.bedrock_model_arns
      Condition = { StringEquals = { "aws:PrincipalAccount" = var.account_id } }
    }]
  })

  endpoint_policies = {
    for k, v in local.interface_endpoints : k => (
      v.policy != null ? v.policy :
      lookup(var.endpoint_policies, k, null) != null ? var.endpoint_policies[k] :
      contains(local.bedrock_runtime_endpoint_keys, k) ? local.bedrock_runtime_policy :
      endswith(v.resolved_service_name, ".sts") ? local.sts_perimeter_policy :
      local.account_perimeter_policy
    ) if v.attach_policy
  }

  # S3 gateway endpoint: this account's principals, plus read access to the AWS-owned buckets
  # that serve presigned downloads signed by an AWS service account (aws:PrincipalAccount is not
  # this account there). ECR serves image layers from prod-<region>-starport-layer-bucket through
  # presigned URLs, so without this statement no node can pull an image from ECR
  # (aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/s3_endpoint_policy.json).
  s3_aws_owned_object_arns = concat(
    var.s3_gateway_allow_ecr_layer_bucket ? ["arn:${local.partition}:s3:::prod-${local.region}-starport-layer-bucket/*"] : [],
    var.s3_gateway_aws_owned_object_arns,
  )
  s3_gateway_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [local.account_perimeter_statement],
      length(local.s3_aws_owned_object_arns) > 0 ? [{
        Sid       = "AllowRequestsToAWSOwnedResources"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["s3:GetObject"]
        Resource  = local.s3_aws_owned_object_arns
      }] : [],
    )
  })
}

################################################################################
# VPC, subnets, routing
################################################################################

resource "aws_vpc" "this" {
  count = local.create ? 1 : 0

  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

# Lock down the VPC's default security group: no ingress, no egress (removes AWS' default rules).
resource "aws_default_security_group" "this" {
  count = local.create ? 1 : 0

  vpc_id  = aws_vpc.this[0].id
  ingress = []
  egress  = []

  tags = merge(var.tags, { Name = "${var.name}-default-deny" })
}

resource "aws_subnet" "private" {
  for_each = local.private_subnets

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.use_az_ids ? null : each.key
  availability_zone_id    = local.use_az_ids ? each.key : null
  cidr_block              = each.value
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}", Tier = "private" })
}

resource "aws_route_table" "private" {
  for_each = local.private_subnets

  vpc_id = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route_table_association" "private" {
  for_each = local.private_subnets

  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}

resource "aws_subnet" "public" {
  for_each = local.public_subnets

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.use_az_ids ? null : each.key
  availability_zone_id    = local.use_az_ids ? each.key : null
  cidr_block              = each.value
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-public-${each.key}", Tier = "public" })
}

resource "aws_internet_gateway" "this" {
  count = local.create && var.create_public_subnets ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_route_table" "public" {
  count = local.create && var.create_public_subnets ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = local.create && var.create_public_subnets ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  for_each = local.public_subnets

  subnet_id      = aws_subnet.public[each.key].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  for_each = local.nat_azs

  domain = "vpc"

  tags = merge(var.tags, { Name = "${var.name}-nat-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each = local.nat_azs

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_route" "private_nat" {
  for_each = local.nat_azs

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[each.key].id
}

################################################################################
# VPC flow logs -> KMS-encrypted CloudWatch log group
################################################################################

module "kms_key" {
  source = "../_shared/kms-key"

  create                  = local.create_flow_log_key
  description             = "${var.name} VPC flow logs"
  alias                   = "${var.name}-vpc-flow-logs"
  account_id              = var.account_id
  partition               = local.partition
  deletion_window_in_days = 30
  policy_statements = [
    {
      Sid       = "CloudWatchLogsUsesKeyForFlowLogGroup"
      Effect    = "Allow"
      Principal = { Service = "logs.${local.region}.amazonaws.com" }
      # In the order the earlier aws_iam_policy_document rendered them: the key policy stays byte-identical.
      Action    = ["kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Encrypt", "kms:DescribeKey", "kms:Decrypt"]
      Resource  = "*"
      Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.flow_log_group_arn } }
    },
  ]

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "flow_log" {
  count = local.create ? 1 : 0

  name              = local.flow_log_group_name
  retention_in_days = var.flow_log_retention_in_days
  kms_key_id        = var.flow_log_kms_key_arn != null ? var.flow_log_kms_key_arn : module.kms_key.key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "flow_log_assume" {
  count = local.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ec2:${local.region}:${var.account_id}:vpc-flow-log/*"]
    }
  }
}

data "aws_iam_policy_document" "flow_log" {
  count = local.create ? 1 : 0

  statement {
    sid = "WriteFlowLogGroupOnly"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      local.flow_log_group_arn,
      "${local.flow_log_group_arn}:log-stream:*",
    ]
  }
}

resource "aws_iam_role" "flow_log" {
  count = local.create ? 1 : 0

  name_prefix        = "${substr(var.name, 0, 24)}-flowlogs-"
  assume_role_policy = data.aws_iam_policy_document.flow_log_assume[0].json

  tags = var.tags
}

resource "aws_iam_role_policy" "flow_log" {
  count = local.create ? 1 : 0

  name   = "write-flow-log-group"
  role   = aws_iam_role.flow_log[0].id
  policy = data.aws_iam_policy_document.flow_log[0].json
}

resource "aws_flow_log" "this" {
  count = local.create ? 1 : 0

  vpc_id                   = aws_vpc.this[0].id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_log[0].arn
  iam_role_arn             = aws_iam_role.flow_log[0].arn
  max_aggregation_interval = var.flow_log_max_aggregation_interval

  tags = merge(var.tags, { Name = var.name })
}

################################################################################
# VPC endpoints
################################################################################

resource "aws_security_group" "endpoints" {
  count = local.create ? 1 : 0

  name_prefix = "${var.name}-vpce-"
  description = "Interface VPC endpoints of ${var.name}: HTTPS from inside the VPC only"
  vpc_id      = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = "${var.name}-vpce" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  count = local.create ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS from the VPC CIDR"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr

  tags = var.tags
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.interface_endpoints

  vpc_id              = aws_vpc.this[0].id
  service_name        = each.value.resolved_service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = each.value.private_dns_enabled
  subnet_ids          = [for s in aws_subnet.private : s.id]
  security_group_ids  = [aws_security_group.endpoints[0].id]
  policy              = lookup(local.endpoint_policies, each.key, null)

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_endpoint" "s3" {
  count = local.create ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.private : rt.id]
  policy            = var.s3_gateway_endpoint_policy != null ? var.s3_gateway_endpoint_policy : local.s3_gateway_policy

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}
