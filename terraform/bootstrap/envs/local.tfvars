# The local AWS emulator (moto): its default account, and a disposable bucket.
account_id    = "123456789012"
region        = "us-east-1"
force_destroy = true

# moto applies the Deny of the TLS-only bucket policy without its aws:SecureTransport
# condition (its endpoint is plain HTTP): leave the policy out in the emulator only.
local_emulator = true

tags = {
  project       = "genai-platform"
  environment   = "shared"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1000"
}
