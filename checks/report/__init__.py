"""Report writers behind one base class; ``write_reports`` writes several formats atomically.

A writer renders a :class:`checks.engine.CheckResult` to bytes. Writers are looked up by
format name in :data:`WRITERS` (module path + class name) and imported only when asked
for, so that a JSON-only run never imports the HTML or SARIF code.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

from checks.errors import LzError
from checks.files import refuse_special, write_all_atomic

if TYPE_CHECKING:  # pragma: no cover
    from checks.engine import CheckResult

# format name -> (module, class); other formats register here with their own module
WRITERS: dict[str, tuple[str, str]] = {
    "json": ("checks.report.json_report", "JsonWriter"),
    "markdown": ("checks.report.markdown", "MarkdownWriter"),
    "html": ("checks.report.html", "HtmlWriter"),
    "sarif": ("checks.report.sarif", "SarifWriter"),
    "junit": ("checks.report.junit", "JunitWriter"),
}


class ReportWriter:
    """Base class of the report writers."""

    format: ClassVar[str]
    extension: ClassVar[str]

    def __init_subclass__(cls, format: str, extension: str, **kwargs: Any) -> None:
        """``class X(ReportWriter, format="html", extension="html")``: the format name and the file extension."""
        super().__init_subclass__(**kwargs)
        cls.format, cls.extension = format, extension

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = options or {}

    def render(self, result: "CheckResult") -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError


def available_formats() -> list[str]:
    return [name for name, (module, _) in WRITERS.items() if importlib.util.find_spec(module) is not None]


def writer_for(name: str, options: dict[str, Any] | None = None) -> ReportWriter:
    if name not in WRITERS:
        raise LzError(f"unknown report format {name!r}; choose from {', '.join(available_formats())}")
    module_name, class_name = WRITERS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise LzError(f"report format {name!r} is not available in this version") from None
        raise
    return getattr(module, class_name)(options)


def write_reports(result: "CheckResult", formats: Sequence[str], output: str | None,
                  options: dict[str, Any] | None = None, basename: str = "report") -> list[Path]:
    """Render every format first, then move them into place: nothing is written half-way.

    ``output`` None -> the single format goes to stdout. With several formats, ``output``
    is a directory (created if needed) that receives ``<basename>.<ext>`` per format. With
    one format, ``output`` is a file path unless it is an existing directory or ends in '/'.
    """
    writers = [writer_for(name, options) for name in formats]
    rendered = [(w, w.render(result)) for w in writers]
    if output is None or output == "-":
        if len(rendered) > 1:
            raise LzError("several --format values need --output DIR")
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(rendered[0][1])
        else:  # a text stream (stdout captured in-process)
            sys.stdout.write(rendered[0][1].decode("utf-8"))
        sys.stdout.flush()
        return []
    out = Path(output)
    as_dir = len(rendered) > 1 or out.is_dir() or output.endswith(("/", os.sep))
    if as_dir and out.exists() and not out.is_dir():
        raise LzError(f"--output {output}: exists and is not a directory")
    if not as_dir and out.is_dir():
        raise LzError(f"--output {output}: is a directory")
    targets = [(out / f"{basename}.{w.extension}") if as_dir else out for w, _ in rendered]
    for target in targets:
        refuse_special(target)
    try:
        return write_all_atomic([(target, data) for target, (_, data) in zip(targets, rendered)])
    except OSError as exc:
        raise LzError(f"cannot write the report to {output}: {exc.strerror or exc}; no report was replaced") from None
