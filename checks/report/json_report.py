"""The JSON report (schema: policies/schemas/report.schema.json)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from checks.report import ReportWriter
from checks.report.document import build_document

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult


class JsonWriter(ReportWriter, format="json", extension="json"):
    def render(self, result: "CheckResult") -> bytes:
        import orjson

        document = build_document(result, self.options)
        try:
            return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
        except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits in a planned value
            import json

            return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
