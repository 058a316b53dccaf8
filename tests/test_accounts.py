"""Account vending (checks/ops/accounts.py, `genai-lz account new`): validation before any write,
the files it writes, and the OU list it shares with modules/organization."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from checks.ops import accounts
from checks.ops.accounts import AccountRequest, new_account
from checks.cli import main
from checks.errors import LzError
from checks.ops.workspace import repo_root

REPO = repo_root()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The parts of the repository account vending reads and writes."""
    for part in ("terraform/organization/accounts", "terraform/workload/envs", "terraform/backends"):
        shutil.copytree(REPO / part, tmp_path / part)
    return tmp_path


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_new_account_writes_the_account_the_env_and_its_backends(repo):
    vended = new_account(AccountRequest("research", "aws+research@example.com", "dev"), repo)
    account = json.loads(vended.account_file.read_text())
    assert account == {"email": "aws+research@example.com", "ou": "dev", "tags": {"environment": "dev"}}
    env = vended.env_file.read_text()
    assert 'environment = "dev"' in env and 'account_id  = "000000000000"' in env
    assert re.search(r'^vpc_cidr\s+= "10\.(\d+)\.0\.0/16"', env, re.MULTILINE)
    assert '"10.10.0.0/16"' not in env  # dev's range is taken
    assert {p.parent.name for p in vended.backend_files} == {"aws", "local"}
    for path in vended.backend_files:
        assert 'key          = "workload/research/terraform.tfstate"' in path.read_text()


def test_prod_ou_takes_the_prod_env_and_a_given_account_id(repo):
    vended = new_account(AccountRequest("payments-prod", "aws+pay@example.com", "prod", "555555555555"), repo)
    env = vended.env_file.read_text()
    assert 'environment = "prod"' in env and 'account_id  = "555555555555"' in env and "placeholder" not in env


@pytest.mark.parametrize("request_, message", [
    (AccountRequest("Research", "a@example.com", "dev"), "is invalid"),
    (AccountRequest("r", "a@example.com", "dev"), "is invalid"),
    (AccountRequest("research-", "a@example.com", "dev"), "is invalid"),
    (AccountRequest("prod", "a@example.com", "prod"), "already exists"),
    (AccountRequest("audit", "a@example.com", "security"), "reserved"),
    (AccountRequest("organization", "a@example.com", "dev"), "reserved"),
    (AccountRequest("research", "not-an-email", "dev"), "e-mail 'not-an-email' is invalid"),
    (AccountRequest("research", "a@example.com", "marketing"), "OU 'marketing' does not exist"),
    (AccountRequest("research", "AWS+GENAI-DEV@example.com", "dev"), "already the root e-mail of account 'dev'"),
    (AccountRequest("research", "a@example.com", "dev", "12345"), "not 12 digits"),
])
def test_invalid_requests_write_nothing(repo, request_, message):
    before = _files(repo)
    with pytest.raises(LzError, match=re.escape(message)):
        new_account(request_, repo)
    assert _files(repo) == before


def test_an_existing_env_is_a_duplicate(repo):
    (repo / "terraform/workload/envs/research.tfvars").write_text('environment = "dev"\n')
    with pytest.raises(LzError, match="env 'research' already exists"):
        new_account(AccountRequest("research", "a@example.com", "dev"), repo)


def test_the_ou_list_is_the_organization_modules(repo):
    text = (REPO / "modules/organization/variables.tf").read_text()
    listed = re.search(r'contains\((\[[^\]]*"sandbox"[^\]]*\]), a\.ou\)', text)
    assert listed, "the accounts validation of modules/organization lists the OU keys"
    assert tuple(json.loads(listed.group(1))) == accounts.OUS


def test_cli_account_new(repo, monkeypatch, capsys):
    monkeypatch.setenv("GENAI_LZ_ROOT", str(repo))
    assert main(["account", "new", "--name", "research", "--email", "aws+research@example.com", "--ou", "sandbox"]) == 0
    err = capsys.readouterr().err
    assert "terraform/organization/accounts/research.json" in err and "make plan ENV=research" in err
    assert main(["account", "new", "--name", "research", "--email", "x@example.com", "--ou", "dev"]) == 2
    assert "already exists" in capsys.readouterr().err
