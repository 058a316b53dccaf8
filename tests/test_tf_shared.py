"""The shared Terraform building blocks (modules/_shared/kms-key, modules/_shared/s3-bucket)
replaced resources that existing states hold at other addresses; `moved` blocks carry them
over. These tests prove that a state written at the OLD addresses plans no replacement.

* bootstrap: a real `terraform plan` (offline, -refresh=false) of terraform/bootstrap against a
  local state that holds the key, the alias, the bucket and its settings at their old
  addresses (aws_kms_key.state, aws_s3_bucket_policy.state[0], ...). The state is written by
  hand from the root's own planned values (Terraform cannot apply offline).
* security-baseline (the audit key and bucket) and its log-archive submodule (the key, the Object
  Lock bucket and the access-log bucket): the same, a real plan of a small root that calls the
  module (standalone trail and Config, so the key and the bucket exist), against a state at the
  old addresses inside the module call.
* the workload modules: every `moved` block's `to` is a resource the dev plan has, every
  resource of the shared blocks in the plan is reached by a `moved` block (so no old address is
  left without its new home), and no `from` names a resource the module still declares.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from checks.ops.terraform import terraform_bin, write_cli_config

REPO = Path(__file__).resolve().parent.parent
BOOTSTRAP = REPO / "terraform" / "bootstrap"
DOCS_DEPS = REPO / "build" / "docs-deps"  # python-hcl2 (`make docs-deps`)
_PARSED: dict[Path, dict[str, Any]] = {}


def parse_hcl(*paths: Path) -> list[dict[str, Any]]:
    """python-hcl2's reading of each .tf file, parsed in a process of its own: python-hcl2 and
    checkov's bc-python-hcl2 are both the package `hcl2` and cannot share the test process."""
    missing = [p for p in paths if p not in _PARSED]
    if missing:
        script = ("import json, sys; sys.path.insert(0, sys.argv[1]); import hcl2; "
                  "print(json.dumps([hcl2.loads(open(p, encoding='utf-8').read()) for p in sys.argv[2:]]))")
        out = subprocess.run([sys.executable, "-c", script, str(DOCS_DEPS), *map(str, missing)],
                             capture_output=True, text=True, timeout=300, check=True).stdout
        _PARSED.update(zip(missing, json.loads(out)))
    return [_PARSED[p] for p in paths]
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
# The settings every hardened bucket has (before modules/_shared each caller wrote them out).
_BUCKET_SETTINGS = (
    "aws_s3_bucket",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_policy",
)
BOOTSTRAP_OLD_TO_NEW = {
    "aws_kms_key.state": "module.kms_key.aws_kms_key.this[0]",
    "aws_kms_alias.state": "module.kms_key.aws_kms_alias.this[0]",
    # the bootstrap's bucket policy had a count (the emulator leaves it out), the rest had none
    **{f"{t}.state": f"module.state_bucket.{t}.this[0]" for t in _BUCKET_SETTINGS if t != "aws_s3_bucket_policy"},
    "aws_s3_bucket_policy.state[0]": "module.state_bucket.aws_s3_bucket_policy.this[0]",
}


def moved_blocks(root: Path) -> list[tuple[str, str]]:
    """(from, to) of every `moved` block in the .tf files of one module or root."""
    pairs = []
    for parsed in parse_hcl(*sorted(root.glob("*.tf"))):
        for block in parsed.get("moved", []):
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


_OLD_ADDRESS = re.compile(r"((?:module\.\w+\.)*)(\w+)\.(\w+)(?:\[(\d+)\])?")


def _module_path(address: str) -> str:
    """``module.a.module.b.aws_x.y[0]`` -> ``module.a.module.b`` (empty at the root)."""
    return ".".join(address.split(".")[:-2])


