"""The Terraform driver: every Terraform command the project runs goes through here.

Paths (roots, tfvars, backends, saved plans, data dirs) belong to
:class:`checks.ops.workspace.Workspace`; this module runs commands for one workspace.

The seam to python-terraform (0.10.1, a required package) is :class:`TerraformCli`: it
asks python-terraform for the command line only (``Terraform.generate_cmd_string``, its
option syntax: ``no_color=IsFlagged`` -> ``-no-color``, lists -> repeated options) and
starts the process itself, with the environment given for that call and the output
captured or streamed straight into the command's log file. Nothing else of the library is
called, because nothing else can be called cleanly:

* ``Terraform.cmd`` hands Terraform the whole ``os.environ`` (no environment per call:
  changing it means changing the process's global state under a lock), writes to
  ``sys.stdout``/``sys.stderr`` when not capturing (streaming would mean swapping them),
  and logs failures with the deprecated ``Logger.warn`` (a DeprecationWarning);
* its ``init``/``plan``/``apply``/``destroy`` helpers predate Terraform 1.x (``destroy``
  passes the removed ``-force``, ``init`` adds a ``-var-file``, ``plan`` always adds
  ``-detailed-exitcode``), and ``output`` parses the JSON itself;
* map-valued options become temporary var files; the driver passes ``-var`` lists only.

Every command gets ``-no-color`` (and ``-input=false`` where Terraform takes it); the
output is kept in build/logs/; a failing command raises ``ToolError`` carrying
Terraform's own error message (``StateLockError`` with the holder's lock info when the
state is locked).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from checks.errors import LzError, ToolError
from checks.files import write_atomic
from checks.ops import workspace
from checks.ops.workspace import Workspace, display

__all__ = ["MIN_TERRAFORM", "CommandTimeout", "StateLockError", "TerraformCli", "TerraformRunner", "ensure_terraform", "first_error",
           "flag", "local_timeout", "lock_info", "locked_providers", "lock_timeout", "planned_addresses", "resource_count", "terraform_bin",
           "terraform_version", "write_cli_config"]

MIN_TERRAFORM = (1, 9)
DEFAULT_MIRROR = Path("/opt/tf-plugins")


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
    cli = TerraformCli(binary)
    code, out, err = cli.run(cli.argv("version", json=flag()), env=os.environ)
    if code != 0:
        raise ToolError(f"`terraform version` failed: {first_error(err or out)}")
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
        "# Written by genai-lz (checks/ops/terraform.py); never edit, never in $HOME.\n"
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
    """Write build/terraform.rc (only when it changes); every Terraform command runs with
    TF_CLI_CONFIG_FILE pointing at it."""
    path = path or workspace.build_path("cli-config")
    text = cli_config_text(plugin_mirror())
    if not path.exists() or path.read_text() != text:
        write_atomic(path, text)
    return path


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------
_ERROR_RE = re.compile(r"^[\s│╷╵]*Error: (.+)$", re.MULTILINE)


def first_error(text: str | None) -> str:
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
# The seam to python-terraform
# --------------------------------------------------------------------------------------
def flag() -> Any:
    """python-terraform's marker of a bare flag (``-json``, ``-no-color``)."""
    from python_terraform import IsFlagged

    return IsFlagged


class TerraformCli:
    """One Terraform binary: command lines from python-terraform, processes run here with
    an explicit environment per call (see the module docstring for why)."""

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or terraform_bin()

    def argv(self, command: str, *args: str, **options: Any) -> list[str]:
        """``terraform <command> <options> <args>`` in python-terraform's option syntax."""
        from python_terraform import Terraform

        if any(isinstance(v, dict) for v in options.values()):
            raise ValueError("map-valued options become temporary var files in python-terraform: pass -var lists")
        builder = Terraform(working_dir=os.devnull, terraform_bin_path=self.binary)  # reads no state file
        return [str(part) for part in builder.generate_cmd_string(command, *args, **options)]

    @staticmethod
    def run(argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None,
            log: Path | None = None, stream: bool = False, timeout: float | None = None) -> tuple[int, str, str]:
        """Run ``argv`` with exactly ``env``; return (exit code, stdout, stderr).

        ``stream``: stdout and stderr go into ``log`` as Terraform writes them (a killed or
        hanging apply leaves a readable log) and both returned texts are that log.
        Otherwise they are captured, and written to ``log`` when given.
        ``timeout`` (streamed only): after that many seconds Terraform is interrupted (SIGINT:
        it stops, saves its state and releases the lock), killed when it does not stop within
        :data:`INTERRUPT_GRACE` s, and :class:`CommandTimeout` is raised with the log's text.
        """
        if stream:
            if log is None:
                raise ValueError("a streamed command needs a log file")
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "wb") as handle:
                child = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                         stdout=handle, stderr=subprocess.STDOUT)
                code = _wait(child, timeout)
            text = log.read_text(errors="replace")
            if code is None:
                raise CommandTimeout(text)
            return code, text, text
        proc = subprocess.run(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                              capture_output=True, check=False)
        out, err = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace")
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(out + ("\n--- stderr ---\n" + err if err else ""))
        return proc.returncode, out, err


