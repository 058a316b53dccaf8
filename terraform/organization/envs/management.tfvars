# The management account of the organisation. Member accounts are the files under
# ../accounts/ (one JSON file each; `make new-account` writes them).
management_account_id = "111111111111"
region                = "us-east-1"

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}

create_organization = true

approved_regions                      = ["us-east-1", "us-west-2"]
bedrock_inference_profile_geographies = ["us"]
approved_model_ids = [
  "anthropic.claude-3-haiku-20240307-v1:0",
  "anthropic.claude-3-5-sonnet-20240620-v1:0",
  "amazon.titan-embed-text-v2:0",
]
required_tags             = ["project", "environment", "owner", "cost-center"]
tag_policy_allowed_values = { "cost-center" = ["cc-*"] }
tag_policy_enforced_for   = ["sagemaker:ALL_SUPPORTED"]

# Only this role escapes the protective SCPs (not OrganizationAccountAccessRole, not the deployer).
break_glass_role_arn_patterns = ["arn:aws:iam::*:role/genai-lz-break-glass"]

# The audit account (accounts/audit.json) administers GuardDuty, Security Hub, Config, Access Analyzer.
security_admin_account = "audit"

# The pipeline role that assumes genai-lz-deployer in every member account.
pipeline_role_arn = "arn:aws:iam::111111111111:role/genai-lz-pipeline"

# Outputs of terraform/log-archive (apply it after the first organization apply, then set these).
log_archive_bucket_name = "genai-log-archive-555555555555-us-east-1"
log_archive_kms_key_arn = "arn:aws:kms:us-east-1:555555555555:key/11111111-2222-3333-4444-555555555555"

# Identity Center groups (identity store group ids of your directory) per permission set.
identity_center_assignments = {
  platform-admins = { permission_set = "PlatformAdmin", principal_id = "90000000-0000-0000-0000-000000000001", accounts = ["dev", "prod", "log-archive", "audit"] }
  developers      = { permission_set = "GenAIDeveloper", principal_id = "90000000-0000-0000-0000-000000000002", accounts = ["dev", "prod"] }
  data-scientists = { permission_set = "DataScientist", principal_id = "90000000-0000-0000-0000-000000000003", accounts = ["dev"] }
  auditors        = { permission_set = "Auditor", principal_id = "90000000-0000-0000-0000-000000000004", accounts = ["dev", "prod", "log-archive", "audit"] }
  finops          = { permission_set = "BillingViewer", principal_id = "90000000-0000-0000-0000-000000000005", accounts = ["dev", "prod"] }
}

monthly_budget_usd         = 40000
budget_thresholds          = [50, 80, 100]
budget_notification_emails = ["finops@example.com"]
anomaly_threshold_usd      = 1000
