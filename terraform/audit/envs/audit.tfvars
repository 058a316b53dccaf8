# The audit (security tooling) account (accounts/audit.json in terraform/organization): the
# delegated administrator of GuardDuty, Security Hub, AWS Config and IAM Access Analyzer.
account_id       = "444444444444"
region           = "us-east-1"
approved_regions = ["us-east-1", "us-west-2"]

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}