def _old_state(plan: dict[str, Any], old_to_new: dict[str, str], version: str) -> dict[str, Any]:
    """A state holding, at each OLD address, what the new config plans at the new one (the
    attributes known only after apply filled in as AWS would: ids, ARNs, the bucket of each
    bucket setting, the key of each encryption, the target of access logging)."""
    planned = _resources(plan["planned_values"]["root_module"])
    buckets = {_module_path(a): r["values"]["bucket"] for a, r in planned.items() if r["type"] == "aws_s3_bucket"}
    keys = [a for a, r in planned.items() if r["type"] == "aws_kms_key"]
    assert len(keys) == 1, f"one KMS key in the plan, not {keys}"
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    key_arn = f"arn:aws:kms:us-east-1:111111111111:key/{key_id}"
    resources = []
    for old, new in old_to_new.items():
        resource = planned[new]
        values = dict(resource["values"])
        rtype = resource["type"]
        if rtype == "aws_kms_key":
            values.update(id=key_id, key_id=key_id, arn=key_arn)
        elif rtype == "aws_kms_alias":
            alias_arn = f"arn:aws:kms:us-east-1:111111111111:{values['name']}"
            values.update(id=values["name"], arn=alias_arn, target_key_id=key_id, target_key_arn=key_arn)
        elif rtype.startswith("aws_s3_bucket"):
            bucket = buckets[_module_path(new)]
            values.update(id=bucket, bucket=bucket)
            if rtype == "aws_s3_bucket":
                values["arn"] = f"arn:aws:s3:::{bucket}"
            if rtype == "aws_s3_bucket_server_side_encryption_configuration":
                values["rule"][0]["apply_server_side_encryption_by_default"][0]["kms_master_key_id"] = key_arn
            if rtype == "aws_s3_bucket_logging" and "target_bucket" not in values:
                # the target is another bucket's id (log-archive: the access-log bucket)
                (target,) = [b for b in buckets.values() if b != bucket]
                values["target_bucket"] = target
        match = _OLD_ADDRESS.fullmatch(old)
        assert match, old
        module, resource_type, name, index = match.groups()
        instance: dict[str, Any] = {"schema_version": 0, "attributes": values, "sensitive_attributes": []}
        if index is not None:
            instance["index_key"] = int(index)
        entry = {"mode": "managed", "type": resource_type, "name": name, "provider": AWS, "instances": [instance]}
        if module:
            entry["module"] = module.rstrip(".")
        resources.append(entry)
    return {
        "version": 4,
        "terraform_version": version,
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": {},
        "resources": resources,
        "check_results": None,
    }


def _assert_moved_without_replacement(plan: dict[str, Any], old_to_new: dict[str, str]) -> None:
    """Every old address is carried to its new one, and nothing is replaced or destroyed."""
    changes = {c["address"]: c for c in plan["resource_changes"] if c["mode"] == "managed"}
    carried = {c["previous_address"]: address for address, c in changes.items() if c.get("previous_address")}
    assert carried == old_to_new, "every old address is moved to its new one"
    for old, new in carried.items():
        actions = changes[new]["change"]["actions"]
        assert "create" not in actions and "delete" not in actions, f"{old} -> {new} plans {actions}"
    assert not [a for a, c in changes.items() if "delete" in c["change"]["actions"]], "nothing is destroyed"


def test_bootstrap_state_at_old_addresses_plans_no_replacement(bootstrap_env: tuple[dict[str, str], Path]) -> None:
    env, base = bootstrap_env
    fresh = _plan(env, base, "fresh")
    version = json.loads(_run(["version", "-json"], BOOTSTRAP, env))["terraform_version"]
    state = _old_state(fresh, BOOTSTRAP_OLD_TO_NEW, version)
    (base / "terraform.tfstate").write_text(json.dumps(state))

    plan = _plan(env, base, "moved")
    _assert_moved_without_replacement(plan, BOOTSTRAP_OLD_TO_NEW)
    # the bootstrap holds nothing else: the whole state was at old addresses
    assert not [c["address"] for c in plan["resource_changes"] if "create" in c["change"]["actions"]]


# A small root per module: the module call with its key and buckets created (security-baseline
# standalone: its own trail and Config), planned offline with fake credentials.
_PROVIDER = """
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"""
MODULE_ROOTS = {
    "security-baseline": """
module "security_baseline" {
  source                 = "%(repo)s/modules/security-baseline"
  name                   = "genai-moved"
  account_id             = "111111111111"
  create_guardduty       = false
  create_access_analyzer = false
}
""",
    "log-archive": """
module "log_archive" {
  source                = "%(repo)s/modules/security-baseline/modules/log-archive"
  account_id            = "333333333333"
  management_account_id = "111111111111"
  organization_id       = "o-abcd123456"
}
""",
}
def _key_moves(call: str) -> dict[str, str]:
    return {
        f"{call}.aws_kms_key.this[0]": f"{call}.module.kms_key.aws_kms_key.this[0]",
        f"{call}.aws_kms_alias.this[0]": f"{call}.module.kms_key.aws_kms_alias.this[0]",
    }


def _bucket_moves(call: str, old_name: str, new_call: str, extra: tuple[str, ...] = ()) -> dict[str, str]:
    return {f"{call}.{t}.{old_name}[0]": f"{call}.module.{new_call}.{t}.this[0]" for t in (*_BUCKET_SETTINGS, *extra)}


# The addresses before modules/_shared, and where each is planned now; written out (not read
# from moved.tf), so a moved block that goes missing plans a delete and a create and fails.
MODULE_OLD_TO_NEW = {
    "security-baseline": {
        **_key_moves("module.security_baseline"),
        **_bucket_moves("module.security_baseline", "audit", "audit_bucket"),
    },
    "log-archive": {
        **_key_moves("module.log_archive"),
        **_bucket_moves("module.log_archive", "logs", "log_bucket",
                        ("aws_s3_bucket_object_lock_configuration", "aws_s3_bucket_logging")),
        **_bucket_moves("module.log_archive", "access", "access_bucket"),
    },
}


