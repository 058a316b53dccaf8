"""Finding the .tf file and line of a resource block (checks/report/locate.py)."""
from __future__ import annotations

import json
import os
import textwrap

import pytest

from checks import plan as plan_module
from checks.report.locate import Locator, scan_blocks, split_address
from conftest import FIXTURES, REPO

PLAN = FIXTURES / "report" / "plan.json"
TF_ROOT = FIXTURES / "report" / "tfroot"


def test_scan_blocks_skips_comments_and_heredocs():
    text = textwrap.dedent('''\
        # resource "aws_vpc" "hash_comment" {
        // resource "aws_vpc" "slash_comment" {
        /* resource "aws_vpc" "inline_block_comment" { */
        /*
        resource "aws_vpc" "block_comment" {
        }
        */
        locals {
          x = <<EOT
        resource "aws_vpc" "heredoc" {
        EOT
          y = <<-EOT
            resource "aws_vpc" "indented_heredoc" {
            EOT
        }
        resource "aws_vpc" "real" {
          cidr_block = "10.0.0.0/16" # resource "aws_vpc" "trailing" {
        }
          resource aws_subnet bare_labels {
        }
        data "aws_iam_policy_document" "doc" {
        }
        module "net" {
          source = "./net"
        }
        resource "aws_s3_bucket" "after_comment" { /* x */
        }
    ''')
    blocks = scan_blocks(text)
    assert blocks == {
        ("resource", "aws_vpc", "real"): 16,
        ("resource", "aws_subnet", "bare_labels"): 19,
        ("data", "aws_iam_policy_document", "doc"): 21,
        ("module", "net", ""): 23,
        ("resource", "aws_s3_bucket", "after_comment"): 26,
    }


@pytest.mark.parametrize("address, expected", [
    ("aws_vpc.this", ("", "managed", "aws_vpc", "this")),
    ("aws_vpc.this[0]", ("", "managed", "aws_vpc", "this")),
    ('module.a["x.y"].module.b[1].aws_vpc.this["k"]', ("module.a.module.b", "managed", "aws_vpc", "this")),
    ("module.a.data.aws_iam_policy_document.doc", ("module.a", "data", "aws_iam_policy_document", "doc")),
    ("(root module)", ("", "managed", "", "")),
])
def test_split_address(address, expected):
    assert split_address(address) == expected


def test_locator_explicit_root_resolves_module_instances():
    plan = plan_module.load(PLAN)
    locator = Locator(plan, TF_ROOT, base=REPO)
    got = {r.address: locator.locate(r.address) for r in plan.resources}
    assert got["aws_vpc.shared"].path == "tests/fixtures/report/tfroot/main.tf"
    assert got['module.net["b"].aws_vpc.this'].path == "tests/fixtures/report/tfroot/modules/net/main.tf"
    assert got['module.net["a"].aws_vpc_endpoint.bedrock_runtime[0]'].exact
    for address, loc in got.items():
        line = (REPO / loc.path).read_text(encoding="utf-8").splitlines()[loc.line - 1]
        _, _, rtype, name = split_address(address)
        assert line == f'resource "{rtype}" "{name}" {{', address


def test_locator_guesses_root_from_cwd_and_plan_dir(tmp_path, monkeypatch):
    plan = plan_module.load(PLAN)
    monkeypatch.chdir(TF_ROOT)  # the directory terraform ran in
    assert Locator(plan).root == TF_ROOT.resolve()
    monkeypatch.chdir(tmp_path)  # unrelated directory: no root, fallback to the plan file
    locator = Locator(plan)
    assert locator.root is None
    assert locator.locate("aws_vpc.shared").exact is False
    # the repo layout: <cwd>/terraform/<root>/ is searched
    (tmp_path / "terraform").mkdir()
    os.symlink(TF_ROOT, tmp_path / "terraform" / "workload")
    assert Locator(plan).root == (tmp_path / "terraform" / "workload").resolve()


def test_locator_remote_module_through_modules_json(tmp_path, monkeypatch):
    """A registry/git module is found where `terraform init` installed it (.terraform/modules)."""
    monkeypatch.delenv("TF_DATA_DIR", raising=False)
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    document["configuration"]["root_module"]["module_calls"]["net"]["source"] = "app.terraform.io/acme/net/aws"
    plan = plan_module.loads(json.dumps(document).encode(), source=str(tmp_path / "plan.json"))
    root = tmp_path / "root"
    installed = root / ".terraform" / "modules" / "net"
    installed.mkdir(parents=True)
    (installed / "vpc.tf").write_text('\n\nresource "aws_vpc" "this" {\n}\n', encoding="utf-8")
    (root / "main.tf").write_text('module "net" {\n  source = "app.terraform.io/acme/net/aws"\n}\n', encoding="utf-8")
    (root / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "net", "Source": "app.terraform.io/acme/net/aws", "Dir": ".terraform/modules/net"},
    ]}), encoding="utf-8")
    locator = Locator(plan, root, base=tmp_path)
    loc = locator.locate('module.net["a"].aws_vpc.this')
    assert (loc.path, loc.line, loc.exact) == ("root/.terraform/modules/net/vpc.tf", 3, True)
    # without modules.json the remote module cannot be seen: plan-file fallback
    (root / ".terraform" / "modules" / "modules.json").unlink()
    assert Locator(plan, root, base=tmp_path).locate('module.net["a"].aws_vpc.this').exact is False


def test_plan_level_finding_points_at_root_main():
    plan = plan_module.load(PLAN)
    loc = Locator(plan, TF_ROOT, base=REPO).locate("(root module)")
    assert (loc.path, loc.line, loc.exact) == ("tests/fixtures/report/tfroot/main.tf", 1, False)
    assert Locator(plan, None, base=REPO).locate("(root module)").path == "tests/fixtures/report/plan.json"
