"""Terminal and Markdown injection (issue 17, class 2): strings of the plan are shown,
never obeyed, on stderr and in report.md; HTML, SARIF, JUnit and JSON stay clean."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from conftest import run_cli
from hardening_plans import assert_markdown_tables, assert_terminal_clean, change, plan, rule_pack, write

HOSTILE_KEY = 'x\x1b[31mRED\x07\u202eevil\x9b2J|`<script>alert(1)</script>'
HOSTILE_VALUE = '<img src=x onerror=alert(1)> **bold** [link](http://x) | \x1b]0;title\x07 `code` \u202e'

ECHO_RULE = {"LZ-SEC-902": (
    "def check(resource, plan, params):\n"
    "    return Result.failed('bucket ' + str(resource.get('bucket')) + ' is bad', path='bucket')\n"
)}


def _hostile_plan():
    address = f'aws_s3_bucket.b["{HOSTILE_KEY}"]'
    bucket = change(address, "aws_s3_bucket", {"bucket": HOSTILE_VALUE, "tags": {"owner": HOSTILE_VALUE}})
    bucket["index"] = HOSTILE_KEY
    return plan([bucket])


def test_stderr_and_markdown_show_hostile_strings_escaped(tmp_path):
    path = write(tmp_path, _hostile_plan())
    out = tmp_path / "out"
    result = run_cli("check", path, *rule_pack(tmp_path / "pack", ECHO_RULE), "--format", "markdown",
                     "--format", "json", "--format", "html", "--format", "sarif", "--format", "junit",
                     "--output", out)
    assert result.code == 1, result.err
    assert "LZ-SEC-902" in result.err
    assert_terminal_clean(result.err)
    assert "\\x1b[31m" in result.err and "\\u202e" in result.err  # shown, escaped
    markdown = (out / "report.md").read_text()
    assert_markdown_tables(markdown)
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
    # the other formats were clean: keep them so
    document = json.loads((out / "report.json").read_text())
    assert any(f["message"].startswith("bucket <img") for f in document["findings"])  # JSON escapes, keeps the data
    html = (out / "report.html").read_text()
    assert "<img src=x" not in html and "<script>alert" not in html and "\x1b" not in html
    sarif = json.loads((out / "report.sarif").read_text())
    assert sarif["runs"][0]["results"]
    ET.fromstring((out / "report.xml").read_bytes())


def test_builtin_pack_and_cost_columns_with_hostile_addresses(tmp_path):
    """The built-in rules and the cost section (addresses and module names) on a hostile plan."""
    module = f'module.m["{HOSTILE_KEY}"]'
    instance = change(f"{module}.aws_instance.gpu", "aws_instance",
                      {"instance_type": "p4d.24xlarge", "ami": HOSTILE_VALUE, "tags": {"Name": HOSTILE_VALUE}})
    instance["module_address"] = module
    path = write(tmp_path, plan([instance]))
    out = tmp_path / "r.md"
    result = run_cli("check", path, "--format", "markdown", "--output", out)
    assert result.code in (0, 1), result.err
    assert_terminal_clean(result.err)
    assert_markdown_tables(out.read_text())


def test_error_line_is_escaped_too(tmp_path):
    bad = {"format_version": "1.0", "resource_changes": [{"address": HOSTILE_KEY, "type": "t", "change": {"actions": [7]}}]}
    result = run_cli("check", write(tmp_path, bad))
    assert result.code == 2
    assert_terminal_clean(result.err)
    assert len(result.err.strip().splitlines()) == 1


def test_md_helpers():
    from checks.report.helpers import md_cell, md_code

    assert md_cell("a|b<c>&`d`*") == "a\\|b&lt;c&gt;&amp;\\`d\\`\\*"
    assert md_code("a`b") == "``a`b``" or md_code("a`b") == "`` a`b ``"
    assert md_code("x|y") == "`x\\|y`"
    assert "\x1b" not in md_code("\x1b[2J") and "\\x1b" in md_code("\x1b[2J")


def test_cost_table_on_the_terminal_is_escaped(tmp_path):
    instance = change(f'aws_instance.gpu["{HOSTILE_KEY}"]', "aws_instance",
                      {"instance_type": "p4d.24xlarge", "ami": "ami-1"})
    result = run_cli("cost", write(tmp_path, plan([instance])))
    assert result.code in (0, 1), result.err
    assert "aws_instance.gpu" in result.out
    assert_terminal_clean(result.out)
    assert_terminal_clean(result.err)
