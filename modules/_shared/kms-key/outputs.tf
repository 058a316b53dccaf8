output "key_arn" {
  description = "ARN of the key (null when create = false)."
  value       = one(aws_kms_key.this[*].arn)
}

output "key_id" {
  description = "Id of the key (null when create = false)."
  value       = one(aws_kms_key.this[*].key_id)
}

output "alias_name" {
  description = "Alias of the key, alias/<alias> (null when create = false)."
  value       = one(aws_kms_alias.this[*].name)
}

output "policy" {
  description = "The key policy JSON the key is created with."
  value       = local.policy
}

output "key" {
  description = "The aws_kms_key object (null when create = false), for assertions of the calling module's tests."
  value       = one(aws_kms_key.this[*])
}

output "alias" {
  description = "The aws_kms_alias object (null when create = false)."
  value       = one(aws_kms_alias.this[*])
}

output "alias_arn" {
  description = "ARN of the alias (null when create = false)."
  value       = one(aws_kms_alias.this[*].arn)
}
