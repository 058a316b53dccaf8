mock_provider "aws" {}

variables {
  description = "test key"
  alias       = "genai-dev-test"
  account_id  = "111122223333"
  policy_statements = [{
    Sid       = "LogsUse"
    Effect    = "Allow"
    Principal = { Service = "logs.us-east-1.amazonaws.com" }
    Action    = ["kms:Decrypt"]
    Resource  = "*"
  }]
  tags = { Environment = "dev" }
}

run "rotated_key_with_root_statement_first" {
  command = plan

  assert {
    condition     = aws_kms_key.this[0].enable_key_rotation && aws_kms_key.this[0].deletion_window_in_days == 30
    error_message = "The key rotates and keeps the 30-day deletion window by default."
  }

  assert {
    condition = jsondecode(aws_kms_key.this[0].policy).Statement[0] == {
      Sid = "AccountRootAdministers", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*"
    }
    error_message = "The account root administers the key (first statement)."
  }

  assert {
    condition     = jsondecode(aws_kms_key.this[0].policy).Statement[1].Sid == "LogsUse" && length(jsondecode(aws_kms_key.this[0].policy).Statement) == 2
    error_message = "The caller's statements follow the root statement."
  }

  assert {
    condition     = aws_kms_alias.this[0].name == "alias/genai-dev-test" && aws_kms_key.this[0].tags["Environment"] == "dev"
    error_message = "Alias alias/<alias>; tags passed through."
  }
}

run "administrator_sid_and_window" {
  command = plan

  variables {
    administrator_sid       = "AccountAdministration"
    deletion_window_in_days = 7
    partition               = "aws-us-gov"
  }

  assert {
    condition     = jsondecode(aws_kms_key.this[0].policy).Statement[0].Sid == "AccountAdministration" && jsondecode(aws_kms_key.this[0].policy).Statement[0].Principal.AWS == "arn:aws-us-gov:iam::111122223333:root" && aws_kms_key.this[0].deletion_window_in_days == 7
    error_message = "Sid, partition and deletion window come from the inputs."
  }
}

run "create_false_creates_nothing" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_kms_key.this) == 0 && length(aws_kms_alias.this) == 0 && output.key_arn == null
    error_message = "create = false creates nothing."
  }
}

run "rejects_short_window" {
  command = plan

  variables {
    deletion_window_in_days = 6
  }

  expect_failures = [var.deletion_window_in_days]
}

run "rejects_alias_prefix" {
  command = plan

  variables {
    alias = "alias/genai"
  }

  expect_failures = [var.alias]
}

run "cloudtrail_statements_for_the_named_trail" {
  command = plan

  variables {
    cloudtrail_trail_arn = "arn:aws:cloudtrail:us-east-1:444455556666:trail/genai-lz-org-trail"
  }

  assert {
    condition     = [for s in jsondecode(aws_kms_key.this[0].policy).Statement : s.Sid] == ["AccountRootAdministers", "CloudTrailEncryptLogs", "CloudTrailDescribeKey", "LogsUse"]
    error_message = "The CloudTrail statements follow the root statement, before the caller's."
  }

  assert {
    condition     = jsondecode(aws_kms_key.this[0].policy).Statement[1].Condition.StringEquals["aws:SourceArn"] == "arn:aws:cloudtrail:us-east-1:444455556666:trail/genai-lz-org-trail" && jsondecode(aws_kms_key.this[0].policy).Statement[1].Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"] == "arn:aws:cloudtrail:*:444455556666:trail/*"
    error_message = "Data keys only for this trail, encryption context of a trail in the trail's (management) account, not the key's."
  }
}

run "cloudtrail_trail_arn_is_validated" {
  command = plan

  variables {
    cloudtrail_trail_arn = "arn:aws:cloudtrail:us-east-1:4444:trail/x"
  }

  expect_failures = [var.cloudtrail_trail_arn]
}
