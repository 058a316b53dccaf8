"""The Terraform driver: every Terraform command the project runs goes through here.

It wraps python-terraform (0.10.1, whose helpers predate Terraform 1.x: `destroy` passes the
removed `-force` flag and `init` adds a `-var-file`), so only its generic `cmd` is used, with
`-input=false` and `-no-color` on every command and the output captured. A failing command
raises `ToolError` carrying Terraform's own error message; the full output is kept in
build/logs/.

Layout (paths relative to the repository):

* roots: terraform/<root>; tfvars: terraform/<root>/envs/<env>.tfvars
  (bootstrap: envs/<target>.tfvars; the offline target uses the aws tfvars)
* backends: terraform/backends/<target>/<organization|log-archive|audit|env>.hcl; the bootstrap root keeps
  its state locally in build/bootstrap/<target>/terraform.tfstate
* saved plans: build/<root>-<env>.tfplan and build/<root>-<env>.plan.json
* one TF_DATA_DIR per target/root/env under build/tf-data/, so switching env or target never
  re-initialises another one's backend
* the `offline` target (no AWS, no emulator) plans a copy of the root in build/offline-<root>/
  whose override file swaps the S3 backend for a local one.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from checks.errors import LzError, ToolError

MIN_TERRAFORM = (1, 9)
ROOTS = ("bootstrap", "organization", "log-archive", "audit", "workload")
# Roots that deploy to one account only: their one env (tfvars name) and backend file name.
SINGLE_ENV_ROOTS = {"organization": "management", "log-archive": "log-archive", "audit": "audit"}
TARGETS = ("local", "aws", "offline")
DEFAULT_MIRROR = Path("/opt/tf-plugins")

_ENV_LOCK = threading.Lock()


def repo_root() -> Path:
    """The repository: $GENAI_LZ_ROOT, else the folder that holds the `checks` package."""
    env = os.environ.get("GENAI_LZ_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


def build_dir() -> Path:
    return repo_root() / "build"


# --------------------------------------------------------------------------------------
# Terraform binary and CLI configuration
# --------------------------------------------------------------------------------------
def terraform_bin() -> str:
    found = shutil.which(os.environ.get("TERRAFORM", "terraform"))
    if not found:
        raise ToolError(
            "terraform is not on PATH: install Terraform >= %d.%d (https://developer.hashicorp.com/terraform/install)"
            % MIN_TERRAFORM
        )
    return found


def terraform_version(binary: str | None = None) -> tuple[int, int, int]:
    from python_terraform import IsFlagged, Terraform

    tf = Terraform(terraform_bin_path=binary or terraform_bin(), is_env_vars_included=True)
    code, out, err = tf.cmd("version", json=IsFlagged)
    if code != 0:
        raise ToolError(f"`terraform version` failed: {_first_error(err or out)}")
    try:
        text = json.loads(out)["terraform_version"]
    except (ValueError, KeyError) as exc:
        raise ToolError(f"cannot read the output of `terraform version -json`: {exc}") from exc
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        raise ToolError(f"unexpected Terraform version {text!r}")
    return tuple(int(p) for p in match.groups())  # type: ignore[return-value]


def ensure_terraform() -> tuple[int, int, int]:
    """Terraform >= 1.9 on PATH, or a ToolError that says what to install."""
    version = terraform_version()
    if version[:2] < MIN_TERRAFORM:
        raise ToolError(
            "terraform %s is too old: this project needs Terraform >= %d.%d"
            % (".".join(map(str, version)), *MIN_TERRAFORM)
        )
    return version


def plugin_mirror() -> Path | None:
    """TF_PLUGIN_MIRROR, else /opt/tf-plugins when it exists, else None (the registry)."""
    configured = os.environ.get("TF_PLUGIN_MIRROR")
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ToolError(f"TF_PLUGIN_MIRROR={configured} is not a directory")
        return path.resolve()
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None


def cli_config_text(mirror: Path | None) -> str:
    if mirror is None:
        return "# No provider mirror: providers come from the Terraform registry.\n"
    return (
        "# Written by genai-lz (checks/terraform.py); never edit, never in $HOME.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/*/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/*/*"]\n'
        "  }\n"
        "}\n"
    )


def write_cli_config(path: Path | None = None) -> Path:
    """Write build/terraform.rc (only when it changes) and point TF_CLI_CONFIG_FILE at it."""
    path = path or build_dir() / "terraform.rc"
    text = cli_config_text(plugin_mirror())
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
    os.environ["TF_CLI_CONFIG_FILE"] = str(path)
    return path


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------
_ERROR_RE = re.compile(r"^[\s│╷╵]*Error: (.+)$", re.MULTILINE)


def _first_error(text: str | None) -> str:
    """Terraform's own error: its summary and the first line of its explanation (the source
    snippet in between is skipped), or the last non-empty line when there is no "Error:"."""
    text = text or ""
    match = _ERROR_RE.search(text)
    if match:
        summary = match.group(1).strip()
        for raw in text[match.end():].splitlines():
            if raw.strip().startswith(("├", "│")):
                continue  # the values Terraform shows under the source snippet
            line = raw.strip().strip("╷╵").strip()
            if not line or line.startswith(("on ", "with ", "(")) or _SNIPPET_RE.match(line):
                continue
            if line.startswith("Error:"):
                break
            return f"{summary}: {line}"
        return summary
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"


_SNIPPET_RE = re.compile(r"^\d+:")

_LOCK_ERROR = "Error acquiring the state lock"
_LOCK_FIELD_RE = re.compile(r"^[\s│]*(ID|Path|Operation|Who|Version|Created|Info):[ \t]*(.*?)\s*$", re.MULTILINE)
_LOCK_TIMEOUT_RE = re.compile(r"\d+(ms|s|m|h)")


class StateLockError(ToolError):
    """Another operation holds the state lock: carries the holder's lock info (ID, Who,
    Operation, Created, Path) as Terraform printed it."""

    def __init__(self, message: str, lock: Mapping[str, str]) -> None:
        super().__init__(message)
        self.lock = dict(lock)


def lock_info(text: str | None) -> dict[str, str] | None:
    """The "Lock Info" block of Terraform's "Error acquiring the state lock", or None."""
    text = text or ""
    if _LOCK_ERROR not in text:
        return None
    tail = text[text.index(_LOCK_ERROR):]
    return {key: value for key, value in _LOCK_FIELD_RE.findall(tail) if value}


