"""Evidence names what ran: the provider versions from the lock file, not the constraint."""
from __future__ import annotations

import json

from checks.cli import main
from checks.ops.terraform import locked_providers
from checks.ops.workspace import repo_root

SMALL_PLAN = repo_root() / "policies" / "operational_excellence" / "LZ-OPS-001_log_group_retention" / "pass.json"
AWS = "registry.terraform.io/hashicorp/aws"
LOCK = f'''# This file is maintained automatically by "terraform init".
provider "{AWS}" {{
  version     = "5.100.0"
  constraints = ">= 5.50.0, < 6.0.0"
  hashes = [
    "h1:abc=",
  ]
}}
'''


def test_the_lock_file_gives_the_selected_versions(tmp_path):
    lock = tmp_path / ".terraform.lock.hcl"
    lock.write_text(LOCK)
    assert locked_providers(lock) == {AWS: "5.100.0"}
    assert locked_providers(tmp_path / "missing.hcl") == {}


def _plan_with_constraint(tmp_path):
    plan = json.loads(SMALL_PLAN.read_text())
    plan["configuration"]["provider_config"]["aws"]["version_constraint"] = ">= 5.50.0, < 6.0.0"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def test_the_report_names_the_version_that_ran(tmp_path, capsys):
    plan = _plan_with_constraint(tmp_path)
    lock = tmp_path / ".terraform.lock.hcl"
    lock.write_text(LOCK)
    main(["check", str(plan), "--lock-file", str(lock), "--output", str(tmp_path / "with.json")])
    main(["check", str(plan), "--output", str(tmp_path / "without.json")])
    capsys.readouterr()

    def providers(name):
        return json.loads((tmp_path / name).read_text())["evidence"]["plan"]["provider_versions"]

    assert providers("with.json") == {AWS: "5.100.0"}
    assert providers("without.json") == {AWS: ">= 5.50.0, < 6.0.0"}  # no lock file: what the plan records


def test_a_lock_file_that_is_not_one_is_an_input_error(tmp_path, capsys):
    bad = tmp_path / "bad.hcl"
    bad.write_text("nothing here\n")
    assert main(["check", str(SMALL_PLAN), "--lock-file", str(bad), "--output", str(tmp_path / "r.json")]) == 2
    assert "no provider version" in capsys.readouterr().err
