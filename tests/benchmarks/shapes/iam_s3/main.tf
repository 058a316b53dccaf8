# Template of the benchmark's "many small IAM roles and S3 buckets" shape.
#
# tests/benchmarks/generate.py replicates the one instance key this plan is made with
# (var.names = ["n000000"]) into thousands of keys, by rewriting that token; the
# configuration stays as Terraform wrote it. Regenerate the committed template plan with
# tests/benchmarks/shapes/iam_s3/regenerate.sh (offline: fake credentials, provider mirror).

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50.0, < 6.0.0"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "account_id" {
  type    = string
  default = "333333333333"
}

variable "names" {
  description = "one bucket and one application role per name"
  type        = list(string)
  default     = ["n000000"]
}

variable "tags" {
  type = map(string)
  default = {
    project       = "genai-platform"
    environment   = "dev"
    owner         = "data-team@example.com"
    "cost-center" = "cc-2002"
  }
}

provider "aws" {
  region                      = var.region
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  default_tags {
    tags = var.tags
  }
}

locals {
  names = toset(var.names)
}

resource "aws_kms_key" "data" {
  description         = "bench data buckets"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "data" {
  for_each = local.names
  bucket   = "genai-bench-${each.key}-${var.account_id}"
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each                = local.names
  bucket                  = aws_s3_bucket.data[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  for_each = local.names
  bucket   = aws_s3_bucket.data[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  for_each = local.names
  bucket   = aws_s3_bucket.data[each.key].id
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = local.names
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::genai-bench-${each.key}-${var.account_id}", "arn:aws:s3:::genai-bench-${each.key}-${var.account_id}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  for_each = local.names
  bucket   = aws_s3_bucket.data[each.key].id
  policy   = data.aws_iam_policy_document.tls_only[each.key].json
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app" {
  for_each           = local.names
  name               = "genai-bench-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "app" {
  for_each = local.names
  statement {
    sid       = "ReadOwnBucket"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::genai-bench-${each.key}-${var.account_id}", "arn:aws:s3:::genai-bench-${each.key}-${var.account_id}/*"]
  }
  statement {
    sid       = "InvokeApprovedModel"
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
  }
}

resource "aws_iam_role_policy" "app" {
  for_each = local.names
  name     = "app"
  role     = aws_iam_role.app[each.key].id
  policy   = data.aws_iam_policy_document.app[each.key].json
}
