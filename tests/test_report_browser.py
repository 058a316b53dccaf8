"""The HTML report of the landing zone's dev plan in real headless Chromium (Selenium).

Renders build/workload-dev.plan.json (written by `make lz-plans`) with checkov and the cost
estimate, as `make check` does: a realistic report (127 resources, checkov findings, long
module addresses). It asserts what a reader sees, by layout, at a desktop and at a narrow
window width:

* the verdict, the pillar scorecard, the lens coverage and a failing finding are visible;
* the first finding is above the cost section (bounding boxes);
* no <text> of any SVG chart overflows its SVG's box;
* no table cell breaks a Terraform address across lines (one line box per address cell);
* every table-of-contents link resolves to an element of the page.

Full-page PNG screenshots are saved under build/. Needs the Debian packages chromium and
chromium-driver.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DEV_PLAN = REPO / "build" / "workload-dev.plan.json"
BUILD = REPO / "build"
WIDTHS = (1280, 720)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="headless browser test needs Debian packages chromium and chromium-driver (apt-get install -y chromium chromium-driver)",
)

# (svg index, text index, overflow in px) for every <text> outside its <svg>'s box
SVG_OVERFLOW_JS = """
const out = [];
document.querySelectorAll('svg').forEach((svg, i) => {
  const box = svg.getBoundingClientRect();
  svg.querySelectorAll('text').forEach((text, j) => {
    const r = text.getBoundingClientRect();
    const over = Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom);
    if (over > 0.5) out.push([i, j, text.textContent, over]);
  });
});
return out;
"""

# every address cell whose text lays out on more than one line, or is clipped without a scroll
ADDRESS_BREAK_JS = """
const out = [];
let cells = 0;
document.querySelectorAll('td.addr').forEach((td) => {
  if (!td.textContent.trim()) return;
  cells += 1;
  const range = document.createRange();
  range.selectNodeContents(td);
  const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
  if (tops.size !== 1) out.push([td.textContent, tops.size]);
});
return [cells, out];
"""

TOC_JS = """
return Array.from(document.querySelectorAll('nav.toc a')).map(a => {
  const id = decodeURIComponent(a.getAttribute('href').slice(1));
  return [a.getAttribute('href'), document.getElementById(id) !== null];
});
"""


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


@pytest.fixture(scope="module")
def dev_report(tmp_path_factory) -> tuple[Path, dict]:
    """The dev plan's HTML and JSON reports, with checkov, as `make check` writes them."""
    if not DEV_PLAN.is_file():
        pytest.skip("workload-dev: run `make lz-plans` first (make test does)")
    out = tmp_path_factory.mktemp("dev-report")
    run = run_cli("check", DEV_PLAN, "--checkov", "--format", "html", "--format", "json", "--output", out,
                  "--timestamp", "-q")
    assert run.code in (0, 1), run.err
    return out / "report.html", json.loads((out / "report.json").read_text(encoding="utf-8"))


def _screenshot(driver, html: Path, png: Path, width: int = 1280) -> None:
    """A full-page PNG of ``html`` at ``width``; the window is 1600 px tall again afterwards."""
    driver.get(html.as_uri())
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 40, 16000))
    png.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(png)), png
    driver.set_window_size(width, 1600)


def _top(driver, element) -> float:
    return float(driver.execute_script("return arguments[0].getBoundingClientRect().top + window.scrollY", element))


@pytest.mark.parametrize("width", WIDTHS)
def test_dev_report_layout_in_chromium(browser, dev_report, width):
    from selenium.webdriver.common.by import By

    html, report = dev_report
    assert len(report["findings"]) > 300 and report["cost"]["resources"], "not a realistic report"
    assert any(f["source"] == "checkov" and f["status"] == "fail" for f in report["findings"])
    browser.set_window_size(width, 1600)
    browser.get(html.as_uri())

    banner = browser.find_element(By.ID, "verdict")
    assert banner.is_displayed()
    assert ("GATE PASSED" if report["verdict"]["passed"] else "GATE FAILED") in banner.text
    cards = browser.find_elements(By.CSS_SELECTOR, "#scorecard + .grid .card")
    assert len(cards) >= 6 and all(card.is_displayed() for card in cards)
    security = browser.find_element(By.CSS_SELECTOR, '.card[data-pillar="security"]')
    counts = report["summary"]["by_pillar"]["security"]
    assert f"fail {counts['fail']}" in security.text and f"pass {counts['pass']}" in security.text
    assert browser.find_element(By.CSS_SELECTOR, "svg.barchart").is_displayed()

    # the verdict, then the findings: the first failing finding is above the cost section
    failing = browser.find_elements(By.CSS_SELECTOR, "tr.finding.fail")
    assert failing
    cost = browser.find_element(By.ID, "cost")
    assert _top(browser, banner) < _top(browser, failing[0]) < _top(browser, cost)
    assert _top(browser, browser.find_element(By.ID, "findings")) < _top(browser, cost)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", failing[0])
    assert failing[0].is_displayed()
    first_fail = next(f for f in report["findings"] if f["status"] == "fail")
    assert first_fail["address"] in browser.page_source.replace("&quot;", '"')
    # the per-resource cost table is folded
    folded = browser.find_element(By.CSS_SELECTOR, "#cost details.cost-resources")
    assert folded.get_attribute("open") is None
    assert not browser.find_element(By.CSS_SELECTOR, "#cost table.cost-resources").is_displayed()

    # no text overflows its SVG (the cost chart's module labels, the pillar chart)
    assert browser.find_elements(By.CSS_SELECTOR, "#cost svg.costchart text")
    overflow = browser.execute_script(SVG_OVERFLOW_JS)
    assert not overflow, overflow[:5]

    # no address breaks across lines (open every fold first, so that its cells lay out)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    cells, broken = browser.execute_script(ADDRESS_BREAK_JS)
    assert cells >= len(report["cost"]["resources"]), cells
    assert not broken, broken[:5]

    # the table of contents: every link resolves, a pillar entry scrolls to its section
    toc = browser.execute_script(TOC_JS)
    assert len(toc) >= 8 and all(found for _, found in toc), [h for h, found in toc if not found]
    assert {"#verdict", "#findings", "#cost", "#coverage", "#evidence"} <= {h for h, _ in toc}
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = false)")
    for anchor in ("scorecard", "evidence"):  # the link scrolls its section into the window
        browser.find_element(By.CSS_SELECTOR, f'nav.toc a[href="#{anchor}"]').click()
        top = float(browser.execute_script("return document.getElementById(arguments[0]).getBoundingClientRect().top",
                                           anchor))
        assert -2 <= top < float(browser.execute_script("return window.innerHeight")) - 20, (anchor, top)

    # the header shows the plan's sha256 in full; checkov's record reads as key/value pairs
    assert report["evidence"]["plan"]["sha256"] in browser.find_element(By.CSS_SELECTOR, "header.top").text
    checkov = browser.find_element(By.CSS_SELECTOR, "dl.evidence dl.kv")
    assert "unmapped_checks" in checkov.text and "{" not in checkov.text

    rows = browser.find_elements(By.CSS_SELECTOR, "table.coverage tr.cov-row")
    assert len(rows) == len(report["lens_coverage"])
    process = browser.find_element(By.CSS_SELECTOR, 'tr.cov-row[data-state="not_assessable_from_plan"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", process)
    assert "process control, not visible in a plan" in process.text

    png = BUILD / f"report-workload-dev-{width}.png"
    _screenshot(browser, html, png, width)
    assert png.stat().st_size > 20_000
    shutil.copyfile(html, BUILD / "report-workload-dev.html")
