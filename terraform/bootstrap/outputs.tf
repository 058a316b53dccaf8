output "bucket_name" {
  description = "Name of the state bucket."
  value       = module.state_bucket.bucket_id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.state_bucket.bucket_arn
}

output "kms_key_arn" {
  description = "ARN of the customer managed key that encrypts the state."
  value       = module.kms_key.key_arn
}

output "kms_alias_arn" {
  description = "ARN of the key's alias (stable across key re-creation; used by the backends)."
  value       = module.kms_key.alias_arn
}

output "backend_configs" {
  description = "Backend configuration (HCL) per state key, as written to terraform/backends/<target>/<name>.hcl."
  value = {
    for name, key in local.state_keys : name => join("\n", [
      "bucket       = \"${module.state_bucket.bucket_id}\"",
      "key          = \"${key}\"",
      "region       = \"${var.region}\"",
      "encrypt      = true",
      "kms_key_id   = \"${module.kms_key.alias_arn}\"",
      "use_lockfile = true",
      "",
    ])
  }
}
