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

__all__ = ["COVERAGE_LABEL", "escape_controls", "jinja_environment", "md_cell", "md_code", "md_code_cell", "money",
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


def value_text(value: Any, limit: int = 120) -> str:
    """A planned value as text (JSON for non-strings), cut to ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
