# The log-archive account (accounts/log-archive.json in terraform/organization).
account_id            = "555555555555"
region                = "us-east-1"
management_account_id = "111111111111"
# Output organization_id of terraform/organization.
organization_id = "o-abcd123456"

object_lock_retention_days   = 365
glacier_transition_days      = 90
deep_archive_transition_days = 365
expiration_days              = 2555

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}
