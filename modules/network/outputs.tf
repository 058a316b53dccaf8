output "vpc_id" {
  description = "ID of the VPC."
  value       = try(aws_vpc.this[0].id, null)
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = try(aws_vpc.this[0].cidr_block, null)
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in the order of var.az_ids (or var.azs)."
  value       = [for az in local.zones : aws_subnet.private[az].id if contains(keys(aws_subnet.private), az)]
}

output "private_subnet_ids_by_zone" {
  description = "Map of zone (AZ ID when az_ids is set, else AZ name) to private subnet ID."
  value       = { for az, s in aws_subnet.private : az => s.id }
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, in the order of var.azs (empty unless create_public_subnets)."
  value       = [for az in local.zones : aws_subnet.public[az].id if contains(keys(aws_subnet.public), az)]
}

output "private_route_table_ids" {
  description = "IDs of the private route tables (one per AZ), in the order of var.azs."
  value       = [for az in local.zones : aws_route_table.private[az].id if contains(keys(aws_route_table.private), az)]
}

output "azs" {
  description = "Availability zones the subnets are spread over: AZ IDs when az_ids is set, else AZ names."
  value       = local.zones
}

output "endpoint_security_group_id" {
  description = "ID of the security group attached to the interface endpoints (TCP 443 from the VPC CIDR only)."
  value       = try(aws_security_group.endpoints[0].id, null)
}

output "interface_endpoint_ids" {
  description = "Map of interface endpoint key to VPC endpoint ID."
  value       = { for k, v in aws_vpc_endpoint.interface : k => v.id }
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint."
  value       = try(aws_vpc_endpoint.s3[0].id, null)
}

output "s3_prefix_list_id" {
  description = "ID of the AWS-managed S3 prefix list (for security-group egress rules to the S3 gateway endpoint)."
  value       = try(aws_vpc_endpoint.s3[0].prefix_list_id, null)
}

output "flow_log_group_name" {
  description = "Name of the CloudWatch log group receiving the VPC flow logs."
  value       = try(aws_cloudwatch_log_group.flow_log[0].name, null)
}

output "flow_log_kms_key_arn" {
  description = "ARN of the KMS key encrypting the flow log group (created or given)."
  value       = local.create ? (var.flow_log_kms_key_arn != null ? var.flow_log_kms_key_arn : module.kms_key.key_arn) : null
}