def lock_timeout() -> str:
    """How long plan/apply/destroy wait for the state lock: $LOCK_TIMEOUT, default 0s, so a
    second operation on the same state fails at once with the holder's lock info."""
    value = os.environ.get("LOCK_TIMEOUT", "").strip() or "0s"
    if not _LOCK_TIMEOUT_RE.fullmatch(value):
        raise LzError(f"LOCK_TIMEOUT={value!r} is not a duration such as 0s, 30s or 5m")
    return value


# --------------------------------------------------------------------------------------
# Working directories
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Workspace:
    """One root, one env, one target: everything a Terraform command needs to know."""

    root: str
    env: str
    target: str
    extra_env: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.root not in ROOTS:
            raise LzError(f"unknown root {self.root!r}: choose one of {', '.join(ROOTS)}")
        if self.target not in TARGETS:
            raise LzError(f"unknown target {self.target!r}: choose one of {', '.join(TARGETS)}")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.env):
            raise LzError(f"invalid env name {self.env!r}")
        if not self.var_file.is_file():
            raise LzError(f"{self.var_file.relative_to(repo_root())} does not exist: unknown env {self.env!r} for root {self.root}")

    # paths ------------------------------------------------------------------------------
    @property
    def source_dir(self) -> Path:
        return repo_root() / "terraform" / self.root

    @property
    def work_dir(self) -> Path:
        """Where Terraform runs: the root itself, or its offline copy (same depth, so
        ../../modules still resolves to the repository's modules)."""
        if self.target == "offline" and self.root != "bootstrap":
            return build_dir() / f"offline-{self.root}"
        return self.source_dir

    @property
    def var_file(self) -> Path:
        if self.root == "bootstrap":
            name = "aws" if self.target == "offline" else self.target
        else:
            name = self.env
        return self.source_dir / "envs" / f"{name}.tfvars"

    @property
    def backend_name(self) -> str:
        return self.root if self.root in SINGLE_ENV_ROOTS else self.env

    @property
    def backend_file(self) -> Path | None:
        if self.root == "bootstrap" or self.target == "offline":
            return None
        return repo_root() / "terraform" / "backends" / self.target / f"{self.backend_name}.hcl"

    @property
    def bootstrap_state(self) -> Path:
        return build_dir() / "bootstrap" / self.target / "terraform.tfstate"

    @property
    def data_dir(self) -> Path:
        return build_dir() / "tf-data" / self.target / f"{self.root}-{self.env}"

    @property
    def label(self) -> str:
        return f"{self.root}/{self.env}"

    def plan_file(self, suffix: str = "") -> Path:
        return build_dir() / f"{self.root}-{self.env}{suffix}.tfplan"

    def plan_json(self, suffix: str = "") -> Path:
        return build_dir() / f"{self.root}-{self.env}{suffix}.plan.json"

    @property
    def base_vars(self) -> dict[str, str]:
        return {"offline_plan": "true"} if self.target == "offline" else {}


