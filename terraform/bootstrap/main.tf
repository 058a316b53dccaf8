# The encrypted, versioned S3 bucket that holds the Terraform state of every other root,
# with Terraform's native S3 lock files (use_lockfile = true, no DynamoDB table).

locals {
  bucket_name = "${var.name}-tfstate-${var.account_id}-${var.region}"

  # One state key per single-account root and per workload env (envs/<name>.tfvars, which
  # account vending writes), plus any extra keys.
  state_keys = merge(
    {
      organization  = "organization/terraform.tfstate"
      "log-archive" = "log-archive/terraform.tfstate"
      audit         = "audit/terraform.tfstate"
    },
    { for f in fileset("${path.module}/../workload/envs", "*.tfvars") : trimsuffix(f, ".tfvars") => "workload/${trimsuffix(f, ".tfvars")}/terraform.tfstate" },
    var.state_keys,
  )
}

data "aws_partition" "current" {}

module "kms_key" {
  source = "../../modules/_shared/kms-key"

  description             = "Encrypts the Terraform state in ${local.bucket_name}"
  alias                   = "${var.name}-tfstate"
  account_id              = var.account_id
  partition               = data.aws_partition.current.partition
  administrator_sid       = "AccountAdministersKeyThroughIam"
  deletion_window_in_days = var.kms_deletion_window_in_days
}

module "state_bucket" {
  source = "../../modules/_shared/s3-bucket"

  bucket           = local.bucket_name
  bucket_name_hint = "shorten var.name."
  partition        = data.aws_partition.current.partition
  force_destroy    = var.force_destroy
  kms_key_arn      = module.kms_key.key_arn
  lifecycle_rule = {
    id                         = "expire-noncurrent-state-versions"
    noncurrent_expiration_days = var.noncurrent_version_expiration_days
  }
  access_log_bucket = var.access_log_bucket
  # The emulator evaluates Deny statements without their conditions, so on its plain-HTTP
  # endpoint this policy would deny every request: local_emulator leaves it out there only.
  create_bucket_policy = !var.local_emulator
  policy_statements = [
    {
      Sid       = "DenyUploadsNotEncryptedWithKms"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:PutObject"
      Resource  = "arn:${data.aws_partition.current.partition}:s3:::${local.bucket_name}/*"
      Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
    },
  ]
}
