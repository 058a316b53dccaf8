"""Account vending: one new workload account = one file in the organization root plus one env.

`genai-lz account new --name research --email aws+research@example.com --ou dev` writes

* terraform/organization/accounts/<name>.json   the member account (read by the organization
                                                 root with fileset + jsondecode: no HCL edit)
* terraform/workload/envs/<name>.tfvars          the workload env, from the dev (or prod) env
* terraform/backends/<target>/<name>.hcl         its state key, for every target with a backend

after validating everything first (name pattern and reserved names, e-mail format, OU,
duplicates), so nothing is written half-way. Then `make plan ROOT=organization` plans the
account and `make plan ENV=<name>` the workload.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from checks.errors import LzError
from checks.ops.workspace import ROOTS, SINGLE_ENV_ROOTS, repo_root

# The OU keys modules/organization creates (variable "accounts" validates the same list).
OUS = ("security", "infrastructure", "workloads", "dev", "prod", "sandbox")
# Workload environments (terraform/workload variable "environment"); an account takes the
# sizing and guard-rails of prod when it sits in the Prod OU, of dev otherwise.
PROD_OUS = ("prod",)
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
ACCOUNT_ID_RE = re.compile(r"^[0-9]{12}$")
# Until the organization apply creates the account its id is unknown: the env plans offline
# with this placeholder and cannot be applied (no role to assume in account 000000000000).
PLACEHOLDER_ACCOUNT_ID = "000000000000"
# Names that would collide with the single-account roots' envs and backend files.
RESERVED = frozenset(ROOTS) | frozenset(SINGLE_ENV_ROOTS.values()) | {"shared"}


@dataclass(frozen=True)
class AccountRequest:
    name: str
    email: str
    ou: str
    account_id: str | None = None


@dataclass(frozen=True)
class VendedAccount:
    account_file: Path
    env_file: Path
    backend_files: tuple[Path, ...]
    environment: str
    account_id: str


def accounts_dir(root: Path | None = None) -> Path:
    return (root or repo_root()) / "terraform" / "organization" / "accounts"


def envs_dir(root: Path | None = None) -> Path:
    return (root or repo_root()) / "terraform" / "workload" / "envs"


def existing_accounts(root: Path | None = None) -> dict[str, dict]:
    """The member accounts of accounts/*.json, by key."""
    found: dict[str, dict] = {}
    for path in sorted(accounts_dir(root).glob("*.json")):
        try:
            found[path.stem] = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise LzError(f"{path}: not a readable account file ({exc}): fix or remove it first") from None
    return found


def validate(request: AccountRequest, root: Path | None = None) -> AccountRequest:
    """The request with a normalised e-mail, or LzError naming what to change."""
    if not NAME_RE.fullmatch(request.name):
        raise LzError(f"account name {request.name!r} is invalid: use 3-32 lowercase letters, digits or hyphens, "
                      "starting with a letter and not ending with a hyphen (it names the env and its state)")
    if request.name in RESERVED:
        raise LzError(f"account name {request.name!r} is reserved ({', '.join(sorted(RESERVED))}): choose another")
    if request.ou not in OUS:
        raise LzError(f"OU {request.ou!r} does not exist: choose one of {', '.join(OUS)}")
    if request.account_id is not None and not ACCOUNT_ID_RE.fullmatch(request.account_id):
        raise LzError(f"account id {request.account_id!r} is not 12 digits")
    try:
        email = validate_email(request.email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise LzError(f"e-mail {request.email!r} is invalid: {exc}") from None
    accounts = existing_accounts(root)
    if request.name in accounts:
        raise LzError(f"account {request.name!r} already exists ({accounts_dir(root) / (request.name + '.json')})")
    env_file = envs_dir(root) / f"{request.name}.tfvars"
    if env_file.exists():
        raise LzError(f"env {request.name!r} already exists ({env_file}): choose another name")
    for key, account in accounts.items():
        if str(account.get("email", "")).lower() == email.lower():
            raise LzError(f"e-mail {email} is already the root e-mail of account {key!r}: every account needs its own")
    return AccountRequest(request.name, email, request.ou, request.account_id)


def _used_cidr_octets(root: Path | None) -> set[int]:
    used = set()
    for path in envs_dir(root).glob("*.tfvars"):
        match = re.search(r'^vpc_cidr\s*=\s*"10\.(\d+)\.0\.0/16"', path.read_text(), re.MULTILINE)
        if match:
            used.add(int(match.group(1)))
    return used


def _free_cidr(root: Path | None) -> str:
    used = _used_cidr_octets(root)
    for octet in range(10, 250, 10):
        if octet not in used:
            return f"10.{octet}.0.0/16"
    for octet in range(1, 255):
        if octet not in used:
            return f"10.{octet}.0.0/16"
    raise LzError("no free 10.x.0.0/16 VPC range left among the workload envs: set vpc_cidr by hand")


def render_env(request: AccountRequest, template: str, cidr: str) -> str:
    """The workload env of the new account, from the dev or prod env: its own account id,
    VPC range and header; sizes, models and guard-rails as the template's."""
    account_id = request.account_id or PLACEHOLDER_ACCOUNT_ID
    body = re.sub(r'^account_id\s*=.*$', f'account_id  = "{account_id}"', template, count=1, flags=re.MULTILINE)
    body = re.sub(r'^vpc_cidr\s*=.*$', f'vpc_cidr    = "{cidr}"', body, count=1, flags=re.MULTILINE)
    lines = body.splitlines()
    while lines and lines[0].startswith("#"):  # the template's own header
        lines.pop(0)
    body = "\n".join(lines)
    header = [f"# Workload account {request.name!r} (OU {request.ou}), written by `genai-lz account new`."]
    if request.account_id is None:
        header.append("# account_id is a placeholder until `make apply ROOT=organization` creates the account: set it")
        header.append(f'# from `make output ROOT=organization` (account_ids["{request.name}"]).')
    return "\n".join(header) + "\n" + body.lstrip("\n") + ("" if body.endswith("\n") else "\n")


def _backend_text(template: str, name: str) -> str:
    return re.sub(r'^key\s*=.*$', f'key          = "workload/{name}/terraform.tfstate"', template, count=1, flags=re.MULTILINE)


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet (atomic: a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        if path.exists():
            raise LzError(f"{path} appeared while writing: nothing changed")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def new_account(request: AccountRequest, root: Path | None = None) -> VendedAccount:
    """Validate, then write the account file, the workload env and its backend files."""
    request = validate(request, root)
    base = root or repo_root()
    environment = "prod" if request.ou in PROD_OUS else "dev"
    template_file = envs_dir(root) / f"{environment}.tfvars"
    if not template_file.is_file():
        raise LzError(f"{template_file} is missing: the new env is made from the {environment} env")
    env_text = render_env(request, template_file.read_text(), _free_cidr(root))
    account = {"email": request.email, "ou": request.ou, "tags": {"environment": environment}}
    backends = []
    for org_backend in sorted((base / "terraform" / "backends").glob("*/organization.hcl")):
        backends.append((org_backend.parent / f"{request.name}.hcl", _backend_text(org_backend.read_text(), request.name)))
    if any(path.exists() for path, _ in backends):
        raise LzError(f"a backend file for {request.name!r} already exists under terraform/backends/: choose another name")

    written: list[Path] = []
    try:
        for path, text in [(accounts_dir(root) / f"{request.name}.json", json.dumps(account, indent=2) + "\n"),
                           (envs_dir(root) / f"{request.name}.tfvars", env_text), *backends]:
            _write_new(path, text)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return VendedAccount(written[0], written[1], tuple(written[2:]), environment, request.account_id or PLACEHOLDER_ACCOUNT_ID)
