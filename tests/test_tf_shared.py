"""The shared Terraform building blocks (modules/_shared/kms-key, modules/_shared/s3-bucket)
replaced resources that existing states hold at other addresses; `moved` blocks carry them
over. These tests prove that a state written at the OLD addresses plans no replacement.

* bootstrap: a real `terraform plan` (offline, -refresh=false) of terraform/bootstrap against a
  local state that holds the key, the alias, the bucket and its settings at their old
  addresses (aws_kms_key.state, aws_s3_bucket_policy.state[0], ...). The state is written by
  hand from the root's own planned values (Terraform cannot apply offline).
* the workload modules: every `moved` block's `to` is a resource the dev plan has, every
  resource of the shared blocks in the plan is reached by a `moved` block (so no old address is
  left without its new home), and no `from` names a resource the module still declares.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import hcl2
import pytest

from checks.ops.terraform import terraform_bin, write_cli_config

REPO = Path(__file__).resolve().parent.parent
BOOTSTRAP = REPO / "terraform" / "bootstrap"
CONVERTED = ("accelerated-compute", "bedrock", "budgets", "network", "sagemaker")
# module folder -> its module call in terraform/workload
CALLS = {
    "accelerated-compute": "accelerated_compute",
    "bedrock": "bedrock",
    "budgets": "budgets",
    "network": "network",
    "sagemaker": "sagemaker",
}
AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
# The bootstrap's addresses before modules/_shared, and where that resource is planned now.
# Written out here (not read from moved.tf), so a moved block that goes missing plans a
# delete and a create and fails the test.
BOOTSTRAP_OLD_TO_NEW = {
    "aws_kms_key.state": "module.kms_key.aws_kms_key.this[0]",
    "aws_kms_alias.state": "module.kms_key.aws_kms_alias.this[0]",
    **{
        f"{t}.state": f"module.state_bucket.{t}.this[0]"
        for t in (
            "aws_s3_bucket",
            "aws_s3_bucket_ownership_controls",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_lifecycle_configuration",
        )
    },
    "aws_s3_bucket_policy.state[0]": "module.state_bucket.aws_s3_bucket_policy.this[0]",
}


def moved_blocks(root: Path) -> list[tuple[str, str]]:
    """(from, to) of every `moved` block in the .tf files of one module or root."""
    pairs = []
    for tf in sorted(root.glob("*.tf")):
        for block in hcl2.loads(tf.read_text(encoding="utf-8")).get("moved", []):
            pairs.append((block["from"].strip("${}"), block["to"].strip("${}")))
    return pairs


def _address_matches(address: str, target: str) -> bool:
    """A plan address (with an instance key) matches a moved endpoint (with or without one)."""
    return address == target or re.fullmatch(re.escape(target) + r"\[[^\]]+\]", address) is not None


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run([terraform_bin(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"terraform {args[0]} failed in {cwd}:\n{done.stderr[-3000:]}"
    return done.stdout


def _resources(module: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {r["address"]: r for r in module.get("resources", []) if r["mode"] == "managed"}
    for child in module.get("child_modules", []):
        found.update(_resources(child))
    return found


@pytest.fixture(scope="module")
def bootstrap_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    base = tmp_path_factory.mktemp("bootstrap-moved")
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(write_cli_config()),
        "TF_IN_AUTOMATION": "1",
        "TF_DATA_DIR": str(base / "tf-data"),
        "AWS_ACCESS_KEY_ID": "offline",
        "AWS_SECRET_ACCESS_KEY": "offline",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    _run(["init", "-input=false", "-no-color", f"-backend-config=path={base / 'terraform.tfstate'}"], BOOTSTRAP, env)
    return env, base


def _plan(env: dict[str, str], base: Path, name: str) -> dict[str, Any]:
    out = base / f"{name}.tfplan"
    _run(
        [
            "plan",
            "-input=false",
            "-no-color",
            "-refresh=false",
            "-lock=false",
            f"-out={out}",
            "-var-file=envs/aws.tfvars",
            "-var=offline_plan=true",
        ],
        BOOTSTRAP,
        env,
    )
    return json.loads(_run(["show", "-json", str(out)], BOOTSTRAP, env))


def _old_state(plan: dict[str, Any], old_to_new: dict[str, str], version: str) -> dict[str, Any]:
    """A state holding, at each OLD address, what the new config plans at the new one (the
    attributes known only after apply filled in as AWS would)."""
    planned = _resources(plan["planned_values"]["root_module"])
    bucket = next(r["values"]["bucket"] for r in planned.values() if r["type"] == "aws_s3_bucket")
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    key_arn = f"arn:aws:kms:us-east-1:111111111111:key/{key_id}"
    fill = {
        "aws_kms_key": {"id": key_id, "key_id": key_id, "arn": key_arn},
        "aws_kms_alias": {
            "id": "alias/genai-lz-tfstate",
            "arn": "arn:aws:kms:us-east-1:111111111111:alias/genai-lz-tfstate",
            "target_key_id": key_id,
            "target_key_arn": key_arn,
        },
        "aws_s3_bucket": {"id": bucket, "arn": f"arn:aws:s3:::{bucket}"},
    }
    resources = []
    for old, new in old_to_new.items():
        resource = planned[new]
        values = dict(resource["values"])
        if resource["type"].startswith("aws_s3_bucket"):
            values.update(id=bucket, bucket=bucket)
        values.update(fill.get(resource["type"], {}))
        if resource["type"] == "aws_s3_bucket_server_side_encryption_configuration":
            values["rule"][0]["apply_server_side_encryption_by_default"][0]["kms_master_key_id"] = key_arn
        match = re.fullmatch(r"(\w+)\.(\w+)(?:\[(\d+)\])?", old)
        assert match, old
        resource_type, name, index = match.groups()
        instance: dict[str, Any] = {"schema_version": 0, "attributes": values, "sensitive_attributes": []}
        if index is not None:
            instance["index_key"] = int(index)
        resources.append(
            {"mode": "managed", "type": resource_type, "name": name, "provider": AWS, "instances": [instance]}
        )
    return {
        "version": 4,
        "terraform_version": version,
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": {},
        "resources": resources,
        "check_results": None,
    }


def test_bootstrap_state_at_old_addresses_plans_no_replacement(bootstrap_env: tuple[dict[str, str], Path]) -> None:
    env, base = bootstrap_env
    fresh = _plan(env, base, "fresh")
    version = json.loads(_run(["version", "-json"], BOOTSTRAP, env))["terraform_version"]
    state = _old_state(fresh, BOOTSTRAP_OLD_TO_NEW, version)
    (base / "terraform.tfstate").write_text(json.dumps(state))

    plan = _plan(env, base, "moved")
    changes = {c["address"]: c for c in plan["resource_changes"] if c["mode"] == "managed"}
    carried = {c["previous_address"]: address for address, c in changes.items() if c.get("previous_address")}
    assert carried == BOOTSTRAP_OLD_TO_NEW, "every old address is moved to its new one"
    for old, new in carried.items():
        actions = changes[new]["change"]["actions"]
        assert "create" not in actions and "delete" not in actions, f"{old} -> {new} plans {actions}"
    assert not [
        a for a, c in changes.items() if "create" in c["change"]["actions"] or "delete" in c["change"]["actions"]
    ]


@pytest.mark.parametrize("module", CONVERTED)
def test_moved_blocks_cover_the_shared_resources_of_the_workload_plan(module: str) -> None:
    plan_path = REPO / "build" / "workload-dev.plan.json"
    if not plan_path.exists():
        pytest.skip("needs build/workload-dev.plan.json (make lz-plans)")
    planned = _resources(json.loads(plan_path.read_text())["planned_values"]["root_module"])
    prefix = f"module.{CALLS[module]}."
    folder = REPO / "modules" / module
    parsed = [hcl2.loads(tf.read_text(encoding="utf-8")) for tf in sorted(folder.glob("*.tf"))]
    declared = {
        f"{t.strip(chr(34))}.{n.strip(chr(34))}"
        for p in parsed
        for b in p.get("resource", [])
        for t, body in b.items()
        for n in body
    }
    calls = {
        n.strip('"'): (folder / body["source"].strip('"')).resolve()
        for p in parsed
        for b in p.get("module", [])
        for n, body in b.items()
    }
    moves = moved_blocks(folder)
    assert moves, f"modules/{module} has no moved blocks"
    for old, new in moves:
        assert old not in declared, f"modules/{module}: {old} is moved but still declared"
        match = re.fullmatch(r"module\.(\w+)\.(\w+)\.(\w+)", new)
        assert match, f"modules/{module}: {new} is not a resource of a module call"
        call, resource_type, resource_name = match.groups()
        assert old.split(".")[0] == resource_type, f"modules/{module}: {old} -> {new} changes the resource type"
        assert f'resource "{resource_type}" "{resource_name}"' in (calls[call] / "main.tf").read_text(), (
            f"{new}: no such resource"
        )
    shared = [
        a[len(prefix) :]
        for a in planned
        if re.match(re.escape(prefix) + r"module\.\w+\.aws_(kms_key|kms_alias|s3_bucket\w*)\.this", a)
    ]
    assert shared, f"modules/{module} uses no shared building block in the dev plan"
    for address in shared:
        assert any(_address_matches(address, new) for _, new in moves), (
            f"{prefix}{address} is reached by no moved block"
        )


# CloudWatch Logs retention values (PutRetentionPolicy, retentionInDays). Terraform has no
# constants shared across modules, and a validation must stay on the input variable to fail at
# the call (not later, at a module output): so each variables.tf keeps its literal list and
# THIS is the one place that says what the list is. A list that drifts from it fails here.
CLOUDWATCH_LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]  # fmt: skip
_RETENTION = re.compile(r"contains\(\[([0-9,\s]+)\],\s*var\.(\w*retention_in_days)\)")


def _retention_validations() -> list[tuple[str, str, list[int], str]]:
    found = []
    for tf in sorted([*(REPO / "modules").rglob("variables.tf"), *(REPO / "terraform").rglob("variables.tf")]):
        if ".terraform" in tf.parts:
            continue
        for block in hcl2.loads(tf.read_text(encoding="utf-8")).get("variable", []):
            for name, body in block.items():
                for validation in body.get("validation", []):
                    match = _RETENTION.search(validation["condition"])
                    if match:
                        values = [int(v) for v in match.group(1).split(",")]
                        found.append(
                            (tf.relative_to(REPO).as_posix(), name.strip('"'), values, validation["error_message"])
                        )
    return found


def test_every_log_retention_list_is_the_cloudwatch_list() -> None:
    validations = _retention_validations()
    assert len(validations) >= 5, (
        "the retention validations of bedrock, network, accelerated-compute, workload, security-baseline"
    )
    for path, name, values, message in validations:
        # a module may demand a minimum (security-baseline: one year) but never invent a value
        assert values == [v for v in CLOUDWATCH_LOG_RETENTION_DAYS if v >= values[0]], f"{path} {name}: {values}"
        assert [int(n) for n in re.findall(r"\d+", message)] == values, (
            f"{path} {name}: the error message lists other values"
        )
