# Runs with the pipeline's credentials and assumes the genai-lz-deployer role in the audit
# account. One provider per approved-region slot (Terraform cannot create providers from a
# list): approved_regions holds 1 to 3 regions (validated); unused slots point at the first
# region and their module calls create nothing.
provider "aws" {
  region = var.approved_regions[0]

  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-audit"
    }
  }

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "region_1"
  region = var.approved_regions[0]

  skip_credentials_validation = var.offline_plan
  skip_requesting_account_id  = var.offline_plan
  skip_metadata_api_check     = var.offline_plan

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-audit"
    }
  }

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

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-audit"
    }
  }

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

  dynamic "assume_role" {
    for_each = var.offline_plan || var.assume_role_name == null ? [] : [var.assume_role_name]
    content {
      role_arn     = "arn:${var.partition}:iam::${var.account_id}:role/${assume_role.value}"
      session_name = "genai-lz-audit"
    }
  }

  default_tags {
    tags = var.tags
  }
}
