"""Where everything is: the repository, the roots and their envs, and one Workspace per
(root, env, target) that owns every path an operation reads or writes.

Layout (relative to the repository):

* roots: terraform/<root>; tfvars: terraform/<root>/envs/<env>.tfvars
* which env belongs to which root (:func:`default_env`, written here only): the workload
  has one env per tfvars file (default dev); the organization has one, ``management``,
  log-archive and audit one each, named after the root;
  the bootstrap's env is its target (``aws`` for offline plans)
* backends: terraform/backends/<target>/<organization|log-archive|audit|env>.hcl; the bootstrap root keeps
  its state locally in build/bootstrap/<target>/terraform.tfstate
* per workspace, named ``<root>-<env>`` (:attr:`Workspace.name`, the one place this
  pattern is written): build/<name>.tfplan, build/<name>.plan.json, reports/<name>/,
  build/tf-data/<target>/<name>/ (one TF_DATA_DIR each, so switching env or target never
  re-initialises another one's backend), build/offline-state/<name>.tfstate
* the ``offline`` target plans a copy of the root in build/offline-<root>/ whose override
  file swaps the S3 backend for a local one
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from checks.errors import LzError

ROOTS = ("bootstrap", "organization", "log-archive", "audit", "workload")
TARGETS = ("local", "aws", "offline")
ORGANIZATION_ENV = "management"
# Roots that deploy to one account only: their one env (tfvars name), which is also the name
# of their backend file and state key prefix.
SINGLE_ENV_ROOTS = {"organization": ORGANIZATION_ENV, "log-archive": "log-archive", "audit": "audit"}
DEFAULT_WORKLOAD_ENV = "dev"


def repo_root() -> Path:
    """The repository: $GENAI_LZ_ROOT, else the folder that holds the `checks` package."""
    env = os.environ.get("GENAI_LZ_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


def build_dir() -> Path:
    return repo_root() / "build"


# What genai-lz keeps under build/ besides the workspaces' own files.
BUILD_PATHS = {
    "cli-config": "terraform.rc",  # the Terraform CLI configuration (provider mirror; never in $HOME)
    "logs": "logs",                # one log per workspace and command
    "errored": "errored",          # states Terraform could not save (errored.tfstate), kept by the demo
    "emulator": "emulator",        # the emulator's pid/port record and its log
}


def build_path(name: str) -> Path:
    """build/<BUILD_PATHS[name]>."""
    return build_dir() / BUILD_PATHS[name]


def display(path: Path) -> str:
    """``path`` relative to the repository when it is inside it (for messages)."""
    try:
        return str(path.relative_to(repo_root()))
    except ValueError:
        return str(path)


def envs(root: str) -> list[str]:
    """The envs of a root: the names of its envs/*.tfvars."""
    return sorted(p.stem for p in (repo_root() / "terraform" / root / "envs").glob("*.tfvars"))


def default_env(root: str, env: str | None, target: str) -> str:
    """The env of ``root``: the one given (the workload's default: dev); the organization
    has one env, ``management``; the bootstrap's env is its target (aws for offline)."""
    fixed = {**SINGLE_ENV_ROOTS, "bootstrap": "aws" if target == "offline" else target}.get(root)
    if fixed is not None:
        if env not in (None, "", fixed):
            raise LzError(f"the {root} root has one env here, {fixed}: leave ENV out (got {env!r})")
        return fixed
    return env or DEFAULT_WORKLOAD_ENV


@dataclass(frozen=True)
class Workspace:
    """One root, one env, one target, and every path a Terraform operation, a check or a
    report of them uses."""

    root: str
    env: str
    target: str

    def __post_init__(self) -> None:
        if self.root not in ROOTS:
            raise LzError(f"unknown root {self.root!r}: choose one of {', '.join(ROOTS)}")
        if self.target not in TARGETS:
            raise LzError(f"unknown target {self.target!r}: choose one of {', '.join(TARGETS)}")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.env):
            raise LzError(f"invalid env name {self.env!r}")
        if not self.var_file.is_file():
            known = envs(self.root)
            choose = f"choose ENV={' | '.join(known)}" if known else "it has no envs/*.tfvars"
            raise LzError(f"unknown env {self.env!r} for root {self.root} (no {display(self.var_file)}): {choose}"
                          + (" (or add the account with `make new-account`)" if self.root == "workload" else ""))

    @classmethod
    def of(cls, root: str, env: str | None, target: str) -> "Workspace":
        """The workspace of ``root`` with ``env`` or the root's default env."""
        return cls(root, default_env(root, env, target), target)

    # names ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """``<root>-<env>``: the name of its plan files, report folder and data dir."""
        return f"{self.root}-{self.env}"

    @property
    def label(self) -> str:
        return f"{self.root}/{self.env}"

    # configuration ----------------------------------------------------------------------
    @property
    def source_dir(self) -> Path:
        return repo_root() / "terraform" / self.root

    @property
    def work_dir(self) -> Path:
        """Where Terraform runs: the root itself, or its offline copy (same depth, so
        ../../modules still resolves to the repository's modules)."""
        if self.offline_copy:
            return build_dir() / f"offline-{self.root}"
        return self.source_dir

    @property
    def offline_copy(self) -> bool:
        return self.target == "offline" and self.root != "bootstrap"

    @property
    def var_file(self) -> Path:
        name = ("aws" if self.target == "offline" else self.target) if self.root == "bootstrap" else self.env
        return self.source_dir / "envs" / f"{name}.tfvars"

    @property
    def account_id(self) -> str | None:
        """The account it deploys to: ``account_id`` (``management_account_id`` for the
        organization) in its tfvars; None when neither is set."""
        text = self.var_file.read_text(encoding="utf-8") if self.var_file.is_file() else ""
        for name in ("account_id", "management_account_id"):
            match = re.search(rf'^\s*{name}\s*=\s*"(\d{{12}})"', text, re.MULTILINE)
            if match:
                return match.group(1)
        return None

    def evidence(self) -> dict[str, str]:
        """What a report records about the workspace (evidence.workspace)."""
        recorded = {"name": self.name, "root": self.root, "env": self.env}
        account = self.account_id
        return recorded | ({"account_id": account} if account else {})

    @property
    def base_vars(self) -> dict[str, str]:
        return {"offline_plan": "true"} if self.target == "offline" else {}

    # state ------------------------------------------------------------------------------
    @property
    def backends_dir(self) -> Path:
        return repo_root() / "terraform" / "backends" / self.target

    @property
    def backend_file(self) -> Path | None:
        if self.root == "bootstrap" or self.target == "offline":
            return None
        return self.backends_dir / f"{self.root if self.root in SINGLE_ENV_ROOTS else self.env}.hcl"

    @property
    def bootstrap_state(self) -> Path:
        return build_dir() / "bootstrap" / self.target / "terraform.tfstate"

    @property
    def offline_state(self) -> Path:
        return build_dir() / "offline-state" / f"{self.name}.tfstate"

    @property
    def errored_state(self) -> Path:
        """Where Terraform leaves the state it could not save."""
        return self.work_dir / "errored.tfstate"

    @property
    def state_key(self) -> str:
        """The key of its state object in the state bucket (terraform/backends/<target>/*.hcl)."""
        if self.root in SINGLE_ENV_ROOTS:
            return f"{self.root}/terraform.tfstate"
        return f"{self.root}/{self.env}/terraform.tfstate"

    @property
    def data_dir(self) -> Path:
        return build_dir() / "tf-data" / self.target / self.name

    # outputs ----------------------------------------------------------------------------
    def plan_file(self, suffix: str = "") -> Path:
        return build_dir() / f"{self.name}{suffix}.tfplan"

    def plan_json(self, suffix: str = "") -> Path:
        return build_dir() / f"{self.name}{suffix}.plan.json"

    @property
    def lock_file(self) -> Path:
        """The dependency lock file `terraform init` writes: the provider versions that ran."""
        return self.work_dir / ".terraform.lock.hcl"

    def plan_text(self) -> Path:
        """The human-readable plan (`terraform show`) next to the JSON: what to review."""
        return build_dir() / f"{self.name}.plan.txt"

    @property
    def report_dir(self) -> Path:
        return repo_root() / "reports" / self.name

    def log_file(self, command: str) -> Path:
        return build_path("logs") / f"{self.target}-{self.name}-{command.replace(' ', '-')}.log"

    def paths(self) -> dict[str, Path]:
        """The paths a Makefile or a user may ask for (`genai-lz tf path NAME`)."""
        return {"plan-file": self.plan_file(), "plan-json": self.plan_json(), "plan-text": self.plan_text(),
                "reports": self.report_dir,
                "work-dir": self.work_dir, "var-file": self.var_file, "data-dir": self.data_dir}
