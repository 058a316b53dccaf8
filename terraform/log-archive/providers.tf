# Runs with the pipeline's credentials (management account) and assumes the genai-lz-deployer
# role the account baseline StackSet creates in the log-archive account. The S3 backend keeps
# the ambient credentials: the state lives in the management account's state bucket.
provider "aws" {
  region = var.region

  # offline_plan = true: plan with fake credentials and no network. Never used for apply.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-log-archive"
    }
  }

  default_tags {
    tags = var.tags
  }
}
