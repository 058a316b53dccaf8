"""Small plans built in the tests of the hardening suite (tests/test_hardening_*.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROVIDER = "registry.terraform.io/hashicorp/aws"


def change(address: str, type_: str, after: dict[str, Any], sensitive: Any = None, unknown: Any = None,
           actions: tuple[str, ...] = ("create",)) -> dict[str, Any]:
    """One resource change of a managed AWS resource in the root module (or in the module
    the address names)."""
    local = address.split(".")
    name = local[-1].split("[", 1)[0]
    return {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_name": PROVIDER,
        "change": {
            "actions": list(actions),
            "before": None,
            "after": after,
            "after_unknown": unknown or {},
            "after_sensitive": sensitive if sensitive is not None else {},
        },
    }


def plan(changes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"format_version": "1.2", "terraform_version": "1.9.8", "resource_changes": changes}
    document.update(extra)
    return document


def write(tmp_path: Path, document: Any, name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document, encoding="utf-8")
    return path


def one_line_error(result: Any) -> str:
    """The single error line of an exit-2 run (and no traceback)."""
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    assert lines[0].startswith("genai-lz: error: "), lines[0]
    return lines[0]


RULE_TEMPLATE = '''
from checks import Result, rule, plan_rule


@{decorator}(id="{rule_id}", title="{title}", pillar="security", lens=["GENSEC01-BP01"], severity="high",
{types}             remediation="fix it")
{body}
'''


def rule_pack(root: Path, rules: dict[str, str]) -> list[str]:
    """A policy directory with the given rules (id -> source of the function, decorated by
    ``@rule(...)`` for ``def check(resource, plan, params)``, else ``@plan_rule(...)``);
    returns the CLI arguments that load it alone."""
    for rule_id, body in rules.items():
        folder = root / "security" / f"{rule_id}_test"
        folder.mkdir(parents=True, exist_ok=True)
        per_resource = "def check(resource" in body
        decorator = "rule" if per_resource else "plan_rule"
        types = '             resource_types=("aws_s3_bucket", "aws_instance"),\n' if per_resource else ""
        (folder / "rule.py").write_text(RULE_TEMPLATE.format(decorator=decorator, rule_id=rule_id, title=rule_id,
                                                             types=types, body=body))
    return ["--no-builtin", "--policies", str(root)]


PASSING_RULE = {"LZ-SEC-901": "def check(resource, plan, params):\n    return Result.passed('ok')\n"}


# -- what every output must satisfy ---------------------------------------------------------------

import re  # noqa: E402

RAW_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")


def assert_terminal_clean(text: str) -> None:
    """No raw control character (ESC, BEL, C1, bidi override...) on the terminal."""
    found = RAW_CONTROL_RE.search(text)
    assert found is None, f"raw control character {found.group(0)!r} at {found.start()}: {text[max(0, found.start() - 60):found.start() + 20]!r}"


def assert_markdown_tables(text: str) -> None:
    """Every table row has as many cells as its header, and no live HTML is left."""
    header_cells = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = len(_UNESCAPED_PIPE_RE.split(line))
            if header_cells is None:
                header_cells = cells
            assert cells == header_cells, f"table row with {cells - 2} cells, header {header_cells - 2}: {line[:200]!r}"
        else:
            header_cells = None
    lowered = "\n".join(_outside_code(line) for line in text.splitlines()).lower()
    for tag in ("<script", "<img", "<iframe", "<svg", "<a ", "<style", "<details"):
        assert tag not in lowered, f"live HTML {tag!r} in the Markdown report"
    assert_terminal_clean(text)


def _outside_code(line: str) -> str:
    """The parts of a Markdown line a renderer reads as markup: backslash escapes and code
    spans (where ``<`` is literal text) left out."""
    out, i = [], 0
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            end = line.find("`" * run, i + run)
            while end != -1 and line[end + run:end + run + 1] == "`":
                end = line.find("`" * run, end + run + 1)
            if end != -1:
                i = end + run
                continue
            i += run
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# -- sensitive markers ----------------------------------------------------------------------------

import copy  # noqa: E402
import itertools  # noqa: E402

MARKER_PREFIX = "ZQSECRET"
MARKER_RE = re.compile(MARKER_PREFIX + r"[0-9]+X")


class Markers:
    """Replaces string values by unique markers and builds the matching sensitive trees."""

    def __init__(self, every: int = 1) -> None:
        self.every = every
        self._count = itertools.count(1)
        self._seen = itertools.count(0)

    def new(self) -> str:
        return f"{MARKER_PREFIX}{next(self._count):05d}X"

    def _chosen(self) -> bool:
        return next(self._seen) % self.every == 0

    def _json_markers(self, text: str) -> str | None:
        """A JSON document (a policy) with every string and key made a marker, or None."""
        stripped = text.strip()
        if not stripped[:1] in ("{", "["):
            return None
        try:
            document = json.loads(stripped)
        except ValueError:
            return None

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                return {k: walk(v) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v) for v in node]
            if isinstance(node, str):
                return self.new()
            return node

        return json.dumps(walk(document))

    def mark(self, value: Any) -> tuple[Any, Any]:
        """(value with markers, its sensitive tree)."""
        if isinstance(value, str):
            if not self._chosen():
                return value, False
            return (self._json_markers(value) or self.new()), True
        if isinstance(value, dict):
            out, tree = {}, {}
            for k, v in value.items():
                out[k], sub = self.mark(v)
                if sub:
                    tree[k] = sub
            return out, tree
        if isinstance(value, list):
            pairs = [self.mark(v) for v in value]
            trees = [t for _, t in pairs]
            return [v for v, _ in pairs], (trees if any(trees) else [])
        return value, False


def with_markers(document: dict[str, Any], every: int = 1) -> dict[str, Any]:
    """The plan with every (or every n-th) string of the planned values, nested blocks and
    JSON policies included, replaced by a unique marker marked sensitive, in
    resource_changes and planned_values alike."""
    document = copy.deepcopy(document)
    markers = Markers(every)
    by_address: dict[str, tuple[Any, Any]] = {}
    for rc in document.get("resource_changes") or ():
        change = rc.get("change") or {}
        after = change.get("after")
        if isinstance(after, dict):
            marked, tree = markers.mark(after)
            change["after"], change["after_sensitive"] = marked, tree or {}
            by_address[rc["address"]] = (marked, tree or {})

    def patch(module: dict[str, Any]) -> None:
        for res in module.get("resources") or ():
            if res.get("address") in by_address:
                res["values"], res["sensitive_values"] = copy.deepcopy(by_address[res["address"]])
        for child in module.get("child_modules") or ():
            patch(child)

    for key in ("planned_values", "values"):
        root = (document.get(key) or {}).get("root_module")
        if isinstance(root, dict):
            patch(root)
    if "values" in document and "resource_changes" not in document:  # a state document
        def patch_state(module: dict[str, Any]) -> None:
            for res in module.get("resources") or ():
                res["values"], res["sensitive_values"] = markers.mark(res.get("values") or {})
            for child in module.get("child_modules") or ():
                patch_state(child)

        patch_state(document["values"].get("root_module") or {})
    return document
