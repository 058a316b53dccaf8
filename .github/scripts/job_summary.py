#!/usr/bin/env python3
"""Print genai-lz's Markdown report made safe for a GitHub job summary ($GITHUB_STEP_SUMMARY).

The report quotes the plan (resource addresses, planned values, messages built from them),
and a pull request controls its plan. GitHub renders the summary as Markdown with HTML, so
before it goes there:

* no raw HTML survives: ``&``, ``<`` and ``>`` become entities everywhere (inside code
  spans too: however a renderer pairs backticks, no tag can form); the escapes the report's
  cells already hold (``\\[``, ``&lt;``: checks/report/helpers.md_cell) are kept, not doubled;
* no link or image survives except those into the AWS documentation (the lens catalog's
  best-practice links): other ``[``, ``]`` outside code spans are backslash-escaped;
* control characters (ANSI escapes, carriage returns, ...) are dropped;
* the text is cut at a line boundary below GitHub's limit for one step's summary (1 MiB),
  with a line saying so (the whole report is in the reports folder / artifact).

Usage: job_summary.py REPORT.md [--limit BYTES] >> "$GITHUB_STEP_SUMMARY"
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

LIMIT = 1024 * 1024 - 16 * 1024  # GitHub: 1 MiB per step summary; room for the notice
ALLOWED_LINK = re.compile(r"\[([^\[\]`]*)\]\((https://docs\.aws\.amazon\.com/[^\s()<>`]*)\)")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


# what genai-lz's Markdown cells already escaped: a backslash escape of ASCII punctuation, or
# a character reference; either stands for one literal character and can form no tag or link
ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> str:
    """Text with no allowed link in it: entities, brackets escaped. An escape the report
    already made is kept as it is: escaping its backslash again would free the bracket after
    it (``\\[`` is a literal backslash and a live ``[``) and show ``&amp;lt;`` for ``<``."""
    out, last = [], 0
    for match in ESCAPED.finditer(text):
        out.append(_html(text[last:match.start()]).replace("[", "\\[").replace("]", "\\]"))
        token = match.group(0)
        out.append(_html(token[1]) if token[0] == "\\" and token[1] in "&<>" else token)
        last = match.end()
    out.append(_html(text[last:]).replace("[", "\\[").replace("]", "\\]"))
    return "".join(out)


def _text(segment: str) -> str:
    """Text outside code spans: entities, then escape brackets except allowed links."""
    out, last = [], 0
    for match in ALLOWED_LINK.finditer(segment):
        out.append(_plain(segment[last:match.start()]))
        out.append(f"[{_html(match.group(1))}]({match.group(2)})")
        last = match.end()
    out.append(_plain(segment[last:]))
    return "".join(out)


def safe_line(line: str) -> str:
    line = CONTROL.sub("", line)
    out, last = [], 0
    for match in CODE_SPAN.finditer(line):
        out.append(_text(line[last:match.start()]))
        out.append(match.group(1) + _html(match.group(2)) + match.group(1))
        last = match.end()
    out.append(_text(line[last:]))
    return "".join(out)


def safe_summary(markdown: str, limit: int = LIMIT) -> str:
    lines, size = [], 0
    for line in markdown.splitlines():
        safe = safe_line(line)
        size += len(safe.encode("utf-8")) + 1
        if size > limit:
            lines.append("")
            lines.append("**The report is longer than a job summary may be: the rest is in the reports folder.**")
            break
        lines.append(safe)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--limit", type=int, default=LIMIT)
    args = parser.parse_args(argv)
    try:
        text = args.report.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"job_summary: cannot read {args.report}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    sys.stdout.write(safe_summary(text, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
