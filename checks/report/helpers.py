"""What every report writer shares: pillar titles, Markdown table cells, value text.

Atomic file writes are :mod:`checks.files` (the operations layer writes files too).
"""
from __future__ import annotations

import json
from typing import Any

from checks.model import pillar_title

__all__ = ["COVERAGE_LABEL", "md_cell", "md_code_cell", "pillar_title", "value_text"]

# lens coverage states as the reports word them
COVERAGE_LABEL = {"assessed": "assessed", "not_covered": "plan-assessable, no rule yet",
                  "not_assessable_from_plan": "not assessable from a plan"}


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
