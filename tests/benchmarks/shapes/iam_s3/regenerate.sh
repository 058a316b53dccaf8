#!/bin/sh
# Rewrite template.plan.json from main.tf, offline (fake credentials, the provider mirror).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
work="$repo/build/bench/tf-iam_s3"
mkdir -p "$work"
cp "$here/main.tf" "$work/main.tf"
export TF_CLI_CONFIG_FILE="$repo/build/terraform.rc"
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true
cd "$work"
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color -refresh=false -out=template.tfplan >/dev/null
terraform show -json template.tfplan | "$repo/.venv/bin/python" -c 'import json,sys; json.dump(json.load(sys.stdin), sys.stdout, indent=1, sort_keys=True)' > "$here/template.plan.json"
echo "wrote $here/template.plan.json"
