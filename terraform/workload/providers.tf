# The workload root runs with the management (or pipeline) account's credentials and
# assumes a role into the environment's member account. The S3 backend keeps using the
# ambient credentials, so all state lives in the management account's state bucket.
provider "aws" {
  region = var.region

  # offline_plan = true: plan with fake credentials and no network (no STS call, no
  # instance metadata, no assume_role). Never used for apply.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-${var.environment}"
    }
  }

  default_tags {
    tags = var.tags
  }
}
