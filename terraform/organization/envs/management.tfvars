# The management account of the organisation.
management_account_id = "111111111111"
region                = "us-east-1"

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}

create_organization = true

accounts = {
  dev = {
    email = "aws+genai-dev@example.com"
    ou    = "dev"
    tags  = { environment = "dev" }
  }
  prod = {
    email = "aws+genai-prod@example.com"
    ou    = "prod"
    tags  = { environment = "prod" }
  }
}

approved_regions = ["us-east-1", "us-west-2"]
approved_model_ids = [
  "anthropic.claude-3-haiku-20240307-v1:0",
  "amazon.titan-embed-text-v2:0",
]
required_tags = ["project", "environment", "owner", "cost-center"]

monthly_budget_usd         = 40000
budget_thresholds          = [50, 80, 100]
budget_notification_emails = ["finops@example.com"]
anomaly_threshold_usd      = 1000
