"""`make mutate`: mutation testing of the engine and the rule pack with cosmic-ray.

    python tests/mutation/run.py                 # the sample in tests/mutation/config.toml
    python tests/mutation/run.py --tests-from REV  # the same sources, the tests of git REV
    python tests/mutation/run.py --report-only   # rewrite tests/MUTATION.md from the sessions

The sources are copied to build/mutation/<label>/src (label: ``current``, or ``tests-REV``)
and mutated there, never in the working tree. One cosmic-ray session per target
(build/mutation/<label>/<target>.sqlite) caches every result: a rerun executes only what is
pending, and a target whose source, tests or operators changed starts over. The report,
tests/MUTATION.md, gives the score per package and every surviving mutant; survivors listed
in tests/mutation/equivalent.toml (with the reason) are shown apart and not counted.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import sqlite3
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BUILD = REPO / "build" / "mutation"
COPIED = ("checks", "policies", "tests", "pyproject.toml")
REPORT = REPO / "tests" / "MUTATION.md"


@dataclass(frozen=True)
class Target:
    path: str
    package: str
    tests: tuple[str, ...]
    keyword: str | None

    @property
    def name(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.path)


def load_config() -> tuple[dict, list[Target]]:
    data = tomllib.loads((HERE / "config.toml").read_text(encoding="utf-8"))["mutation"]
    targets = []
    for t in data["target"]:
        tests, keyword = tuple(t.get("tests", ())), t.get("keyword")
        if t["package"] == "rules" and not tests:
            rule_id = Path(t["path"]).parent.name.split("_")[0]
            tests, keyword = ("tests/test_rule_pack.py", "tests/test_strength_rules.py"), f"{rule_id} or strength"
        targets.append(Target(t["path"], t["package"], tests, keyword))
    return data, targets


# -- the copy ---------------------------------------------------------------------------------


def _write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return  # unchanged files keep their mtime (and pytest/python caches stay valid)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def sync_sources(src: Path, tests_from: str | None) -> None:
    """Copy the working tree's sources (and, with ``tests_from``, tests/ of that revision)."""
    wanted: dict[str, bytes] = {}
    for top in COPIED:
        origin = REPO / top
        files = [origin] if origin.is_file() else [p for p in origin.rglob("*") if p.is_file()]
        for f in files:
            rel = f.relative_to(REPO).as_posix()
            if "__pycache__" in rel or rel.startswith("tests/mutation/"):
                continue
            if tests_from and rel.startswith("tests/"):
                continue
            wanted[rel] = f.read_bytes()
    if tests_from:
        archive = subprocess.run(["git", "archive", "--format=tar", tests_from, "tests"], cwd=REPO,
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    wanted[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]
    for rel, data in wanted.items():
        _write_if_changed(src / rel, data)
    for existing in [p for p in src.rglob("*") if p.is_file()]:
        rel = existing.relative_to(src).as_posix()
        if rel not in wanted and "__pycache__" not in rel and ".pytest_cache" not in rel:
            existing.unlink()


# -- one target -------------------------------------------------------------------------------


def _test_command(target: Target, src: Path) -> str:
    tests = [t for t in target.tests if (src / t.split("::")[0]).exists()]
    args = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header", *tests]
    if target.keyword:
        args += ["-k", target.keyword]
    return " ".join(f"'{a}'" if " " in a else a for a in args)


def _digest(src: Path, rels: list[str], extra: object = None) -> str:
    digest = hashlib.sha256(json.dumps(extra).encode())
    for rel in rels:
        path = src / rel.split("::")[0]
        digest.update(rel.encode() + (path.read_bytes() if path.is_file() else b"-"))
    return digest.hexdigest()


def run_target(target: Target, label_dir: Path, src: Path, config: dict) -> None:
    """Start over when the source or the operators change; when only the tests change, run
    the survivors again (a killed mutant stays killed as tests are added; after removing or
    weakening a test, delete build/mutation/ for a full run)."""
    command = _test_command(target, src)
    session = label_dir / f"{target.name}.sqlite"
    stamp = label_dir / f"{target.name}.fingerprint"
    cr_config = label_dir / f"{target.name}.toml"
    source_fp = _digest(src, [target.path], config.get("exclude-operators", []))
    tests_fp = _digest(src, [*target.tests, "tests/conftest.py", "tests/strength_helpers.py",
                             "tests/cost_plans_helpers.py"], command)
    cr_config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {json.dumps(target.path)}\n"
        f"timeout = {float(config.get('timeout', 120.0))}\n"
        "excluded-modules = []\n"
        f"test-command = {json.dumps(command)}\n"
        "[cosmic-ray.distributor]\nname = \"local\"\n"
        "[cosmic-ray.filters.operators-filter]\n"
        f"exclude-operators = {json.dumps(config.get('exclude-operators', []))}\n",
        encoding="utf-8")
    bindir = Path(sys.executable).parent
    stamps = json.loads(stamp.read_text()) if stamp.is_file() and stamp.read_text().startswith("{") else {}
    if not session.exists() or stamps.get("source") != source_fp:
        session.unlink(missing_ok=True)
        subprocess.run([str(bindir / "cosmic-ray"), "init", str(cr_config), str(session)], cwd=src, check=True)
        subprocess.run([str(bindir / "cr-filter-operators"), str(session), str(cr_config)], cwd=src, check=True)
    elif stamps.get("tests") != tests_fp:
        with sqlite3.connect(session) as db:
            db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
    stamp.write_text(json.dumps({"source": source_fp, "tests": tests_fp}))
    print(f"mutate: {target.path} ({command.split(' -m pytest ')[1]})", flush=True)
    subprocess.run([str(bindir / "cosmic-ray"), "exec", str(cr_config), str(session)], cwd=src, check=True)


