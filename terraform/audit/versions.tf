terraform {
  required_version = ">= 1.9"

  # Partial configuration: `make init ROOT=audit` passes terraform/backends/<target>/audit.hcl
  # (key audit/terraform.tfstate).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 6.0"
    }
  }
}
