terraform {
  required_version = ">= 1.9"

  # Partial configuration: `make init ROOT=organization` passes
  # terraform/backends/<target>/organization.hcl (key organization/terraform.tfstate).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 6.0"
    }
  }
}
