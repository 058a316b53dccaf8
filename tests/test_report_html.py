"""The HTML report: self-contained, escaped, and fast on 50,000-resource plans."""
from __future__ import annotations

import datetime as dt
import re
import time
from html.parser import HTMLParser

from checks import engine, plan as plan_module, registry
from checks.model import Finding, Status
from checks.report import writer_for
from checks.report.html import PASS_LIST_LIMIT
from conftest import FIXTURES

PLAN = FIXTURES / "report" / "plan.json"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _result():
    plan = plan_module.load(PLAN)
    return engine.check(plan, registry.load_rules(), engine.load_policy_data(), today=dt.date(2026, 1, 15))


def test_self_contained_no_script_no_external_assets():
    html = writer_for("html", {"timestamp": True}).render(_result()).decode("utf-8")
    parser = _Collect()
    parser.feed(html)
    tags = {t for t, _ in parser.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert not [a for t, a in parser.tags if t == "link"]  # no external stylesheet
    assert "svg" in tags and "style" in tags
    for tag, attrs in parser.tags:  # only links to documentation, never a resource to load
        assert "src" not in attrs, (tag, attrs)
    assert "@media print" in html
    assert re.search(r"url\(", html) is None
    for section in ("verdict", "scorecard", "findings", "waivers", "coverage", "evidence"):
        assert f'id="{section}"' in html
    assert "process control, not visible in a plan" in html and "Generated at" in html


def test_untrusted_text_is_escaped():
    result = _result()
    evil = "<img src=x onerror=alert(1)>"
    result.findings[0].message = evil
    result.findings[0].address = f'aws_vpc.x["{evil}"]'
    html = writer_for("html").render(result).decode("utf-8")
    assert evil not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def _big_result(n: int):
    """A result with ``n`` passing and a few failing findings (no need to build a 50k plan)."""
    result = _result()
    template = result.findings[0]
    findings = [Finding(rule_id="LZ-SEC-001", title=template.title, pillar="security", lens=template.lens,
                        severity="high", address=f"module.m[{i}].aws_vpc.this", resource_type="aws_vpc",
                        module=f"module.m[{i}]", status=Status.PASS, message="ok") for i in range(n)]
    findings += [Finding(rule_id="LZ-SEC-001", title=template.title, pillar="security", lens=template.lens,
                         severity="high", address=f"module.bad[{i}].aws_vpc.this", resource_type="aws_vpc",
                         module=f"module.bad[{i}]", status=Status.FAIL, message="no endpoint",
                         remediation="add one") for i in range(5)]
    result.findings = findings
    return result


def test_passes_aggregated_and_capped():
    html = writer_for("html").render(_big_result(PASS_LIST_LIMIT + 250)).decode("utf-8")
    assert f"{PASS_LIST_LIMIT + 250} resource(s) pass" in html
    assert "+250 more" in html
    assert html.count("module.m[") == PASS_LIST_LIMIT
    assert html.count('<tr class="finding fail">') == 5


def test_fast_on_50000_findings():
    result = _big_result(50_000)
    started = time.perf_counter()
    html = writer_for("html").render(result)
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"{elapsed:.2f}s"
    assert len(html) < 400_000, len(html)  # passes are not rendered one by one


def test_rendered_by_a_template_engine_with_autoescape():
    from checks.report import html as html_module

    template = html_module.template()
    assert template.environment.autoescape is True
    result = _result()
    result.findings[0].remediation = '"><script>alert(1)</script>'
    result.findings[0].status = Status.FAIL
    page = writer_for("html").render(result).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_cost_section_is_escaped_by_its_template():
    from checks.report import cost_section

    evil = "<img src=x onerror=alert(1)>"
    cost = {"currency": "USD", "region": "us-east-1", "hours_per_month": 730, "hours_per_month_source": "default",
            "prices": {"file": evil, "version": "1"}, "usage": {"file": None},
            "totals": {"planned": 1.0, "maximum": 2.0, "complete": True},
            "budgets": [], "modules": [{"module": evil, "planned": 1.0, "maximum": 2.0}],
            "resources": [{"address": f'aws_x.y["{evil}"]', "status": "priced", "planned": 1.0, "maximum": 2.0,
                           "description": evil}],
            "free": {evil: 1}, "assumptions": [evil], "notes": [evil]}
    page = cost_section.html(cost)
    assert evil not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 7
