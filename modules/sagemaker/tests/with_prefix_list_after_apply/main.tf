# Test helper: the module wired as the workload wires it, with the S3 prefix list id of a gateway
# endpoint created in the same plan (known only after apply). With a count that depends on the id
# this configuration fails to plan ("Invalid count argument").
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
}

module "sagemaker" {
  source = "../.."

  name                  = "genai-dev"
  account_id            = "111122223333"
  vpc_id                = "vpc-0123456789abcdef0"
  vpc_cidr_block        = "10.0.0.0/16"
  subnet_ids            = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  create_domain         = false
  create_s3_egress_rule = true
  s3_prefix_list_id     = aws_vpc_endpoint.s3.prefix_list_id
}

output "s3_egress_rule_planned" {
  value = module.sagemaker.s3_egress_rule_planned
}
