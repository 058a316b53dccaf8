# Workload account "prod": three AZs, on-demand capacity, EFA for distributed training,
# budget notifications only (no automatic deny).
environment = "prod"
account_id  = "333333333333"
region      = "us-east-1"
# Subnets by AZ ID (the same physical zone in every account; AZ names differ per account).
# Replace with the IDs where this account has inf2/trn1 capacity (README: Before your first real apply);
# training_zone is the one with the trn1.32xlarge capacity (EFA cluster placement group, one AZ).
az_ids        = ["use1-az4", "use1-az6", "use1-az1"]
training_zone = "use1-az6"
vpc_cidr      = "10.20.0.0/16"

tags = {
  project       = "genai-platform"
  environment   = "prod"
  owner         = "platform-team@example.com"
  "cost-center" = "cc-1001"
}

allowed_model_ids = [
  "anthropic.claude-3-haiku-20240307-v1:0",
  "amazon.titan-embed-text-v2:0",
]
# Claude 3.5 Sonnet through the US cross-Region inference profile (its destination Regions are
# approved Regions): the invoke role gets the profile and the model in each destination Region.
allowed_inference_profiles = [
  { id = "us.anthropic.claude-3-5-sonnet-20240620-v1:0", destination_regions = ["us-east-1", "us-west-2"] },
]
# Embeddings return vectors, not text: invoked without the guardrail every other call must name.
guardrail_exempt_model_ids = ["amazon.titan-embed-text-v2:0"]
guardrail_filter_strength  = "HIGH"
log_retention_in_days      = 365

model_image    = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04"
model_data_url = "s3://sagemaker-us-east-1-333333333333/models/genai-llm/model.tar.gz"
model_environment = {
  HF_MODEL_ID      = "/opt/ml/model"
  SM_NUM_GPUS      = "1"
  MAX_INPUT_TOKENS = "3072"
  MAX_TOTAL_TOKENS = "4096"
}
endpoint_instance_type = "ml.g4dn.xlarge"
# The TGI image above is CUDA-only; the local emulator also rejects ml.g5. Move to ml.inf2
# with the Neuron TGI image and drop this justification (LZ-SUS-001 / LZ-PERF-001).
endpoint_gpu_justification = "TGI image is CUDA-only - Neuron TGI build on ml.inf2 planned"
endpoint_capacity          = { initial = 2, min = 2, max = 6 }

# In EKS standard support until 27 March 2027 (1.31 left it on 26 November 2025; 1.36 is also accepted).
kubernetes_version = "1.35"
# Platform administrators get EKS access entries (cluster creator admin stays off). Must exist before apply.
eks_admin_role_arns         = ["arn:aws:iam::333333333333:role/genai-platform-admin"]
create_inference_node_group = true
inference_node_group        = { instance_types = ["inf2.8xlarge"], min_size = 2, desired_size = 2, max_size = 8 }
create_training_node_group  = true
training_node_group         = { instance_types = ["trn1.32xlarge"], min_size = 0, desired_size = 0, max_size = 4, capacity_type = "ON_DEMAND", enable_efa = true }

# Sized with `genai-lz cost` (730-hour months, policies/usage/prod.yaml): planned ~$13,400/month,
# of which ~$3,350 Bedrock tokens and ~$1,250 guardrail text units; at maximum capacity
# (4 x trn1.32xlarge training, 8 x inf2.8xlarge, 6 endpoint instances) ~$82,600, under 2x this budget (LZ-COST-102).
monthly_budget_usd         = 45000
budget_thresholds          = [50, 80, 100, 120]
budget_notification_emails = ["genai-prod-finops@example.com", "platform-team@example.com"]
anomaly_threshold_usd      = 500

# The organization's log archive (outputs of terraform/log-archive): the Bedrock invocation logs
# replicate into its Object Lock bucket. Set kms_key_arn to output kms_key_arn once it is applied.
log_archive = {
  account_id  = "555555555555"
  bucket_name = "genai-log-archive-555555555555-us-east-1"
  kms_key_arn = "arn:aws:kms:us-east-1:555555555555:key/11111111-2222-3333-4444-555555555555"
}
