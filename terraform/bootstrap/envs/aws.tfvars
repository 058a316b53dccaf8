# The management account that holds the state of every root (see README "Real accounts").
account_id = "111111111111"
region     = "us-east-1"

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}
