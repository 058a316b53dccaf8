"""Rebuild the rules' pass.json / fail.json from real Terraform plans (every pillar).

Each rule folder may hold ``fixtures/pass/`` and ``fixtures/fail/``: small Terraform
configurations (child modules in sub-folders). This script plans each one offline with
the hashicorp/aws provider from the local mirror (no AWS account, no data sources that
call AWS), and writes ``terraform show -json`` of the plan as the rule's fixture, so the
fixtures have exactly the shape Terraform produces: unknown values, module addresses,
configuration references, data sources read at apply time.

An optional ``replace.txt`` next to the configuration lists addresses to present as
replaced (actions ["delete", "create"]), and ``existing.txt`` addresses to present as
already deployed and unchanged (actions ["no-op"]), which a plan without prior state cannot
produce.

Usage: .venv/bin/python policies/security/build_fixtures.py [RULE_ID_OR_FOLDER ...]
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PROVIDER_TF = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.100" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline-fixture"
  secret_key                  = "offline-fixture"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    if not os.path.isfile(env.get("TF_CLI_CONFIG_FILE", "")):
        env["TF_CLI_CONFIG_FILE"] = str(REPO / "build" / "terraform.rc")
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "AWS_EC2_METADATA_DISABLED": "true"})
    for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        env.pop(key, None)
    return env


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} in {cwd} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def _replace(document: dict, addresses: set[str]) -> None:
    for rc in document.get("resource_changes", ()):
        if rc["address"] in addresses:
            change = rc["change"]
            change["actions"] = ["delete", "create"]
            change["before"] = {k: v for k, v in (change.get("after") or {}).items() if v is not None}
            change["before_sensitive"] = change.get("after_sensitive") or {}
            rc["action_reason"] = "replace_because_cannot_update"


def _existing(document: dict, addresses: set[str]) -> None:
    for rc in document.get("resource_changes", ()):
        if rc["address"] in addresses:
            change = rc["change"]
            change["actions"] = ["no-op"]
            change["before"] = {k: v for k, v in (change.get("after") or {}).items()}
            change["before_sensitive"] = change.get("after_sensitive") or {}


def build(source: Path, target: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="lz-fixture-") as tmp:
        work = Path(tmp) / "config"
        shutil.copytree(source, work, ignore=shutil.ignore_patterns(".terraform*", "*.tfplan", "replace.txt",
                                                                    "existing.txt"))
        (work / "zz_fixture_provider.tf").write_text(PROVIDER_TF, encoding="utf-8")
        _run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], work)
        _run(["terraform", "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=fixture.tfplan"], work)
        shown = subprocess.run(["terraform", "show", "-json", "fixture.tfplan"], cwd=work, env=_env(),
                               capture_output=True, text=True, check=True).stdout
    document = json.loads(shown)
    for key in ("timestamp", "relevant_attributes", "prior_state"):
        document.pop(key, None)
    document.get("configuration", {}).get("provider_config", {}).get("aws", {}).pop("expressions", None)
    replace = source / "replace.txt"
    if replace.is_file():
        _replace(document, {line.strip() for line in replace.read_text().splitlines() if line.strip()})
    existing = source / "existing.txt"
    if existing.is_file():
        _existing(document, {line.strip() for line in existing.read_text().splitlines() if line.strip()})
    target.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return str(target.relative_to(REPO))


def main(argv: list[str]) -> int:
    folders = sorted(p for p in HERE.parent.glob("*/*") if (p / "fixtures").is_dir())
    if argv:
        folders = [f for f in folders if any(f.name.startswith(a) or f.name == a for a in argv)]
    jobs = [(f / "fixtures" / kind, f / f"{kind}.json") for f in folders for kind in ("pass", "fail")
            if (f / "fixtures" / kind).is_dir()]
    failed = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        for job, result in zip(jobs, pool.map(lambda j: _safe(*j), jobs)):
            print(result)
            failed += result.startswith("ERROR")
    return 1 if failed else 0


def _safe(source: Path, target: Path) -> str:
    try:
        return build(source, target)
    except Exception as exc:  # report every failing fixture, not only the first
        return f"ERROR {source}: {exc}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
