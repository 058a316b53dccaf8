"""What every report writer shares: pillar titles, Markdown cells, value text, terminal text.

Everything a plan can put into a Markdown report or onto the terminal passes through
:func:`md_cell` / :func:`md_code` / :func:`terminal_text`: a plan is input nobody here
wrote, and its strings may carry HTML, Markdown, escape sequences or bidi overrides.
Atomic file writes are :mod:`checks.files` (the operations layer writes files too).
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.coverage import STATE_LABEL
from checks.model import pillar_title

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["COVERAGE_LABEL", "display_path", "escape_controls", "evidence_items", "jinja_environment", "md_cell", "md_code", "md_code_cell", "money",
           "pillar_title", "terminal_text", "value_text"]

# lens coverage states as the reports word them (checks.coverage, one wording everywhere)
COVERAGE_LABEL = STATE_LABEL


# C0 (but tab), DEL, C1, and the invisible format characters that reorder or hide text:
# bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069), marks, line and
# paragraph separators, zero-width characters, BOM.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control or invisible format character written as ``\\xNN`` / ``\\uNNNN``."""
    if keep_newlines:
        return "\n".join(_CONTROL_RE.sub(_escape_one, line) for line in text.split("\n"))
    return _CONTROL_RE.sub(_escape_one, text)


def terminal_text(value: Any) -> str:
    """One line safe to print on a terminal: no escape sequence, bell, newline or bidi override."""
    text = escape_controls(str(value))
    # other format characters (category Cf) outside the ranges above: shown, not obeyed
    if any(unicodedata.category(ch) == "Cf" for ch in text):
        text = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) == "Cf" else ch for ch in text)
    return text


# Markdown punctuation; an underscore inside a word (aws_s3_bucket) is no emphasis in
# CommonMark/GFM and stays as it is
_MD_PUNCT_RE = re.compile(r"([\\`*\[\]|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: one line, no live HTML, no Markdown markup.

    HTML's ``& < >`` become entities, Markdown punctuation is backslash-escaped (pipes
    too, so the table keeps its columns), control characters are shown escaped.
    """
    out = terminal_text(text)
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCT_RE.sub(r"\\\1", out)


def md_code(value: Any) -> str:
    """Inline code in a Markdown table cell: a fence longer than any backtick run inside,
    pipes escaped (GitHub tables split on them even in code), control characters escaped."""
    text = terminal_text(value).replace("|", "\\|")
    if not text.strip():
        return "` `"
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_code_cell(value: Any) -> str:
    """A value (JSON for non-strings) as inline code in a Markdown table cell."""
    return md_code(value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str))


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)


def _whole_items(parts: list[str], limit: int, sep: str) -> str:
    """``parts`` joined while they fit in ``limit`` characters (the first always), then "… N more"."""
    shown: list[str] = []
    used = 0
    for part in parts:
        if shown and used + len(sep) + len(part) > limit:
            break
        shown.append(part)
        used += len(part) + (len(sep) if len(shown) > 1 else 0)
    rest = len(parts) - len(shown)
    return sep.join(shown) + (f"{sep}… {rest} more" if rest else "")


def value_text(value: Any, limit: int = 120) -> str:
    """A planned value as readable text, never cut inside an item.

    A mapping reads ``key = value; key = value`` (values as JSON), a list ``[a, b]``; when
    they do not fit in ``limit`` characters, whole items are left out ("… N more"). A
    single string longer than ``limit`` (a policy document) ends with "… (+N characters)".
    """
    if isinstance(value, dict) and value:
        return _whole_items([f"{k} = {_json(v)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))],
                            limit, "; ")
    if isinstance(value, (list, tuple)) and value:
        return "[" + _whole_items([json.dumps(v, sort_keys=True, default=str) for v in value],
                                  limit, ", ") + "]"
    text = _json(value)
    return text if len(text) <= limit else f"{text[:limit]}… (+{len(text) - limit} characters)"


def display_path(path: Any) -> Any:
    """One rule for every path a report shows (plan, params, waivers): relative to the
    working directory when the file is inside it, else absolute. Not a path (None, ``-``
    for stdin, ``<plan>``): as it is."""
    if not isinstance(path, str) or not path or path == "-" or path.startswith("<"):
        return path
    import os

    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(absolute)


ITEMS_LIMIT = 8


def _item_text(value: Any, limit: int) -> str:
    """A value as one readable line: a list shows its first items whole, then "… N more";
    a mapping reads ``key: value, ...``, a mapping inside it ``key (key: value, ...)``."""
    if isinstance(value, dict):
        if not value:
            return "none"
        parts = [f"{k} ({_item_text(v, limit)})" if isinstance(v, dict) and v else f"{k}: {_item_text(v, limit)}"
                 for k, v in list(value.items())[:limit]]
        return ", ".join(parts) + (f", … {len(value) - limit} more" if len(value) > limit else "")
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        shown = ", ".join(_item_text(v, limit) for v in value[:limit])
        return shown + (f", … {len(value) - limit} more" if len(value) > limit else "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "-" if value is None else str(value)


def evidence_items(value: Any, limit: int = ITEMS_LIMIT) -> list[tuple[str, str]]:
    """A structured evidence entry (checkov's run record) as (key, text) pairs to read:
    never cut inside a value; a long list elides whole items ("… N more"); a ``*_file``
    path follows :func:`display_path`."""
    if not isinstance(value, dict):
        return [("", _item_text(value, limit))]
    return [(str(k), str(display_path(v)) if str(k).endswith("_file") and isinstance(v, str) else _item_text(v, limit))
            for k, v in value.items()]


def money(value: Any) -> str:
    """``1234.5`` -> ``$1,234.50``; None -> ``-``."""
    return "-" if value is None else f"${value:,.2f}"


def _shown(value: Any) -> Any:
    """Every value an HTML page prints: control characters (from the plan) shown escaped.
    Markup (fragments this package built, already escaped) passes as it is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return escape_controls(value)
    return value


@lru_cache(maxsize=1)
def jinja_environment() -> "jinja2.Environment":
    """The HTML templates (templates/): autoescape on, control characters shown escaped,
    undefined names fail, shared filters."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             finalize=_shown)
    env.filters.update(pillar_title=pillar_title, value_text=value_text, money=money)
    return env
