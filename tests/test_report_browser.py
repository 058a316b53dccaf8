"""The HTML report of the landing zone's dev plan in real headless Chromium (Selenium).

Renders build/workload-dev.plan.json (written by `make plan ENV=dev`; the report fixture
plan when it is not there), asserts that the verdict, the pillar scorecard and a failing
finding are visible, and saves full-page PNG screenshots under build/. When the dev plan
has no failing finding, a variant without the Bedrock guardrail is rendered too, so that a
failure is always shown. Needs the Debian packages chromium and chromium-driver.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from checks import engine, plan as plan_module, registry
from checks.model import Status
from checks.report import write_reports
from conftest import FIXTURES, REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DEV_PLAN = REPO / "build" / "workload-dev.plan.json"
BUILD = REPO / "build"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="headless browser test needs Debian packages chromium and chromium-driver (apt-get install -y chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency (pip install -e .[dev])")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--window-size=1280,1600",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _check(plan):
    return engine.check(plan, registry.load_rules(), engine.load_policy_data(), today=dt.date.today())


def _without_guardrail(source: Path):
    """The same plan with the Bedrock guardrail (and its version) removed: LZ rules must fail."""
    document = json.loads(source.read_text(encoding="utf-8"))
    document["resource_changes"] = [rc for rc in document.get("resource_changes", [])
                                    if not rc["type"].startswith("aws_bedrock_guardrail")]
    return plan_module.loads(json.dumps(document).encode(), source=str(source))


def _reports():
    source = DEV_PLAN if DEV_PLAN.is_file() else FIXTURES / "report" / "plan.json"
    name = "workload-dev" if source == DEV_PLAN else "report-fixture"
    result = _check(plan_module.load(source))
    yield name, result
    if not any(f.status is Status.FAIL for f in result.findings):
        yield f"{name}-no-guardrail", _check(_without_guardrail(source))


def _screenshot(driver, html: Path, png: Path) -> None:
    driver.get(html.as_uri())
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 40, 16000))
    png.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(png)), png
    driver.set_window_size(1280, 1600)


def test_html_report_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    shown_failure = False
    for name, result in _reports():
        write_reports(result, ["html"], str(tmp_path / f"{name}.html"), {"timestamp": True})
        html = tmp_path / f"{name}.html"
        browser.get(html.as_uri())
        banner = browser.find_element(By.ID, "verdict")
        assert banner.is_displayed()
        assert ("GATE PASSED" if result.verdict.passed else "GATE FAILED") in banner.text
        cards = browser.find_elements(By.CSS_SELECTOR, "#scorecard + .grid .card")
        assert len(cards) >= 6 and all(card.is_displayed() for card in cards)
        security = browser.find_element(By.CSS_SELECTOR, '.card[data-pillar="security"]')
        counts = result.counts()["security"]
        assert f"fail {counts['fail']}" in security.text and f"pass {counts['pass']}" in security.text
        assert browser.find_element(By.CSS_SELECTOR, "svg.barchart").is_displayed()
        failing = browser.find_elements(By.CSS_SELECTOR, "tr.finding.fail")
        if failing:
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", failing[0])
            assert failing[0].is_displayed()
            first_fail = next(f for f in result.findings if f.status is Status.FAIL)
            assert first_fail.address in browser.page_source or first_fail.address.replace('"', "&quot;") in browser.page_source
            shown_failure = True
        rows = browser.find_elements(By.CSS_SELECTOR, "table.coverage tr.cov-row")
        assert len(rows) == len(result.lens.best_practices)
        process = browser.find_element(By.CSS_SELECTOR, 'tr.cov-row[data-state="not_assessable_from_plan"]')
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", process)
        evidence = process.find_element(By.CSS_SELECTOR, "td.evidence-text")
        assert evidence.is_displayed() and evidence.text.strip()
        assert "process control, not visible in a plan" in process.text
        png = BUILD / f"report-{name}.png"
        _screenshot(browser, html, png)
        assert png.stat().st_size > 20_000
        shutil.copyfile(html, BUILD / f"report-{name}.html")
    assert shown_failure, "no rendered report showed a failing finding"
