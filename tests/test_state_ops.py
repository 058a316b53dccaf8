"""Day-2 state operations against a real emulator (moto server on 127.0.0.1, started here
and stopped at the end): the S3 backend's native lock (use_lockfile) under concurrent and
killed applies, force-unlock, and drift detection.

The root is the tiny fixture tests/fixtures/tf/state_root (a tagged VPC, two S3 buckets and
their public access blocks, `backend "s3" {}`); each test keeps its state in its own bucket,
created here with boto3, and its resources under its own name. Terraform runs through the
project's driver (checks.ops.terraform) with the emulator environment of checks.ops.emulator.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.ops import drift, emulator
from checks import plan as plan_module
from checks.ops.terraform import StateLockError, TerraformRunner, planned_addresses, terraform_bin, write_cli_config
from checks.ops.workspace import Workspace

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tf" / "state_root"
STATE_KEY = "state-root/terraform.tfstate"
LOCK_KEY = STATE_KEY + ".tflock"


TEST_BUDGET_SECONDS = 150  # each test ends (fails) within this, whatever Terraform does


@pytest.fixture(autouse=True)
def bounded_in_time():
    def expired(signum, frame):
        raise TimeoutError(f"test exceeded its {TEST_BUDGET_SECONDS}s budget")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_BUDGET_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class FixtureWorkspace(Workspace):
    """The driver's Workspace for the fixture root: the same runner, paths under a temp dir."""

    base: Path = Path()

    def __post_init__(self) -> None:  # the fixture root is not one of terraform/<root>
        pass

    @property
    def source_dir(self) -> Path:
        return FIXTURE

    @property
    def var_file(self) -> Path:
        return FIXTURE / "envs" / "test.tfvars"

    @property
    def backend_file(self) -> Path:
        return self.base / "backend.hcl"

    @property
    def data_dir(self) -> Path:
        return self.base / "tf-data"

    def plan_file(self, suffix: str = "") -> Path:
        return self.base / f"state-root{suffix}.tfplan"

    def plan_json(self, suffix: str = "") -> Path:
        return self.base / f"state-root{suffix}.plan.json"


@pytest.fixture(scope="module")
def emu(tmp_path_factory):
    write_cli_config()  # TF_CLI_CONFIG_FILE=build/terraform.rc (the provider mirror)
    with pytest.MonkeyPatch.context() as mp:
        state = tmp_path_factory.mktemp("emulator")
        mp.setattr(emulator, "state_dir", lambda: state)
        running, _ = emulator.up()
        try:
            yield running
        finally:
            emulator.down()


def client(emu: emulator.Emulator, service: str):
    import boto3
    from botocore.config import Config

    env = emulator.emulator_env(emu)
    return boto3.client(service, endpoint_url=emu.endpoint, region_name=emulator.REGION,
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))


@dataclass
class Stack:
    tf: TerraformRunner
    name: str
    bucket: str

    @property
    def vars(self) -> dict[str, str]:
        return {"name": self.name}


@pytest.fixture
def stack(emu, tmp_path, request) -> Stack:
    """A state bucket (versioned, encrypted) and a backend config with use_lockfile = true."""
    name = f"lz-{request.node.name.split('_')[1]}-{uuid.uuid4().hex[:6]}"
    bucket = f"{name}-tfstate"
    s3 = client(emu, "s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    (tmp_path / "backend.hcl").write_text(
        f'bucket       = "{bucket}"\nkey          = "{STATE_KEY}"\nregion       = "{emulator.REGION}"\n'
        "encrypt      = true\nuse_lockfile = true\n"
    )
    ws = FixtureWorkspace(root="workload", env=name, target="local", base=tmp_path)
    tf = TerraformRunner(ws, emulator.emulator_env(emu))
    tf.init()
    return Stack(tf, name, bucket)


def plan(stack: Stack, suffix: str = "") -> tuple[Path, list[str]]:
    out = stack.tf.ws.plan_file(suffix)
    stack.tf.plan(out, stack.vars)
    return out, planned_addresses(stack.tf.show_json(out))


def pending_changes(stack: Stack) -> list[str]:
    out = stack.tf.ws.plan_file(".verify")
    stack.tf.plan(out, stack.vars)
    changes = stack.tf.show_json(out).get("resource_changes", [])
    return [c["address"] for c in changes if c["change"]["actions"] != ["no-op"]]


