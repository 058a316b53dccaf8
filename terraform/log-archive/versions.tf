terraform {
  required_version = ">= 1.9"

  # Partial configuration: `make init ROOT=log-archive` passes terraform/backends/<target>/log-archive.hcl
  # (key log-archive/terraform.tfstate).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 6.0"
    }
  }
}
