# Runs in the management account with its own credentials (no assume_role).
provider "aws" {
  region = var.region

  # offline_plan = true: plan with fake credentials and no network. Never used for apply.
  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = var.tags
  }
}