def start_apply(stack: Stack, plan_file: Path, log: Path) -> subprocess.Popen:
    """`terraform apply PLAN` in its own process group, with the driver's environment."""
    return subprocess.Popen(
        [terraform_bin(), "apply", "-input=false", "-no-color", "-lock-timeout=0s", str(plan_file)],
        cwd=stack.tf.ws.work_dir, env=stack.tf.environment(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def read_lock(emu, stack: Stack) -> dict | None:
    from botocore.exceptions import ClientError

    try:
        body = client(emu, "s3").get_object(Bucket=stack.bucket, Key=LOCK_KEY)["Body"].read()
    except ClientError as exc:
        if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return None
        raise
    return json.loads(body)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def fixture_vpcs(emu, stack: Stack) -> list[str]:
    vpcs = client(emu, "ec2").describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [stack.name]}])["Vpcs"]
    return sorted(v["VpcId"] for v in vpcs)


def state_ids(stack: Stack) -> dict[str, str]:
    from python_terraform import IsFlagged

    doc = json.loads(stack.tf.run("show", json=IsFlagged).out or "{}")
    resources = (doc.get("values") or {}).get("root_module", {}).get("resources", [])
    return {r["address"]: r["values"].get("id") for r in resources if r.get("mode") == "managed"}


def adopt_orphans(emu, stack: Stack) -> list[str]:
    """The recovery step after a killed apply: what the emulator holds for this stack but
    the state does not (created after the last state write) is imported, so the next
    apply neither duplicates the VPC nor fails on an existing bucket name."""
    from botocore.exceptions import ClientError

    in_state = state_ids(stack)
    s3 = client(emu, "s3")
    found: dict[str, str] = {}
    vpcs = [v for v in fixture_vpcs(emu, stack) if v not in in_state.values()]
    assert len(vpcs) <= 1, f"the killed apply left several VPCs: {vpcs}"
    if vpcs:
        found["aws_vpc.main"] = vpcs[0]
    for key in ("artifacts", "logs"):
        bucket = f"{stack.name}-{key}-123456789012"
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            continue
        found[f'aws_s3_bucket.data["{key}"]'] = bucket
        try:
            s3.get_public_access_block(Bucket=bucket)
            found[f'aws_s3_bucket_public_access_block.data["{key}"]'] = bucket
        except ClientError:
            pass
    adopted = []
    for address, rid in sorted(found.items()):
        if address in in_state:
            continue
        stack.tf.run("import", address, rid, var_file=[str(stack.tf.ws.var_file)],
                     var=[f"{k}={v}" for k, v in stack.vars.items()], lock_timeout="0s")
        adopted.append(address)
    return adopted


# --------------------------------------------------------------------------------------
def test_a_concurrent_apply_fails_at_once_naming_the_lock(emu, stack, tmp_path):
    plan_file, expected = plan(stack)
    assert len(expected) == 5
    first = start_apply(stack, plan_file, tmp_path / "first.log")
    try:
        lock = wait_for(lambda: read_lock(emu, stack), 30, "the first apply's lock")
        assert lock["Operation"] == "OperationTypeApply" and lock["Who"]
        started = time.monotonic()
        with pytest.raises(StateLockError) as err:
            stack.tf.apply(plan_file)  # what `make apply` runs: -lock-timeout=0s by default
        assert time.monotonic() - started < 15, "the second apply waited for the lock instead of failing at once"
        message = str(err.value)
        assert err.value.lock["ID"] == lock["ID"] and lock["ID"] in message and lock["Who"] in message
        assert f"LOCK_ID={lock['ID']}" in message
        assert first.wait(timeout=90) == 0, (tmp_path / "first.log").read_text()[-2000:]
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert read_lock(emu, stack) is None
    assert sorted(state_ids(stack)) == expected
    assert len(fixture_vpcs(emu, stack)) == 1