def _sync_offline_copy(ws: Workspace) -> None:
    """Mirror the root's *.tf files into build/offline-<root>/ by symlink and add the
    override that replaces the S3 backend by a local one (nothing is ever written to it:
    offline runs only plan)."""
    dest = ws.work_dir
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in ws.source_dir.glob("*.tf")}
    for existing in dest.glob("*.tf"):
        if existing.is_symlink() and existing.name not in wanted:
            existing.unlink()
    for name in wanted:
        link = dest / name
        target = ws.source_dir / name
        if not (link.is_symlink() and Path(os.readlink(link)) == target):
            if link.exists() or link.is_symlink():
                link.unlink()
            link.symlink_to(target)
    override = dest / "zz_offline_backend_override.tf"
    text = (
        "# Written by genai-lz for offline plans only: local state instead of the S3 backend.\n"
        'terraform {\n  backend "local" {\n'
        f'    path = "{build_dir() / "offline-state" / (ws.root + "-" + ws.env + ".tfstate")}"\n'
        "  }\n}\n"
    )
    if not override.exists() or override.read_text() != text:
        override.write_text(text)


# --------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------
@contextlib.contextmanager
def _environment(overrides: Mapping[str, str | None]) -> Iterator[None]:
    """python-terraform passes os.environ to Terraform: set the overrides for one call."""
    from checks.environ import overridden

    with _ENV_LOCK, overridden(overrides):
        yield


@dataclass
class Result:
    code: int
    out: str
    err: str