# -- the report -------------------------------------------------------------------------------


@dataclass
class Survivor:
    path: str
    line: int
    operator: str
    occurrence: int
    diff: str

    @property
    def key(self) -> str:
        return f"{self.path}:{self.line}:{self.operator}:{self.occurrence}"


def results(session: Path) -> tuple[int, int, int, list[Survivor]]:
    """(killed, survived, pending, survivors) of one session; skipped (filtered) and
    incompetent mutants (they do not even import) are not counted."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    killed = survived = 0
    survivors: list[Survivor] = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        pending = sum(1 for _ in db.pending_work_items)
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            if result.test_outcome == TestOutcome.KILLED or result.worker_outcome == WorkerOutcome.ABNORMAL:
                killed += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                survived += 1
                m = item.mutations[0]
                diff = "\n".join(t for t in (result.diff or "").splitlines()
                                 if t[:1] in "+-" and not t.startswith(("+++", "---")))
                survivors.append(Survivor(Path(m.module_path).as_posix(), m.start_pos[0], m.operator_name,
                                          m.occurrence, diff))
    return killed, survived, pending, survivors


def _score(killed: int, counted: int) -> str:
    return f"{100 * killed / counted:.1f} %" if counted else "-"


def write_report(targets: list[Target]) -> None:
    equivalent = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8")).get("equivalent", {})
    labels = sorted(p.name for p in BUILD.iterdir() if p.is_dir()) if BUILD.is_dir() else []
    labels = sorted(labels, key=lambda label: (label == "current", label))  # "current" last
    lines = ["# Mutation testing", "",
             "Written by `make mutate` (tests/mutation/run.py, cosmic-ray; sample and operators in",
             "tests/mutation/config.toml). A mutant is one small change to the code (a comparison, a",
             "boolean, a constant, a loop that runs zero times); the fast tests of its target run",
             "against it. **Score = killed / (killed + survived)**; mutants that do not import are not",
             "counted; survivors in tests/mutation/equivalent.toml (each with the reason) are equivalent",
             "(no test can tell them apart) and are listed, not counted.", ""]
    per_label: dict[str, dict[str, list]] = {}
    for label in labels:
        rows = []
        for t in targets:
            session = BUILD / label / f"{t.name}.sqlite"
            if session.exists():
                killed, survived, pending, survivors = results(session)
                eq = [s for s in survivors if s.key in equivalent]
                left = [s for s in survivors if s.key not in equivalent]
                rows.append((t, killed, survived - len(eq), pending, left, eq))
        per_label[label] = {"rows": rows}
    if not per_label:
        lines.append("No session yet: run `make mutate`.")
        REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    common = [t for t in targets if all((BUILD / label / f"{t.name}.sqlite").exists() for label in labels)]
    lines += ["## Score per package", "",
              f"Over the targets measured under every set of tests ({len(common)}: "
              + ", ".join(f"`{t.path}`" for t in common) + ").", "",
              "| tests | package | killed | survived | equivalent | pending | score |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for label, data in per_label.items():
        for package in ("engine", "rules"):
            rows = [r for r in data["rows"] if r[0].package == package and r[0] in common]
            if not rows:
                continue
            k, s = sum(r[1] for r in rows), sum(r[2] for r in rows)
            e, p = sum(len(r[5]) for r in rows), sum(r[3] for r in rows)
            lines.append(f"| {label} | {package} | {k} | {s} | {e} | {p} | {_score(k, k + s)} |")
    lines += ["", "## Score per target", ""]
    for label, data in per_label.items():
        lines += [f"### {label}", "", "| target | killed | survived | equivalent | pending | score |",
                  "|---|---:|---:|---:|---:|---:|"]
        for t, k, s, p, _, eq in data["rows"]:
            lines.append(f"| `{t.path}` | {k} | {s} | {len(eq)} | {p} | {_score(k, k + s)} |")
        lines.append("")
    current = per_label.get("current") or per_label[labels[-1]]
    lines += ["## Surviving mutants (current tests)", ""]
    for t, _, _, _, survivors, _ in current["rows"]:
        for s in survivors:
            lines += [f"- `{s.key}`", "", "  ```diff", *[f"  {d}" for d in s.diff.splitlines()], "  ```", ""]
    if not any(r[4] for r in current["rows"]):
        lines += ["None.", ""]
    lines += ["## Equivalent survivors (not counted)", ""]
    for t, _, _, _, _, eq in current["rows"]:
        for s in eq:
            lines += [f"- `{s.key}`: {equivalent[s.key]}", "", "  ```diff", *[f"  {d}" for d in s.diff.splitlines()],
                      "  ```", ""]
    notes = HERE / "NOTES.md"
    if notes.is_file():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    REPORT.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"mutate: wrote {REPORT.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests-from", metavar="REV", help="mutate the current sources, run the tests of git REV")
    parser.add_argument("--only", action="append", default=[], help="a target path (repeatable)")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    config, targets = load_config()
    if not args.report_only:
        label = f"tests-{args.tests_from}" if args.tests_from else "current"
        label_dir = BUILD / label
        src = label_dir / "src"
        src.mkdir(parents=True, exist_ok=True)
        sync_sources(src, args.tests_from)
        for target in targets:
            if not args.only or target.path in args.only:
                run_target(target, label_dir, src, config)
    write_report(targets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
