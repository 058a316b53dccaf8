"""README.md stays true: the rule catalog section matches the rule pack."""
from __future__ import annotations

from checks.report.catalog import END, START, catalog, readme_section

from conftest import REPO, run_cli


def test_readme_rule_catalog_is_current():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    current = text.split(START, 1)[1].split(END, 1)[0]
    assert current == readme_section(catalog([], False)), (
        "README.md's rule catalog is stale: run `genai-lz rules --format markdown --update-readme README.md`")


def test_update_readme_rewrites_only_between_markers(tmp_path):
    target = tmp_path / "README.md"
    target.write_text(f"# title\n\n{START}\nSTALE-LINE\n{END}\n\nafter\n", encoding="utf-8")
    assert run_cli("rules", "--update-readme", target).code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# title\n\n") and text.endswith("\n\nafter\n") and "LZ-SEC-001" in text
    assert "STALE-LINE" not in text


def test_update_readme_without_markers_is_exit_2(tmp_path):
    target = tmp_path / "README.md"
    target.write_text("# nothing here\n", encoding="utf-8")
    result = run_cli("rules", "--update-readme", target)
    assert result.code == 2 and "markers" in result.err
    assert target.read_text(encoding="utf-8") == "# nothing here\n"