class TerraformRunner:
    """Runs Terraform commands for one Workspace through python-terraform."""

    def __init__(self, ws: Workspace, aws_env: Mapping[str, str | None] | None = None) -> None:
        self.ws = ws
        self.aws_env = dict(aws_env or {})
        self.binary = terraform_bin()
        self.log_dir = build_dir() / "logs"

    # low level ---------------------------------------------------------------------------
    def _env(self) -> dict[str, str | None]:
        env: dict[str, str | None] = {
            "TF_DATA_DIR": str(self.ws.data_dir),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }
        if "TF_CLI_CONFIG_FILE" not in os.environ:
            env["TF_CLI_CONFIG_FILE"] = str(write_cli_config())
        env.update(self.aws_env)
        env.update(self.ws.extra_env)
        return env

    def run(self, command: str, *args: str, ok_codes: Sequence[int] = (0,), **options: object) -> Result:
        from python_terraform import Terraform

        if self.ws.target == "offline" and self.ws.root != "bootstrap":
            _sync_offline_copy(self.ws)
        self.ws.data_dir.mkdir(parents=True, exist_ok=True)
        tf = Terraform(working_dir=str(self.ws.work_dir), terraform_bin_path=self.binary)
        opts: dict[str, object] = {"no_color": _flag()}
        if command not in ("show", "output", "version", "fmt", "state list", "providers", "force-unlock"):
            opts["input"] = False
        opts.update(options)
        log_path = self._log_path(command)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with _environment(self._env()):
            if command in _STREAMED:
                code, out, err = _run_streamed(tf, log_path, command, *args, **opts)
            else:
                code, out, err = tf.cmd(command, *args, **opts)
                out, err = out or "", err or ""
                log_path.write_text(out + ("\n--- stderr ---\n" + err if err else ""))
        if code not in ok_codes:
            where = f"terraform {command} ({self.ws.label}, target {self.ws.target}) failed"
            log = f"[full output: {_display(self._log_path(command))}]"
            lock = lock_info(err or out)
            if lock is not None:
                raise StateLockError(
                    f"{where}: the state is locked by {lock.get('Who', 'an unknown holder')} "
                    f"(lock ID {lock.get('ID', '?')}, operation {lock.get('Operation', '?')}, "
                    f"since {lock.get('Created', '?')}): wait for it to finish, or when that operation died, "
                    f"release it with `make unlock{'' if self.ws.root == 'workload' else ' ROOT=' + self.ws.root}"
                    f" ENV={self.ws.env} LOCK_ID={lock.get('ID', '<id>')}` {log}",
                    lock,
                )
            raise ToolError(f"{where}: {_first_error(err or out)} {log}")
        return Result(code, out, err)

    def environment(self) -> dict[str, str]:
        """The complete process environment Terraform runs with (for a subprocess that
        must be signalled directly, e.g. a test that kills an apply)."""
        merged = {**os.environ, **self._env()}
        return {k: v for k, v in merged.items() if v is not None}

    def _log_path(self, command: str) -> Path:
        safe = command.replace(" ", "-")
        return self.log_dir / f"{self.ws.target}-{self.ws.root}-{self.ws.env}-{safe}.log"


    # commands ----------------------------------------------------------------------------
    def init(self, upgrade: bool = False) -> Result:
        opts: dict[str, object] = {"reconfigure": _flag()}
        if upgrade:
            opts["upgrade"] = _flag()
        if self.ws.root == "bootstrap":
            self.ws.bootstrap_state.parent.mkdir(parents=True, exist_ok=True)
            opts["backend_config"] = [f"path={self.ws.bootstrap_state}"]
        elif self.ws.backend_file is not None:
            if not self.ws.backend_file.is_file():
                raise LzError(f"backend configuration {self.ws.backend_file.relative_to(repo_root())} is missing: run the bootstrap first")
            opts["backend_config"] = [str(self.ws.backend_file)]
        return self.run("init", **opts)

    def plan(self, out: Path, extra_vars: Mapping[str, str] | None = None, destroy: bool = False,
             refresh_only: bool = False, detailed_exitcode: bool = False) -> Result:
        variables = {**self.ws.base_vars, **(extra_vars or {})}
        opts: dict[str, object] = {
            "var_file": [str(self.ws.var_file)],
            "var": [f"{k}={v}" for k, v in variables.items()],
            "out": str(out),
            "lock_timeout": lock_timeout(),
        }
        if destroy:
            opts["destroy"] = _flag()
        if refresh_only:
            opts["refresh_only"] = _flag()
        if detailed_exitcode:
            opts["detailed_exitcode"] = _flag()
        out.parent.mkdir(parents=True, exist_ok=True)
        return self.run("plan", ok_codes=(0, 2) if detailed_exitcode else (0,), **opts)

    def show_json(self, plan_file: Path) -> dict:
        result = self.run("show", str(plan_file), json=_flag())
        try:
            return json.loads(result.out)
        except ValueError as exc:
            raise ToolError(f"terraform show -json {plan_file.name} did not return JSON: {exc}") from exc

    def write_plan_json(self, plan_file: Path, json_file: Path) -> dict:
        data = self.show_json(plan_file)
        tmp = json_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        tmp.replace(json_file)
        return data

    def apply(self, plan_file: Path) -> Result:
        if not plan_file.is_file():
            raise LzError(f"no saved plan {plan_file.relative_to(repo_root())}: run `make plan` first (apply only applies a reviewed plan)")
        return self.run("apply", str(plan_file), lock_timeout=lock_timeout())

    def destroy(self, extra_vars: Mapping[str, str] | None = None) -> Result:
        variables = {**self.ws.base_vars, **(extra_vars or {})}
        return self.run(
            "destroy",
            auto_approve=_flag(),
            var_file=[str(self.ws.var_file)],
            var=[f"{k}={v}" for k, v in variables.items()],
            lock_timeout=lock_timeout(),
        )

    def force_unlock(self, lock_id: str) -> Result:
        """`terraform force-unlock -force LOCK_ID`: release a lock left by a dead operation."""
        if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", lock_id):
            raise LzError(f"{lock_id!r} is not a Terraform lock ID (the ID line of the lock error)")
        return self.run("force-unlock", lock_id, force=_flag())

    def output_json(self) -> dict:
        result = self.run("output", json=_flag())
        return {k: v.get("value") for k, v in json.loads(result.out or "{}").items()}

    def state_list(self) -> list[str]:
        result = self.run("state list", ok_codes=(0, 1))
        return [ln for ln in result.out.splitlines() if ln.strip()] if result.code == 0 else []