def test_b_out_of_band_tag_change_is_drift_until_reapplied(emu, stack, tmp_path):
    plan_file, _ = plan(stack)
    stack.tf.apply(plan_file)
    vpc_id = stack.tf.output_json()["vpc_id"]
    client(emu, "ec2").create_tags(Resources=[vpc_id], Tags=[{"Key": "Environment", "Value": "tampered"}])

    reports = tmp_path / "reports"
    found = drift.detect(stack.tf, reports, stack.vars)
    assert found.exit_code == 1 and found.drifted
    assert found.resources == ["aws_vpc.main"]
    tag = [i for i in found.items if i.attribute == "tags.Environment"]
    assert len(tag) == 1 and (tag[0].state_value, tag[0].real_value) == ("test", "tampered")
    report = json.loads(found.json_report.read_text())
    assert report["drifted"] is True and report["resources"] == ["aws_vpc.main"]
    assert any(i["address"] == "aws_vpc.main" and i["attribute"] == "tags.Environment" for i in report["items"])
    markdown = found.markdown_report.read_text()
    assert "| `aws_vpc.main` | `tags.Environment` | `test` | `tampered` |" in markdown
    # the refreshed values were checked: every deployed resource, with the real tag value
    refreshed = plan_module.load(found.refreshed_plan)
    # the fixture root has two S3 buckets with neither a CMK nor a TLS-only policy (LZ-SEC-006,
    # LZ-SEC-019, high): the check of the refreshed values fails its gate
    assert len(refreshed) == 5 and found.check_code == 1
    checked = json.loads((reports / "refreshed" / "report.json").read_text())
    blocking = {f.split()[0] for f in checked["verdict"]["blocking_findings"]}
    assert {"LZ-SEC-006", "LZ-SEC-019"} <= blocking, blocking
    assert any((reports / "refreshed").iterdir())
    assert "tampered" in found.refreshed_plan.read_text()

    plan_file, _ = plan(stack)  # a fresh plan restores the configured tag
    stack.tf.apply(plan_file)
    clean = drift.detect(stack.tf, reports, stack.vars)
    assert clean.exit_code == 0 and clean.items == []
    assert json.loads(clean.json_report.read_text())["drifted"] is False
    assert "No drift" in clean.markdown_report.read_text()


def test_c_killed_apply_leaves_a_lock_that_unlock_releases_then_converges(emu, stack, tmp_path):
    plan_file, expected = plan(stack)
    victim = start_apply(stack, plan_file, tmp_path / "victim.log")
    try:
        wait_for(lambda: fixture_vpcs(emu, stack), 60, "the VPC of the apply to kill")
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # terraform and its provider plugin, midway
        victim.wait()
    assert victim.returncode == -signal.SIGKILL
    lock = read_lock(emu, stack)
    assert lock is not None, "a killed apply leaves its lock behind"

    with pytest.raises(StateLockError) as err:
        stack.tf.apply(plan_file)
    assert err.value.lock["ID"] == lock["ID"] and lock["ID"] in str(err.value)

    from checks.errors import LzError

    with pytest.raises(LzError):
        stack.tf.force_unlock("not a lock id; rm -rf")
    stack.tf.force_unlock(lock["ID"])
    assert read_lock(emu, stack) is None

    time.sleep(0.5)  # let the emulator finish requests the killed provider had sent
    adopt_orphans(emu, stack)
    plan_file, _ = plan(stack, ".retry")
    stack.tf.apply(plan_file)
    assert sorted(state_ids(stack)) == expected  # nothing lost
    assert len(fixture_vpcs(emu, stack)) == 1  # nothing duplicated
    assert pending_changes(stack) == []  # converged


# --------------------------------------------------------------------------------------
# Without the emulator: masking and refusals
# --------------------------------------------------------------------------------------
def test_sensitive_drift_is_reported_but_never_printed(tmp_path):
    secret_old, secret_new = "s3cr3t-old-value", "s3cr3t-new-value"
    plan_doc = {"resource_drift": [{
        "address": "aws_db_instance.main", "type": "aws_db_instance", "change": {
            "actions": ["update"],
            "before": {"password": secret_old, "tags": {"Owner": "a"}, "nested": [{"token": secret_old, "n": 1}]},
            "after": {"password": secret_new, "tags": {"Owner": "b"}, "nested": [{"token": secret_new, "n": 1}]},
            "before_sensitive": {"password": True, "nested": [{"token": True}]},
            "after_sensitive": {"password": True, "nested": [{"token": True}]},
        }}]}
    items = drift.drift_items(plan_doc)
    by_attr = {i.attribute: i for i in items}
    assert set(by_attr) == {"password", "tags.Owner", "nested[0].token"}
    assert by_attr["password"].sensitive and by_attr["password"].real_value == drift.MASK
    assert (by_attr["tags.Owner"].state_value, by_attr["tags.Owner"].real_value) == ("a", "b")
    json_path, md_path = drift.write_reports(items, tmp_path, {"root": "r", "env": "e", "target": "local"})
    for path in (json_path, md_path):
        assert "s3cr3t" not in path.read_text()
    assert "`password`" in md_path.read_text()


def test_unlock_without_lock_id_is_refused_with_a_clear_message(cli):
    run = cli("unlock", "--target", "local")
    assert run.code == 2 and "no lock ID" in run.err and "LOCK_ID" in run.err
