bucket       = "genai-lz-tfstate-123456789012-us-east-1"
key          = "log-archive/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
kms_key_id   = "arn:aws:kms:us-east-1:123456789012:alias/genai-lz-tfstate"
use_lockfile = true