# Long-running commands write their output to the log as they run (a killed or hanging
# apply leaves a readable log behind); the others are captured.
_STREAMED = ("init", "plan", "apply", "destroy")


def _run_streamed(tf, log_path: Path, command: str, *args: str, **opts: object) -> tuple[int, str, str]:
    """python-terraform hands sys.stdout/sys.stderr to Terraform when capture_output is
    off: point both at the log file for the duration of the call."""
    import sys

    with open(log_path, "w") as log:
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = log
        try:
            code, _, _ = tf.cmd(command, *args, capture_output=False, **opts)
        finally:
            sys.stdout, sys.stderr = saved
    text = log_path.read_text(errors="replace")
    return code, text, text


def _flag() -> object:
    from python_terraform import IsFlagged

    return IsFlagged


def planned_addresses(plan: dict) -> list[str]:
    """Addresses of the managed resources a plan creates, updates or replaces."""
    out = []
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change.get("change", {}).get("actions", [])
        if any(a in ("create", "update", "delete") for a in actions) or actions == ["no-op"]:
            out.append(change["address"])
    return sorted(out)


def resource_count(plan: dict) -> int:
    """Managed resources in the plan's planned state (what the plan ends with)."""
    count = 0

    def walk(module: dict) -> None:
        nonlocal count
        count += sum(1 for r in module.get("resources", []) if r.get("mode") == "managed")
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan.get("planned_values", {}).get("root_module", {}))
    return count


def module_dirs() -> list[Path]:
    return sorted(p for p in (repo_root() / "modules").iterdir() if (p / "versions.tf").is_file() or list(p.glob("*.tf")))


def check_dirs() -> list[Path]:
    """Every module and every root: what `make validate` validates."""
    roots = [repo_root() / "terraform" / r for r in ROOTS]
    return module_dirs() + roots


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(repo_root()))
    except ValueError:
        return str(path)


class DirRunner:
    """Terraform commands in a plain directory (module validate/test, fmt)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.binary = terraform_bin()
        rel = directory.resolve().relative_to(repo_root()).as_posix().replace("/", "-")
        self.data_dir = build_dir() / "tf-data" / "check" / rel

    def run(self, command: str, *args: str, ok_codes: Sequence[int] = (0,), **options: object) -> Result:
        from python_terraform import Terraform

        tf = Terraform(working_dir=str(self.dir), terraform_bin_path=self.binary)
        opts: dict[str, object] = {"no_color": _flag()}
        opts.update(options)
        env = {"TF_DATA_DIR": str(self.data_dir), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
               "AWS_ACCESS_KEY_ID": "offline", "AWS_SECRET_ACCESS_KEY": "offline", "AWS_REGION": "us-east-1",
               "AWS_EC2_METADATA_DISABLED": "true"}
        if "TF_CLI_CONFIG_FILE" not in os.environ:
            env["TF_CLI_CONFIG_FILE"] = str(write_cli_config())
        with _environment(env):
            code, out, err = tf.cmd(command, *args, **opts)
        out, err = out or "", err or ""
        if code not in ok_codes:
            rel = self.dir.resolve().relative_to(repo_root())
            raise ToolError(f"terraform {command} in {rel} failed: {_first_error(err or out)}")
        return Result(code, out, err)

    def init(self) -> Result:
        return self.run("init", backend=False, input=False)