def _plan_root(root: Path, env: dict[str, str], name: str) -> dict[str, Any]:
    out = root / f"{name}.tfplan"
    _run(["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", f"-out={out}"], root, env)
    return json.loads(_run(["show", "-json", str(out)], root, env))


@pytest.mark.parametrize("module", sorted(MODULE_ROOTS))
def test_module_state_at_old_addresses_plans_no_replacement(
    module: str, tmp_path: Path, bootstrap_env: tuple[dict[str, str], Path]
) -> None:
    env = {**bootstrap_env[0], "TF_DATA_DIR": str(tmp_path / "tf-data")}
    # a relative source: an absolute one is a package of its own, out of which the module's
    # ../../../_shared calls may not reach
    repo = Path(os.path.relpath(REPO, tmp_path)).as_posix()
    (tmp_path / "main.tf").write_text(_PROVIDER + MODULE_ROOTS[module] % {"repo": repo})
    _run(["init", "-input=false", "-no-color", "-backend=false"], tmp_path, env)
    fresh = _plan_root(tmp_path, env, "fresh")
    old_to_new = MODULE_OLD_TO_NEW[module]
    version = json.loads(_run(["version", "-json"], tmp_path, env))["terraform_version"]
    (tmp_path / "terraform.tfstate").write_text(json.dumps(_old_state(fresh, old_to_new, version)))

    plan = _plan_root(tmp_path, env, "moved")
    _assert_moved_without_replacement(plan, old_to_new)
    # what the old state did not hold is planned as in the fresh plan, nothing more
    created = {c["address"] for c in plan["resource_changes"] if "create" in c["change"]["actions"]}
    assert created == {c["address"] for c in fresh["resource_changes"] if c["mode"] == "managed"} - set(old_to_new.values())


@pytest.mark.parametrize("module", CONVERTED)
def test_moved_blocks_cover_the_shared_resources_of_the_workload_plan(module: str) -> None:
    plan_path = REPO / "build" / "workload-dev.plan.json"
    if not plan_path.exists():
        pytest.skip("needs build/workload-dev.plan.json (make lz-plans)")
    planned = _resources(json.loads(plan_path.read_text())["planned_values"]["root_module"])
    prefix = f"module.{CALLS[module]}."
    folder = REPO / "modules" / module
    parsed = parse_hcl(*sorted(folder.glob("*.tf")))
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
    # the moves into the shared building blocks (a module may also move resources within itself,
    # e.g. count to for_each: those are not this test's concern)
    moves = [(old, new) for old, new in moved_blocks(folder) if new.startswith("module.")]
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


def _variables_files() -> list[Path]:
    """Every variables.tf of the modules and the roots."""
    found = [*(REPO / "modules").rglob("variables.tf"), *(REPO / "terraform").rglob("variables.tf")]
    return sorted(tf for tf in found if ".terraform" not in tf.parts)


def _retention_validations() -> list[tuple[str, str, list[int], str]]:
    found = []
    files = _variables_files()
    for tf, parsed in zip(files, parse_hcl(*files)):
        for block in parsed.get("variable", []):
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


# GuardDuty feature names (DetectorFeature / OrgFeature of the GuardDuty API). The account
# detector (security-baseline), the organization configuration (org-security-services) and the
# audit root validate guardduty_features against this list each, and default to the same plans:
# a variable's validation cannot read another module, so the copies stay and agree here.
GUARDDUTY_FEATURES = [
    "S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "EKS_RUNTIME_MONITORING",
    "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
]  # fmt: skip


def test_every_guardduty_feature_list_is_the_api_list() -> None:
    files = _variables_files()
    found = {}
    for tf, parsed in zip(files, parse_hcl(*files)):
        for block in parsed.get("variable", []):
            body = block.get("guardduty_features") or block.get('"guardduty_features"')
            if body is not None:
                found[tf.relative_to(REPO).as_posix()] = body
    assert len(found) >= 3, f"security-baseline, org-security-services and terraform/audit declare it: {sorted(found)}"
    defaults = {path: body.get("default") for path, body in found.items()}
    validated = 0
    for path, body in found.items():
        # a root may pass the map on and leave the validation to the module
        for condition in [v["condition"] for v in body.get("validation", []) if "contains(" in v["condition"]]:
            names = re.findall(r'"([A-Z0-9_]+)"', condition)
            assert names == GUARDDUTY_FEATURES, f"{path}: guardduty_features validates against {names}"
            validated += 1
        assert defaults[path] == next(iter(defaults.values())), f"{path}: another default set of protection plans"
    assert validated >= 2, "security-baseline and org-security-services validate the feature names"
