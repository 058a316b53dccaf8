"""The Inputs/Outputs tables of every module README are generated (tools/module_docs.py)
from variables.tf and outputs.tf; a README whose tables are stale fails here."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("module_docs", REPO / "tools" / "module_docs.py")
assert _spec and _spec.loader
module_docs = importlib.util.module_from_spec(_spec)
sys.modules["module_docs"] = module_docs
_spec.loader.exec_module(module_docs)



def docs(*args: object) -> subprocess.CompletedProcess[str]:
    """tools/module_docs.py in its own process: python-hcl2 (build/docs-deps) and checkov's
    bc-python-hcl2 are both the package `hcl2` and cannot share the test process."""
    return subprocess.run([sys.executable, str(REPO / "tools" / "module_docs.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False)


def rendered(module: Path) -> str:
    result = docs("--render", module)
    assert result.returncode == 0, result.stderr
    return result.stdout

MODULES = module_docs.module_dirs(REPO)


def test_every_module_is_found() -> None:
    names = {m.relative_to(REPO).as_posix() for m in MODULES}
    assert {"modules/bedrock", "modules/_shared/kms-key", "modules/_shared/s3-bucket"} <= names


def test_readme_tables_are_current() -> None:
    result = docs("--check")
    assert result.returncode == 0, f"{result.stderr}Inputs/Outputs tables are stale: run make docs"


def test_this_process_keeps_checkovs_hcl2() -> None:
    hcl2 = pytest.importorskip("hcl2")
    assert "docs-deps" not in (hcl2.__file__ or "")


def _module(tmp_path: Path, variables: str, outputs: str, readme: str) -> Path:
    (tmp_path / "variables.tf").write_text(variables)
    (tmp_path / "outputs.tf").write_text(outputs)
    (tmp_path / "README.md").write_text(readme)
    return tmp_path


def test_tables_are_rewritten_between_markers_and_prose_is_kept(tmp_path: Path) -> None:
    module = _module(
        tmp_path,
        'variable "b" {\n  description = "B | pipe"\n  type = list(string)\n  default = ["x", "y"]\n}\n'
        'variable "a" {\n  description = "A"\n  type = object({ n = optional(number, 1) })\n}\n',
        'output "o" {\n  description = "O"\n  value = 1\n}\n',
        f"# m\n\nprose before\n\n{module_docs.BEGIN}\nold table\n{module_docs.END}\n\nprose after\n",
    )
    text = rendered(module)
    assert text.startswith("# m\n\nprose before\n\n") and text.endswith("\n\nprose after\n")
    assert "old table" not in text
    assert "| `a` | A | `object({n = optional(number, 1)})` | n/a | yes |" in text
    assert '| `b` | B \\| pipe | `list(string)` | `["x", "y"]` | no |' in text
    assert text.index("`a`") < text.index("`b`")
    assert "| `o` | O |" in text


def test_a_new_variable_makes_the_readme_stale(tmp_path: Path) -> None:
    module = _module(tmp_path, 'variable "a" {\n  type = string\n}\n', "", "# m\n")
    (module / "README.md").write_text(rendered(module))
    assert docs("--check", module).returncode == 0
    (module / "variables.tf").write_text(
        'variable "a" {\n  type = string\n}\nvariable "c" {\n  type = bool\n  default = false\n}\n'
    )
    stale = docs("--check", module)
    assert stale.returncode == 1 and "stale:" in stale.stderr


def test_hand_written_sections_without_markers_are_replaced_once(tmp_path: Path) -> None:
    module = _module(
        tmp_path,
        'variable "a" {\n  type = string\n}\n',
        "",
        "# m\n\n## Usage\n\ntext\n\n## Inputs\n\n| old |\n\n## Outputs\n\n| old |\n\n## Notes\n\nkept\n",
    )
    text = rendered(module)
    assert "| old |" not in text and "## Usage\n\ntext\n" in text and text.endswith("## Notes\n\nkept\n")
    assert text.count(module_docs.BEGIN) == 1 and "No outputs." in text
