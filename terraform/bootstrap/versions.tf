terraform {
  required_version = ">= 1.9"

  # The only root with local state: it creates the bucket every other root keeps its state
  # in. `make bootstrap` passes -backend-config=path=build/bootstrap/<target>/terraform.tfstate.
  # To move this state into the bucket afterwards see README.md (terraform init -migrate-state).
  backend "local" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 6.0"
    }
  }
}

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
