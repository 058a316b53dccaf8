"""Generate the Inputs and Outputs tables of every Terraform module README.

The tables are written between ``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->``
from the module's variables.tf and outputs.tf (read with python-hcl2); the hand-written
prose around the markers is kept. A README without the markers gets them around its
``## Inputs`` ... ``## Outputs`` sections, or at its end when it has neither.

Usage (from the repository root)::

    .venv/bin/python tools/module_docs.py            # rewrite the stale READMEs
    .venv/bin/python tools/module_docs.py --check    # exit 1 and list the stale ones

tests/test_module_docs.py runs the check, so a variable added without regenerating the
README fails the tests.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
REPO = Path(__file__).resolve().parent.parent
# python-hcl2 and checkov's bc-python-hcl2 both install a package named `hcl2`: python-hcl2 lives
# in its own folder (`make docs-deps`), put first on the path of this script's own process only.
# Never import this module into a process that runs checkov (the tests run it as a subprocess).
DOCS_DEPS = REPO / "build" / "docs-deps"


def module_dirs(root: Path = REPO) -> list[Path]:
    """Every module folder under modules/ (nested submodules too) that has a variables.tf."""
    return sorted(p.parent for p in (root / "modules").rglob("variables.tf") if ".terraform" not in p.parts)


def _unquote(text: str) -> str:
    """An HCL string literal as python-hcl2 returns it ('"..."') to its value."""
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        try:
            return str(json.loads(text))
        except json.JSONDecodeError:
            return text[1:-1]
    return text


def _expression(text: str) -> str:
    """python-hcl2 wraps expressions as '${...}'; the table shows the bare expression."""
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return " ".join(text.split())


def _render(value: Any) -> str:
    """A default value as HCL source text on one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        if value.startswith('"'):
            return json.dumps(_unquote(value))
        return _expression(value)
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        items = [f"{_unquote(k)} = {_render(v)}" for k, v in value.items() if k != "__is_block__"]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    return str(value)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    return "`" + _cell(text) + "`"


def _hcl2() -> Any:
    if str(DOCS_DEPS) not in sys.path:
        sys.path.insert(0, str(DOCS_DEPS))
    import hcl2

    if not hasattr(hcl2, "loads") or getattr(hcl2, "__file__", "").find(str(DOCS_DEPS)) != 0:
        raise SystemExit(f"python-hcl2 is not in {DOCS_DEPS}: run `make docs-deps` (it must not share a "
                         "process with checkov, whose bc-python-hcl2 is also named hcl2)")
    return hcl2


def _blocks(path: Path, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not path.exists():
        return
    hcl2 = _hcl2()
    try:
        parsed = hcl2.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        raise SystemExit(f"{path}: cannot parse ({exc}); fix the HCL (terraform validate) and rerun") from exc
    for block in parsed.get(kind, []):
        for name, body in block.items():
            yield _unquote(name), body


def tables(module: Path) -> str:
    """The generated Markdown between the markers for one module."""
    inputs = sorted(_blocks(module / "variables.tf", "variable"), key=lambda item: item[0])
    outputs = sorted(_blocks(module / "outputs.tf", "output"), key=lambda item: item[0])
    lines = ["## Inputs", ""]
    if inputs:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for name, body in inputs:
            description = _cell(_unquote(str(body.get("description", ""))))
            type_ = _code(_expression(str(body["type"]))) if "type" in body else "`any`"
            has_default = "default" in body
            default = _code(_render(body["default"])) if has_default else "n/a"
            lines.append(f"| {_code(name)} | {description} | {type_} | {default} | {'no' if has_default else 'yes'} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for name, body in outputs:
            lines.append(f"| {_code(name)} | {_cell(_unquote(str(body.get('description', ''))))} |")
    else:
        lines.append("No outputs.")
    return "\n".join(lines)


_SECTIONS = re.compile(r"^## Inputs\s*$.*?(?=^## (?!Outputs)|\Z)", re.S | re.M)


def rendered(module: Path) -> str:
    """The README of a module with freshly generated tables."""
    readme = module / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# {module.name}\n"
    block = f"{BEGIN}\n{tables(module)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    if _SECTIONS.search(text):
        return _SECTIONS.sub(lambda _m: block + "\n\n", text, count=1).rstrip("\n") + "\n"
    return text.rstrip("\n") + "\n\n" + block + "\n"


def _shown(module: Path) -> str:
    return module.relative_to(REPO).as_posix() if module.is_relative_to(REPO) else str(module)


def stale(modules: list[Path]) -> list[Path]:
    return [
        m
        for m in modules
        if not (m / "README.md").exists() or (m / "README.md").read_text(encoding="utf-8") != rendered(m)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a README is stale")
    parser.add_argument("--render", action="store_true", help="print the README each module should have; write nothing")
    parser.add_argument("modules", nargs="*", type=Path, help="module folders (default: every module under modules/)")
    args = parser.parse_args(argv)
    modules = [m.resolve() for m in args.modules] or module_dirs()
    if args.render:
        for module in modules:
            sys.stdout.write(rendered(module))
        return 0
    out_of_date = stale(modules)
    if args.check:
        for module in out_of_date:
            print(f"stale: {_shown(module)}/README.md (run .venv/bin/python tools/module_docs.py)", file=sys.stderr)
        return 1 if out_of_date else 0
    for module in out_of_date:
        (module / "README.md").write_text(rendered(module), encoding="utf-8")
        print(f"wrote {_shown(module)}/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