INTERRUPT_GRACE = 60.0


class CommandTimeout(Exception):
    """A streamed command ran out of time; ``output`` is what it wrote."""

    def __init__(self, output: str) -> None:
        super().__init__("timed out")
        self.output = output


def _interrupt(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` as Ctrl-C would (Terraform then releases its state lock), killing it when
    it has not stopped within INTERRUPT_GRACE s."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=INTERRUPT_GRACE)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> int | None:
    """The exit code of ``proc``, or None when it had to be stopped after ``timeout`` s."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    except KeyboardInterrupt:
        _interrupt(proc)
        raise
    _interrupt(proc)
    return None


_LOCAL_TIMEOUT_DEFAULT = 300


def local_timeout() -> float:
    """How long one Terraform command may run against the emulator (TARGET=local):
    $LOCAL_TIMEOUT seconds, default 300. An emulator that does not implement an action
    can make the provider wait forever; this turns that into an error naming the log."""
    value = os.environ.get("LOCAL_TIMEOUT", "").strip() or str(_LOCAL_TIMEOUT_DEFAULT)
    if not value.isdigit() or int(value) == 0:
        raise LzError(f"LOCAL_TIMEOUT={value!r} is not a number of seconds such as 300")
    return float(value)


# --------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------
@dataclass
class Result:
    code: int
    out: str
    err: str


# Long-running commands write their output to the log as they run; the others are captured.
STREAMED = ("init", "plan", "apply", "destroy")
# Commands that take no -input option.
NO_INPUT_OPTION = ("show", "output", "version", "fmt", "state list", "providers", "force-unlock")


class TerraformRunner:
    """Runs Terraform commands for one Workspace, with the target's AWS environment."""

    def __init__(self, ws: Workspace, aws_env: Mapping[str, str | None] | None = None) -> None:
        self.ws = ws
        self.aws_env = dict(aws_env or {})
        self.cli = TerraformCli()

    # low level ---------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The complete process environment Terraform runs with: the caller's, the
        Terraform settings of this workspace and the target's AWS environment (None unsets)."""
        overrides: dict[str, str | None] = {
            "TF_DATA_DIR": str(self.ws.data_dir),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "TF_CLI_CONFIG_FILE": str(write_cli_config()),  # ours (the provider mirror), never the user's
        }
        overrides.update(self.aws_env)
        merged: dict[str, str | None] = {**os.environ, **overrides}
        return {k: v for k, v in merged.items() if v is not None}

    def run(self, command: str, *args: str, ok_codes: Sequence[int] = (0,), **options: Any) -> Result:
        if self.ws.offline_copy:
            _sync_offline_copy(self.ws)
        self.ws.data_dir.mkdir(parents=True, exist_ok=True)
        opts: dict[str, Any] = {"no_color": flag()}
        if command not in NO_INPUT_OPTION:
            opts["input"] = False
        opts.update(options)
        log_path = self.ws.log_file(command)
        log = f"[full output: {display(log_path)}]"
        timeout = local_timeout() if self.ws.target == "local" and command in STREAMED else None
        try:
            code, out, err = self.cli.run(self.cli.argv(command, *args, **opts), self.environment(),
                                          cwd=self.ws.work_dir, log=log_path, stream=command in STREAMED,
                                          timeout=timeout)
        except CommandTimeout as exc:
            raise ToolError(
                f"terraform {command} ({self.ws.label}, target local) did not finish within {timeout:.0f}s and was "
                f"stopped: the emulator probably does not implement an action it waits for "
                f"({_last_resource_line(exc.output)}); add its resource type to checks/ops/emulator.py UNSUPPORTED, "
                f"or raise LOCAL_TIMEOUT (seconds) {log}") from None
        if code not in ok_codes:
            where = f"terraform {command} ({self.ws.label}, target {self.ws.target}) failed"
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
            raise ToolError(f"{where}: {first_error(err or out)} {log}")
        return Result(code, out, err)

    # commands ----------------------------------------------------------------------------
    def init(self, upgrade: bool = False) -> Result:
        opts: dict[str, Any] = {"reconfigure": flag()}
        if upgrade:
            opts["upgrade"] = flag()
        if self.ws.root == "bootstrap":
            self.ws.bootstrap_state.parent.mkdir(parents=True, exist_ok=True)
            opts["backend_config"] = [f"path={self.ws.bootstrap_state}"]
        elif self.ws.backend_file is not None:
            if not self.ws.backend_file.is_file():
                raise LzError(f"backend configuration {display(self.ws.backend_file)} is missing: run the bootstrap first")
            opts["backend_config"] = [str(self.ws.backend_file)]
        return self.run("init", **opts)

    def _vars(self, extra_vars: Mapping[str, str] | None) -> dict[str, Any]:
        variables = {**self.ws.base_vars, **(extra_vars or {})}
        return {"var_file": [str(self.ws.var_file)], "var": [f"{k}={v}" for k, v in variables.items()],
                "lock_timeout": lock_timeout()}

    def plan(self, out: Path, extra_vars: Mapping[str, str] | None = None, destroy: bool = False,
             refresh_only: bool = False, detailed_exitcode: bool = False) -> Result:
        opts: dict[str, Any] = {**self._vars(extra_vars), "out": str(out)}
        if destroy:
            opts["destroy"] = flag()
        if refresh_only:
            opts["refresh_only"] = flag()
        if detailed_exitcode:
            opts["detailed_exitcode"] = flag()
        out.parent.mkdir(parents=True, exist_ok=True)
        return self.run("plan", ok_codes=(0, 2) if detailed_exitcode else (0,), **opts)

    def show_json(self, plan_file: Path) -> dict[str, Any]:
        result = self.run("show", str(plan_file), json=flag())
        try:
            data: dict[str, Any] = json.loads(result.out)
        except ValueError as exc:
            raise ToolError(f"terraform show -json {plan_file.name} did not return JSON: {exc}") from exc
        return data

    def show_text(self, plan_file: Path) -> str:
        """The human-readable plan, as `terraform show PLANFILE` prints it (no colour)."""
        return self.run("show", str(plan_file)).out

    def write_plan_json(self, plan_file: Path, json_file: Path) -> dict[str, Any]:
        data = self.show_json(plan_file)
        write_atomic(json_file, json.dumps(data, indent=1, sort_keys=True))
        return data

    def apply(self, plan_file: Path) -> Result:
        if not plan_file.is_file():
            raise LzError(f"no saved plan {display(plan_file)}: run `make plan` first (apply only applies a reviewed plan)")
        return self.run("apply", str(plan_file), lock_timeout=lock_timeout())

    def destroy(self, extra_vars: Mapping[str, str] | None = None) -> Result:
        return self.run("destroy", auto_approve=flag(), **self._vars(extra_vars))

    def force_unlock(self, lock_id: str) -> Result:
        """`terraform force-unlock -force LOCK_ID`: release a lock left by a dead operation."""
        if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", lock_id):
            raise LzError(f"{lock_id!r} is not a Terraform lock ID (the ID line of the lock error)")
        return self.run("force-unlock", lock_id, force=flag())

    def output_json(self) -> dict[str, Any]:
        result = self.run("output", json=flag())
        return {k: v.get("value") for k, v in json.loads(result.out or "{}").items()}

    def state_list(self) -> list[str]:
        result = self.run("state list", ok_codes=(0, 1))
        return [ln for ln in result.out.splitlines() if ln.strip()] if result.code == 0 else []


_STILL_RE = re.compile(r"^(\S+): Still (?:creating|modifying|destroying)\.\.\.", re.MULTILINE)


def _last_resource_line(output: str) -> str:
    """The resource Terraform was still waiting for, from its progress lines."""
    waiting = _STILL_RE.findall(output)
    return f"last waiting on {waiting[-1]}" if waiting else "no resource was reported as waiting"


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
        f'    path = "{ws.offline_state}"\n'
        "  }\n}\n"
    )
    if not override.exists() or override.read_text() != text:
        override.write_text(text)


_LOCKED_RE = re.compile(r'^provider\s+"([^"]+)"\s*\{[^}]*?^\s*version\s*=\s*"([^"]+)"', re.MULTILINE | re.DOTALL)


def locked_providers(lock_file: Path) -> dict[str, str]:
    """Provider source -> the exact version `terraform init` selected, from a
    .terraform.lock.hcl ({} when there is none): what ran, not the configuration's constraint."""
    try:
        text = lock_file.read_text(encoding="utf-8")
    except OSError:
        return {}
    return dict(sorted(_LOCKED_RE.findall(text)))


def planned_addresses(plan: Mapping[str, Any]) -> list[str]:
    """Addresses of the managed resources a plan creates, updates or replaces."""
    out = []
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change.get("change", {}).get("actions", [])
        if any(a in ("create", "update", "delete") for a in actions) or actions == ["no-op"]:
            out.append(change["address"])
    return sorted(out)


def resource_count(plan: Mapping[str, Any]) -> int:
    """Managed resources in the plan's planned state (what the plan ends with)."""
    count = 0

    def walk(module: dict) -> None:
        nonlocal count
        count += sum(1 for r in module.get("resources", []) if r.get("mode") == "managed")
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan.get("planned_values", {}).get("root_module", {}))
    return count
