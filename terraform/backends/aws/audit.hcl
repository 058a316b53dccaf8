bucket       = "genai-lz-tfstate-111111111111-us-east-1"
key          = "audit/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
kms_key_id   = "arn:aws:kms:us-east-1:111111111111:alias/genai-lz-tfstate"
use_lockfile = true
