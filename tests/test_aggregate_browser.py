"""The organization posture (posture.html of `genai-lz aggregate`) in real headless Chromium.

Aggregates the reports of the landing zone's own plans (`make lz-plans`), opens the page,
asserts that the verdict banner, the workspaces x pillars matrix (with the failing cells
marked and linking to the per-plan reports), the failing rules and the evidence list are
shown, follows one cell link, and saves a full-page screenshot as build/posture.png. Needs
the Debian packages chromium and chromium-driver (CI installs them).
"""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_cli
from test_report_browser import BUILD, CHROMEDRIVER, CHROMIUM, _screenshot, browser  # noqa: F401 (fixture)

PLANS = {"workload-dev": "222222222222", "workload-prod": "333333333333", "organization-management": "111111111111"}

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="headless browser test needs Debian packages chromium and chromium-driver"),
    pytest.mark.skipif(not all((REPO / "build" / f"{n}.plan.json").is_file() for n in PLANS),
                       reason="needs the landing zone's plans: make lz-plans"),
]


def test_posture_in_chromium(browser, tmp_path):  # noqa: F811 (the fixture)
    from selenium.webdriver.common.by import By

    reports = []
    for name, account in PLANS.items():
        folder = tmp_path / "reports" / name
        run = run_cli("check", REPO / "build" / f"{name}.plan.json", "--format", "json", "--format", "html",
                      "--output", folder, "--workspace", name, "--account-id", account, "-q")
        assert run.code in (0, 1), run.err
        reports.append(folder / "report.json")
    out = tmp_path / "reports" / "organization"
    run = run_cli("aggregate", *reports, "-o", out, "--timestamp")
    assert run.code == 0, run.err
    doc = json.loads((out / "posture.json").read_text(encoding="utf-8"))

    browser.get((out / "posture.html").as_uri())
    banner = browser.find_element(By.ID, "verdict")
    assert banner.is_displayed()
    assert f"{doc['totals']['gates_passed']} / {doc['totals']['workspaces']} GATES PASSED" in banner.text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.matrix tr.ws")
    assert [r.get_attribute("data-workspace") for r in rows] == [w["name"] for w in doc["workspaces"]]
    assert all(r.is_displayed() for r in rows)
    for row, ws in zip(rows, doc["workspaces"]):
        for pillar in doc["pillars"]:
            cell = row.find_element(By.CSS_SELECTOR, f'td.cell[data-pillar="{pillar}"]')
            counts = ws["by_pillar"][pillar]
            if counts["fail"]:
                assert "c-fail" in cell.get_attribute("class") and f"fail {counts['fail']}" in cell.text
            assert cell.find_element(By.TAG_NAME, "a").get_attribute("href").split("#")[0].endswith(
                f"/reports/{ws['name']}/report.html")
    failing_rules = browser.find_elements(By.CSS_SELECTOR, "tr.rule-row")
    assert len(failing_rules) == len(doc["top_failing_rules"])
    evidence = browser.find_element(By.CSS_SELECTOR, "table.evidence-list")
    assert all(w["evidence"]["plan_sha256"] in evidence.text for w in doc["workspaces"])

    png = BUILD / "posture.png"
    _screenshot(browser, out / "posture.html", png)
    assert png.stat().st_size > 20_000
    shutil.copyfile(out / "posture.html", BUILD / "posture.html")

    # a cell link opens the workspace's own report
    browser.get((out / "posture.html").as_uri())
    first = browser.find_element(By.CSS_SELECTOR, "table.matrix tr.ws td.cell a")
    browser.get(first.get_attribute("href"))
    assert browser.find_element(By.ID, "verdict").is_displayed()
