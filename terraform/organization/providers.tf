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

# One provider per approved-region slot (Terraform cannot create providers from a list):
# approved_regions holds 1 to 3 regions (validated); unused slots point at the first region
# and their module calls create nothing.
provider "aws" {
  alias  = "region_1"
  region = var.approved_regions[0]

  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "region_2"
  region = try(var.approved_regions[1], var.approved_regions[0])

  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "region_3"
  region = try(var.approved_regions[2], var.approved_regions[0])

  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  default_tags {
    tags = var.tags
  }
}
