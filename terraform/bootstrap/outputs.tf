output "bucket_name" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = aws_s3_bucket.state.arn
}

output "kms_key_arn" {
  description = "ARN of the customer managed key that encrypts the state."
  value       = aws_kms_key.state.arn
}

output "kms_alias_arn" {
  description = "ARN of the key's alias (stable across key re-creation; used by the backends)."
  value       = aws_kms_alias.state.arn
}

output "backend_configs" {
  description = "Backend configuration (HCL) per state key, as written to terraform/backends/<target>/<name>.hcl."
  value = {
    for name, key in local.state_keys : name => join("\n", [
      "bucket       = \"${aws_s3_bucket.state.id}\"",
      "key          = \"${key}\"",
      "region       = \"${var.region}\"",
      "encrypt      = true",
      "kms_key_id   = \"${aws_kms_alias.state.arn}\"",
      "use_lockfile = true",
      "",
    ])
  }
}
