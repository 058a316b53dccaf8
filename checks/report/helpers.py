"""What every report writer shares: pillar titles, Markdown table cells, value text.

Atomic file writes are :mod:`checks.files` (the operations layer writes files too).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.coverage import STATE_LABEL
from checks.model import pillar_title

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["COVERAGE_LABEL", "jinja_environment", "md_cell", "md_code_cell", "money", "pillar_title", "value_text"]

# lens coverage states as the reports word them (checks.coverage, one wording everywhere)
COVERAGE_LABEL = STATE_LABEL


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, one line)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def md_code_cell(value: Any) -> str:
    """A value (JSON for non-strings) as inline code in a Markdown table cell."""
    text = md_cell(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
    return f"`{text}`" if text else "` `"


def value_text(value: Any, limit: int = 120) -> str:
    """A planned value as text (JSON for non-strings), cut to ``limit`` characters."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def money(value: Any) -> str:
    """``1234.5`` -> ``$1,234.50``; None -> ``-``."""
    return "-" if value is None else f"${value:,.2f}"


@lru_cache(maxsize=1)
def jinja_environment() -> "jinja2.Environment":
    """The HTML templates (templates/): autoescape on, undefined names fail, shared filters."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(pillar_title=pillar_title, value_text=value_text, money=money)
    return env
