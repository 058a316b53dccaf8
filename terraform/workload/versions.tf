terraform {
  required_version = ">= 1.9"

  # Partial configuration: `make init` passes terraform/backends/<target>/<env>.hcl
  # (bucket, key workload/<env>/terraform.tfstate, region, encrypt, use_lockfile).
  backend "s3" {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 6.0"
    }
  }
}
