mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  # Valid ARNs for the apply run (the provider validates ARN arguments).
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/vpc-flow-logs/genai-dev" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/genai-dev-flowlogs" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
}

variables {
  name       = "genai-dev"
  account_id = "111122223333"
  bedrock_model_arns = [
    "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
  ]
  tags = { Environment = "dev" }
}

run "secure_defaults" {
  command = plan

  assert {
    condition     = length(aws_subnet.private) == 3 && length(aws_subnet.public) == 0
    error_message = "Default must be 3 private subnets (one per AZ) and no public subnet."
  }

  assert {
    condition     = length(aws_internet_gateway.this) == 0 && length(aws_nat_gateway.this) == 0
    error_message = "No internet gateway or NAT gateway by default."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch == false])
    error_message = "Private subnets must not assign public IPs."
  }

  assert {
    condition     = length(distinct([for s in aws_subnet.private : s.cidr_block])) == 3
    error_message = "Private subnet CIDRs must not overlap."
  }

  assert {
    condition     = aws_flow_log.this[0].traffic_type == "ALL"
    error_message = "Flow logs must capture ALL traffic."
  }

  assert {
    condition     = aws_cloudwatch_log_group.flow_log[0].retention_in_days == 365
    error_message = "Flow log retention must default to 365 days."
  }

  assert {
    condition     = module.kms_key.key != null && module.kms_key.key.enable_key_rotation
    error_message = "The module must create a flow-log CMK with rotation when none is given."
  }

  assert {
    condition = toset(data.aws_iam_policy_document.flow_log[0].statement[0].resources) == toset([
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/vpc-flow-logs/genai-dev",
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/vpc-flow-logs/genai-dev:log-stream:*",
    ])
    error_message = "The flow-log role may write to its own log group only, named by an ARN known at plan time."
  }

  assert {
    condition     = length(aws_default_security_group.this[0].ingress) == 0 && length(aws_default_security_group.this[0].egress) == 0
    error_message = "The VPC's default security group must have no rules."
  }

  assert {
    condition = toset(keys(aws_vpc_endpoint.interface)) == toset([
      "bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime", "sagemaker.api",
      "sagemaker.runtime", "sts", "logs", "kms", "ecr.api", "ecr.dkr", "ec2", "eks", "eks-auth", "autoscaling",
    ])
    error_message = "The 15 default interface endpoints must be planned (EKS nodes need ec2, eks, eks-auth, sts, ecr.api, ecr.dkr, logs; the cluster autoscaler autoscaling)."
  }

  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : e.private_dns_enabled && e.vpc_endpoint_type == "Interface"])
    error_message = "Interface endpoints must have private DNS enabled."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["bedrock-runtime"].service_name == "com.amazonaws.us-east-1.bedrock-runtime"
    error_message = "Short service names must expand to com.amazonaws.<region>.<service>."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.endpoints_https[0].cidr_ipv4 == "10.0.0.0/16" && aws_vpc_security_group_ingress_rule.endpoints_https[0].from_port == 443 && aws_vpc_security_group_ingress_rule.endpoints_https[0].to_port == 443
    error_message = "Endpoint security group must only allow TCP 443 from the VPC CIDR."
  }

  assert {
    condition = (
      toset(jsondecode(aws_vpc_endpoint.interface["bedrock-runtime"].policy).Statement[0].Resource) == toset(var.bedrock_model_arns) &&
      toset(jsondecode(aws_vpc_endpoint.interface["bedrock-runtime"].policy).Statement[0].Action) == toset(["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]) &&
      length(jsondecode(aws_vpc_endpoint.interface["bedrock-runtime"].policy).Statement) == 1 &&
      toset(jsondecode(aws_vpc_endpoint.interface["bedrock-agent-runtime"].policy).Statement[0].Resource) == toset(var.bedrock_model_arns)
    )
    error_message = "Bedrock runtime endpoint policies must allow InvokeModel* on the approved model ARNs only."
  }

  assert {
    condition = alltrue([
      for k in ["bedrock", "sagemaker.api", "logs", "kms", "ecr.api", "ecr.dkr", "sts", "ec2", "eks", "eks-auth"] :
      jsondecode(aws_vpc_endpoint.interface[k].policy).Statement[0].Condition.StringEquals["aws:PrincipalAccount"] == "111122223333"
    ])
    error_message = "Other endpoints must restrict principals to this account."
  }

  assert {
    condition     = length(jsondecode(aws_vpc_endpoint.interface["sts"].policy).Statement) == 2 && length(jsondecode(aws_vpc_endpoint.interface["logs"].policy).Statement) == 1
    error_message = "Only the STS endpoint gets the extra federation statement."
  }

  assert {
    condition     = aws_vpc_endpoint.s3[0].vpc_endpoint_type == "Gateway" && jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[0].Condition.StringEquals["aws:PrincipalAccount"] == "111122223333"
    error_message = "The S3 gateway endpoint must restrict principals to this account by default."
  }

  assert {
    condition     = aws_vpc.this[0].tags["Environment"] == "dev" && module.kms_key.key.tags["Environment"] == "dev"
    error_message = "Tags must be passed to resources."
  }
}

run "private_eks_cluster_needs" {
  command = plan

  assert {
    condition = alltrue([for k in ["ec2", "eks", "eks-auth", "sts", "ecr.api", "ecr.dkr", "logs"] :
      aws_vpc_endpoint.interface[k].service_name == "com.amazonaws.us-east-1.${k}" && aws_vpc_endpoint.interface[k].private_dns_enabled
    ])
    error_message = "Every interface endpoint a private EKS node needs (ec2, eks, eks-auth, sts, ecr.api, ecr.dkr, logs) must exist with private DNS."
  }

  assert {
    condition = anytrue([for st in jsondecode(aws_vpc_endpoint.s3[0].policy).Statement :
      st.Effect == "Allow" && contains(flatten([st.Action]), "s3:GetObject") &&
      contains(flatten([st.Resource]), "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*") &&
      !can(st.Condition)
    ])
    error_message = "The S3 gateway endpoint policy must let ECR's presigned layer downloads (prod-<region>-starport-layer-bucket) through, without the account condition."
  }

  assert {
    condition     = jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[0].Condition.StringEquals["aws:PrincipalAccount"] == "111122223333" && length(jsondecode(aws_vpc_endpoint.s3[0].policy).Statement) == 2
    error_message = "Everything else through the S3 gateway endpoint stays limited to this account's principals."
  }

  assert {
    condition     = toset([for s in aws_subnet.private : s.availability_zone]) == toset(var.azs)
    error_message = "Without az_ids, subnets are placed by AZ name."
  }
}

run "az_ids_place_subnets_by_zone_id" {
  command = plan

  variables {
    az_ids = ["use1-az4", "use1-az6"]
  }

  assert {
    condition     = toset([for s in aws_subnet.private : s.availability_zone_id]) == toset(["use1-az4", "use1-az6"])
    error_message = "With az_ids, every private subnet must be placed by availability_zone_id (same physical zone in every account), not by name."
  }

  assert {
    condition     = join(",", output.azs) == "use1-az4,use1-az6" && length(aws_route_table.private) == 2
    error_message = "az_ids replace azs: one subnet and route table per AZ ID."
  }
}

run "ecr_layer_carve_out_toggle_and_extra_buckets" {
  command = plan

  variables {
    s3_gateway_allow_ecr_layer_bucket = false
    s3_gateway_aws_owned_object_arns  = ["arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*"]
    interface_endpoints = {
      "eks-auth" = { service = "eks-auth", attach_policy = false }
      "ec2"      = { service = "ec2" }
    }
  }

  assert {
    condition     = jsondecode(aws_vpc_endpoint.s3[0].policy).Statement[1].Resource == ["arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*"]
    error_message = "With the ECR carve-out off, only the listed AWS-owned objects may be read."
  }

  assert {
    condition     = jsondecode(aws_vpc_endpoint.interface["ec2"].policy).Statement[0].Condition.StringEquals["aws:PrincipalAccount"] == "111122223333"
    error_message = "Endpoints keep the generated account-perimeter policy unless attach_policy = false."
  }
}

run "rejects_bad_az_id" {
  command = plan
  variables {
    az_ids = ["us-east-1a", "us-east-1b"]
  }
  expect_failures = [var.az_ids]
}

run "rejects_bad_aws_owned_arn" {
  command = plan
  variables {
    s3_gateway_aws_owned_object_arns = ["prod-us-east-1-starport-layer-bucket"]
  }
  expect_failures = [var.s3_gateway_aws_owned_object_arns]
}

run "wiring_after_apply" {
  command = apply

  assert {
    condition     = length(aws_vpc_endpoint.s3[0].route_table_ids) == 3 && toset(aws_vpc_endpoint.s3[0].route_table_ids) == toset(output.private_route_table_ids)
    error_message = "The S3 gateway endpoint must be attached to every private route table."
  }

  assert {
    condition     = alltrue([for e in aws_vpc_endpoint.interface : toset(e.subnet_ids) == toset(output.private_subnet_ids) && toset(e.security_group_ids) == toset([output.endpoint_security_group_id])])
    error_message = "Interface endpoints must sit in every private subnet behind the endpoint security group."
  }

  assert {
    condition     = length(output.interface_endpoint_ids) == 15 && output.flow_log_kms_key_arn == module.kms_key.key.arn
    error_message = "Outputs must expose every endpoint and the created flow-log key."
  }
}

run "custom_endpoints_and_given_key" {
  command = plan

  variables {
    azs                  = ["eu-west-1a", "eu-west-1b"]
    flow_log_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    interface_endpoints = {
      "bedrock-runtime"  = { service = "bedrock-runtime" }
      "sagemaker-studio" = { service_name = "aws.sagemaker.us-east-1.studio" }
      "custom" = {
        service             = "ssm"
        private_dns_enabled = false
        policy              = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
      }
    }
  }

  assert {
    condition     = module.kms_key.key == null && aws_cloudwatch_log_group.flow_log[0].kms_key_id == var.flow_log_kms_key_arn
    error_message = "A given flow log key must be used and no key created."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["sagemaker-studio"].service_name == "aws.sagemaker.us-east-1.studio"
    error_message = "A full service_name must be used as is."
  }

  assert {
    condition     = aws_vpc_endpoint.interface["custom"].policy == "{\"Version\":\"2012-10-17\",\"Statement\":[]}" && aws_vpc_endpoint.interface["custom"].private_dns_enabled == false
    error_message = "An entry's own policy and private_dns_enabled must win."
  }

  assert {
    condition     = length(aws_subnet.private) == 2
    error_message = "One private subnet per AZ."
  }
}

run "public_subnets_and_nat" {
  command = plan

  variables {
    create_public_subnets = true
    enable_nat_gateway    = true
  }

  assert {
    condition     = length(aws_subnet.public) == 3 && length(aws_nat_gateway.this) == 3 && length(aws_route.private_nat) == 3
    error_message = "Public subnets and one NAT gateway per AZ must be created when enabled."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not auto-assign public IPs."
  }

  assert {
    condition     = length(setintersection([for s in aws_subnet.public : s.cidr_block], [for s in aws_subnet.private : s.cidr_block])) == 0
    error_message = "Public and private subnet CIDRs must differ."
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_vpc_endpoint.interface) == 0 && module.kms_key.key == null
    error_message = "create = false must plan no resources."
  }
}

run "rejects_single_az" {
  command = plan
  variables {
    azs = ["us-east-1a"]
  }
  expect_failures = [var.azs]
}

run "rejects_bad_cidr" {
  command = plan
  variables {
    cidr = "10.0.0.0/8"
  }
  expect_failures = [var.cidr]
}

run "rejects_bad_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "rejects_nat_without_public_subnets" {
  command = plan
  variables {
    enable_nat_gateway = true
  }
  expect_failures = [var.enable_nat_gateway]
}

run "rejects_endpoint_with_both_names" {
  command = plan
  variables {
    interface_endpoints = {
      bad = { service = "sts", service_name = "com.amazonaws.us-east-1.sts" }
    }
  }
  expect_failures = [var.interface_endpoints]
}

run "rejects_empty_model_arns_with_runtime_endpoint" {
  command = plan
  variables {
    bedrock_model_arns = []
  }
  expect_failures = [var.bedrock_model_arns]
}

run "rejects_bad_retention" {
  command = plan
  variables {
    flow_log_retention_in_days = 100
  }
  expect_failures = [var.flow_log_retention_in_days]
}
