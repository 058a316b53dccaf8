# The local AWS emulator (moto): its default account, and a disposable bucket.
account_id    = "123456789012"
region        = "us-east-1"
force_destroy = true

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}
