mock_provider "aws" {}

variables {
  bucket      = "genai-dev-logs-111122223333-us-east-1"
  kms_key_arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  lifecycle_rule = {
    id                         = "archive-then-expire"
    transition_days            = 90
    expiration_days            = 730
    noncurrent_expiration_days = 90
  }
  policy_statements = [{
    Sid       = "ServiceWrites"
    Effect    = "Allow"
    Principal = { Service = "bedrock.amazonaws.com" }
    Action    = "s3:PutObject"
    Resource  = "arn:aws:s3:::genai-dev-logs-111122223333-us-east-1/*"
  }]
  tags = { Environment = "dev" }
}

run "hardened_by_default" {
  command = plan

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this[0].block_public_acls && aws_s3_bucket_public_access_block.this[0].block_public_policy &&
      aws_s3_bucket_public_access_block.this[0].ignore_public_acls && aws_s3_bucket_public_access_block.this[0].restrict_public_buckets
    )
    error_message = "All four public access blocks are on."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this[0].rule[0].object_ownership == "BucketOwnerEnforced" && aws_s3_bucket_versioning.this[0].versioning_configuration[0].status == "Enabled"
    error_message = "ACLs disabled and versioning on."
  }

  assert {
    condition = (
      one(aws_s3_bucket_server_side_encryption_configuration.this[0].rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" &&
      one(aws_s3_bucket_server_side_encryption_configuration.this[0].rule).apply_server_side_encryption_by_default[0].kms_master_key_id == var.kms_key_arn &&
      one(aws_s3_bucket_server_side_encryption_configuration.this[0].rule).bucket_key_enabled
    )
    error_message = "SSE-KMS with the given key and a bucket key."
  }

  assert {
    condition = jsondecode(aws_s3_bucket_policy.this[0].policy).Statement[0] == {
      Sid       = "DenyInsecureTransport", Effect = "Deny", Principal = "*", Action = "s3:*",
      Resource  = ["arn:aws:s3:::genai-dev-logs-111122223333-us-east-1", "arn:aws:s3:::genai-dev-logs-111122223333-us-east-1/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    } && jsondecode(aws_s3_bucket_policy.this[0].policy).Statement[1].Sid == "ServiceWrites"
    error_message = "The bucket policy denies plain HTTP first, then the caller's statements."
  }

  assert {
    condition = (
      one(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).transition).days == 90 &&
      one(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).expiration).days == 730 &&
      length(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).noncurrent_version_transition) == 0 &&
      one(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).noncurrent_version_expiration).noncurrent_days == 90 &&
      one(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).abort_incomplete_multipart_upload).days_after_initiation == 7
    )
    error_message = "The lifecycle rule has exactly the actions given."
  }

  assert {
    condition     = length(aws_s3_bucket_logging.this) == 0 && aws_s3_bucket.this[0].force_destroy == false && aws_s3_bucket.this[0].tags["Environment"] == "dev"
    error_message = "No access logging unless a log bucket is given; no force_destroy; tags passed through."
  }

  assert {
    condition     = length(aws_s3_bucket_object_lock_configuration.this) == 0
    error_message = "No Object Lock unless object_lock is given."
  }
}

run "object_lock_transitions_and_logging_target" {
  command = plan

  variables {
    object_lock = { mode = "GOVERNANCE", days = 365 }
    lifecycle_rule = {
      id = "archive-then-expire"
      transitions = [
        { days = 90, storage_class = "GLACIER" },
        { days = 365, storage_class = "DEEP_ARCHIVE" },
      ]
      expiration_days            = 2555
      noncurrent_expiration_days = 2555
    }
    access_logging = { target_bucket = "central-access-logs", target_prefix = "logs/" }
  }

  assert {
    condition = (
      aws_s3_bucket.this[0].object_lock_enabled == true &&
      one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).mode == "GOVERNANCE" &&
      one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).days == 365
    )
    error_message = "Object Lock is enabled on the bucket with the given default retention."
  }

  assert {
    condition = (
      { for t in one(aws_s3_bucket_lifecycle_configuration.this[0].rule).transition : t.storage_class => t.days } == { GLACIER = 90, DEEP_ARCHIVE = 365 } &&
      length(one(aws_s3_bucket_lifecycle_configuration.this[0].rule).noncurrent_version_transition) == 0
    )
    error_message = "Every listed transition, each to its storage class, and no noncurrent transition."
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "central-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "logs/"
    error_message = "access_logging names the target bucket and prefix."
  }
}

run "rejects_an_unknown_object_lock_mode" {
  command = plan

  variables {
    object_lock = { mode = "LEGAL_HOLD", days = 30 }
  }

  expect_failures = [var.object_lock]
}

run "rejects_both_transition_forms" {
  command = plan

  variables {
    lifecycle_rule = {
      id              = "archive"
      transition_days = 90
      transitions     = [{ days = 365, storage_class = "DEEP_ARCHIVE" }]
    }
  }

  expect_failures = [var.lifecycle_rule]
}

run "rejects_a_storage_class_lifecycle_cannot_transition_to" {
  command = plan

  variables {
    lifecycle_rule = {
      id          = "archive"
      transitions = [{ days = 30, storage_class = "REDUCED_REDUNDANCY" }]
    }
  }

  expect_failures = [var.lifecycle_rule]
}

run "rejects_both_logging_forms" {
  command = plan

  variables {
    access_log_bucket = "central-access-logs"
    access_logging    = { target_bucket = "other-access-logs" }
  }

  expect_failures = [var.access_logging]
}

run "access_logging_and_no_policy" {
  command = plan

  variables {
    access_log_bucket    = "central-access-logs"
    create_bucket_policy = false
  }

  assert {
    condition     = aws_s3_bucket_logging.this[0].target_bucket == "central-access-logs" && aws_s3_bucket_logging.this[0].target_prefix == "s3-access/genai-dev-logs-111122223333-us-east-1/" && length(aws_s3_bucket_policy.this) == 0
    error_message = "Access logs go to s3-access/<bucket>/ of the log bucket; the policy can be left out."
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_s3_bucket.this) == 0 && length(aws_s3_bucket_policy.this) == 0 && output.bucket_id == null
    error_message = "create = false creates nothing."
  }
}

run "rejects_long_name" {
  command = plan

  variables {
    bucket = "a-bucket-name-that-is-much-longer-than-sixty-three-characters-allowed"
  }

  expect_failures = [aws_s3_bucket.this]
}
