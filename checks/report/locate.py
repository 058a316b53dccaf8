"""Where a resource is declared: the .tf file and line of its ``resource "TYPE" "NAME"`` block.

The SARIF report points every result at the block that declares the resource, so that
GitHub code scanning shows it on the right line of the pull request. The plan JSON does
not record file names, so the block is found from the configuration:

1. The **root module directory** is ``--tf-root DIR`` when given. Otherwise the first of
   these that declares the plan's root module (its module calls and resources are found
   in the directory's ``*.tf`` files) is taken: the plan file's directory, the current
   directory, each ``terraform/*/`` directory under the current directory. No match ->
   every location falls back to the plan file.
2. A **module's directory** is its call's ``source`` joined to the parent module's
   directory when the source is a local path (``./`` or ``../``), which the plan's
   ``configuration.module_calls`` records. Registry and git sources are looked up in
   Terraform's own ``.terraform/modules/modules.json`` of the root (or ``$TF_DATA_DIR``).
3. In that directory, the ``*.tf`` files are scanned line by line for the block header
   ``resource "TYPE" "NAME" {`` (``data`` for data sources; bare labels are accepted as
   HCL allows). Comments (``#``, ``//``, ``/* */``) and heredocs are skipped, so a block
   that is commented out or a heredoc that looks like one never matches. ``*.tf.json``
   files are not read.

A finding about the plan as a whole (address ``(root module)``) points at the root
module's ``main.tf`` (or its first ``*.tf`` file), line 1. When the block cannot be found
(a module from a source we cannot see, no root module directory), the location is the plan
file itself, line 1 (or the line of the
resource's ``"address"`` when the plan JSON is pretty-printed), and ``Location.exact`` is
False so that writers can say so.

Paths are reported relative to ``base`` (the current directory by default: a CI job runs
from the repository root) with ``/`` separators; a file outside ``base`` keeps its
absolute path.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from checks.plan import ROOT_ADDRESS

if TYPE_CHECKING:  # pragma: no cover
    from checks.plan import Plan

__all__ = ["Location", "Locator", "scan_blocks", "split_address"]

_LABEL = r'(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*))'
_HEADER_RE = re.compile(rf"^\s*(resource|data|module)\s+{_LABEL}(?:\s+{_LABEL})?\s*\{{")
_HEREDOC_RE = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\s*$")
_INDEX_RE = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')
_LOCAL_SOURCE = ("./", "../", ".\\", "..\\")


@dataclass(frozen=True)
class Location:
    """A file (relative to the locator's base when inside it) and a 1-based line."""

    path: str
    line: int
    exact: bool  # True: the resource block; False: the fallback (the plan file)


def split_address(address: str) -> tuple[str, str, str, str]:
    """``module.a["x"].module.b.aws_vpc.this[0]`` -> (``module.a.module.b``, mode, type, name)."""
    bare = _INDEX_RE.sub("", address)
    parts = bare.split(".")
    modules: list[str] = []
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        modules.append(f"module.{parts[i + 1]}")
        i += 2
    rest = parts[i:]
    mode = "managed"
    if rest and rest[0] == "data":
        mode, rest = "data", rest[1:]
    if len(rest) < 2:
        return ".".join(modules), mode, "", ""
    return ".".join(modules), mode, rest[0], rest[1]


def _strip_comments(line: str, in_block_comment: bool) -> tuple[str, bool]:
    """The code part of ``line`` (strings kept), and whether a /* comment stays open."""
    out: list[str] = []
    i, n = 0, len(line)
    in_string = False
    while i < n:
        if in_block_comment:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            in_block_comment, i = False, end + 2
            continue
        ch = line[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(line[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
            continue
        if ch == "#" or line.startswith("//", i):
            break
        if line.startswith("/*", i):
            in_block_comment, i = True, i + 2
            continue
        out.append(ch)
        i += 1
    return "".join(out), in_block_comment


def scan_blocks(text: str) -> dict[tuple[str, str, str], int]:
    """(kind, first label, second label) -> 1-based line of every block header in ``text``.

    ``kind`` is ``resource``, ``data`` or ``module`` (second label empty for modules).
    """
    found: dict[tuple[str, str, str], int] = {}
    in_comment = False
    heredoc: tuple[str, bool] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        if heredoc is not None:
            marker, indented = heredoc
            if (raw.strip() if indented else raw.rstrip()) == marker:
                heredoc = None
            continue
        code, in_comment = _strip_comments(raw, in_comment)
        match = _HEADER_RE.match(code)
        if match:
            kind = match.group(1)
            first = match.group(2) if match.group(2) is not None else match.group(3)
            second = match.group(4) if match.group(4) is not None else (match.group(5) or "")
            if (kind == "module") == (second == ""):
                found.setdefault((kind, first, second), number)
        opened = _HEREDOC_RE.search(code)
        if opened:
            heredoc = (opened.group(2), opened.group(1) == "-")
    return found


class Locator:
    """Resolve resource addresses of one plan to declaration sites (cached per module)."""

    def __init__(self, plan: "Plan", tf_root: str | os.PathLike[str] | None = None,
                 base: str | os.PathLike[str] | None = None) -> None:
        self.plan = plan
        self.base = Path(base or os.getcwd()).resolve()
        self._module_dirs: dict[str, Path | None] = {}
        self._blocks: dict[Path, dict[tuple[str, str, str], tuple[Path, int]]] = {}
        self._plan_lines: dict[str, int] | None = None
        self.root = Path(tf_root).resolve() if tf_root else self._guess_root()
        self._modules_json = self._read_modules_json() if self.root else {}

    # -- the root module -----------------------------------------------------------------
    def _root_signature(self) -> set[tuple[str, str, str]]:
        root = ((self.plan.document.get("configuration") or {}).get("root_module")) or {}
        wanted = {("module", name, "") for name in (root.get("module_calls") or {})}
        for res in root.get("resources") or ():
            kind = "data" if res.get("mode") == "data" else "resource"
            wanted.add((kind, str(res.get("type", "")), str(res.get("name", ""))))
        return wanted

    def _candidates(self) -> Iterable[Path]:
        source = Path(self.plan.source)
        if self.plan.source and source.exists():
            yield source.resolve().parent
        cwd = Path.cwd()
        yield cwd
        terraform = cwd / "terraform"
        if terraform.is_dir():
            yield from sorted(p for p in terraform.iterdir() if p.is_dir())

    def _guess_root(self) -> Path | None:
        wanted = self._root_signature()
        if not wanted:
            return None
        for candidate in self._candidates():
            blocks = self._blocks_in(candidate)
            if blocks and wanted <= blocks.keys():
                return candidate.resolve()
        return None

    def _read_modules_json(self) -> dict[str, Path]:
        """Terraform's record of installed modules: key (``a.b``) -> directory."""
        data_dir = os.environ.get("TF_DATA_DIR")
        candidates = [Path(data_dir) / "modules" / "modules.json"] if data_dir else []
        candidates.append(self.root / ".terraform" / "modules" / "modules.json")  # type: ignore[operator]
        for path in candidates:
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found = {}
            for entry in document.get("Modules") or ():
                if isinstance(entry, dict) and entry.get("Key") and entry.get("Dir"):
                    found[str(entry["Key"])] = (self.root / entry["Dir"]).resolve()
            return found
        return {}

    # -- modules -------------------------------------------------------------------------
    def module_dir(self, module: str) -> Path | None:
        """Directory of the module at ``module`` (``module.a.module.b``, no instance keys)."""
        if module in self._module_dirs:
            return self._module_dirs[module]
        resolved: Path | None
        if not module:
            resolved = self.root
        else:
            parent = module.rpartition(".module.")[0] if ".module." in module else ""
            parent_dir = self.module_dir(parent)
            source = self.plan.module_source(module) or ""
            key = ".".join(part for part in module.split(".") if part != "module")
            if parent_dir is not None and source.startswith(_LOCAL_SOURCE):
                resolved = (parent_dir / source).resolve()
            else:
                resolved = self._modules_json.get(key)
            if resolved is not None and not resolved.is_dir():
                resolved = None
        self._module_dirs[module] = resolved
        return resolved

    def _blocks_in(self, directory: Path) -> dict[tuple[str, str, str], tuple[Path, int]]:
        directory = directory.resolve()
        cached = self._blocks.get(directory)
        if cached is not None:
            return cached
        found: dict[tuple[str, str, str], tuple[Path, int]] = {}
        try:
            files = sorted(p for p in directory.iterdir() if p.suffix == ".tf" and p.is_file())
        except OSError:
            files = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for key, line in scan_blocks(text).items():
                found.setdefault(key, (path, line))
        self._blocks[directory] = found
        return found

    # -- resources -------------------------------------------------------------------------
    def declaration(self, address: str) -> tuple[Path, int] | None:
        """The absolute file and line of the block that declares ``address``, if found."""
        module, mode, type_, name = split_address(address)
        if not type_:
            return None
        directory = self.module_dir(module)
        if directory is None:
            return None
        return self._blocks_in(directory).get(("data" if mode == "data" else "resource", type_, name))

    def locate(self, address: str) -> Location:
        found = self.declaration(address)
        if found is not None:
            return Location(self.relative(found[0]), found[1], True)
        if address == ROOT_ADDRESS and self.root is not None:
            entry = self._root_file()
            if entry is not None:  # a finding about the plan as a whole: the root module's main file
                return Location(self.relative(entry), 1, False)
        return Location(self.relative(Path(self.plan.source)), self._plan_line(address), False)

    def _root_file(self) -> Path | None:
        assert self.root is not None
        main = self.root / "main.tf"
        if main.is_file():
            return main
        files = sorted(p for p in self.root.glob("*.tf") if p.is_file())
        return files[0] if files else None

    def relative(self, path: Path) -> str:
        absolute = path.resolve()
        try:
            return absolute.relative_to(self.base).as_posix()
        except ValueError:
            return absolute.as_posix()

    def _plan_line(self, address: str) -> int:
        """Line of ``"address": "<address>"`` in a pretty-printed plan file (1 otherwise)."""
        if self._plan_lines is None:
            self._plan_lines = {}
            try:
                with open(self.plan.source, encoding="utf-8", errors="replace") as handle:
                    for number, line in enumerate(handle, 1):
                        stripped = line.strip()
                        if stripped.startswith('"address"'):
                            try:
                                value = json.loads("{" + stripped.rstrip(",") + "}")["address"]
                            except (ValueError, KeyError):
                                continue
                            self._plan_lines.setdefault(value, number)
            except OSError:
                pass
        return self._plan_lines.get(address, 1)
