"""`genai-lz aggregate` on many reports: the reports, and the timed run `make bench` records.

``build(n, seed_report, out_dir)`` writes ``n`` JSON reports derived from one real report
(the dev plan's, by default): each is a workspace of its own (``evidence.workspace`` name
and account), and a deterministic share of its passing findings fail instead, so that the
matrix, the failing rules and the lens coverage have work to do. Cached by count and seed
digest under build/bench/aggregate-<n>-<digest>/.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from tests.benchmarks import generate

REPO = generate.REPO
GENERATOR_VERSION = "1"


def seed_report(plan: Path, out: Path) -> Path:
    """The JSON report of ``plan`` (one `genai-lz check` run)."""
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(Path(sys.executable).parent / "genai-lz"), "check", str(plan), "--format", "json",
               "--output", str(out), "-q"]
        code = subprocess.run(cmd, cwd=REPO, check=False).returncode
        if code not in (0, 1):
            raise RuntimeError(f"genai-lz check {plan} exited {code}")
    return out


def build(count: int, seed: Path, out_dir: Path) -> list[Path]:
    """``count`` reports derived from the report ``seed`` (cached); their paths."""
    data = seed.read_bytes()
    digest = hashlib.sha256(data + GENERATOR_VERSION.encode()).hexdigest()[:12]
    folder = out_dir / f"aggregate-{count}-{digest}"
    paths = [folder / f"account-{i:05d}" / "report.json" for i in range(count)]
    if folder.is_dir() and all(p.is_file() for p in paths):
        return paths
    shutil.rmtree(folder, ignore_errors=True)
    base = json.loads(data)
    rng = random.Random(20261201)
    for i, path in enumerate(paths):
        doc = dict(base)
        doc["evidence"] = {**base["evidence"], "workspace": {"name": f"account-{i:05d}", "account_id": f"{100000000000 + i}"}}
        findings = []
        for f in base["findings"]:
            if f["status"] == "pass" and rng.random() < 0.05:
                f = {**f, "status": "fail"}
            findings.append(f)
        doc["findings"] = findings
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(doc), encoding="utf-8")
    return paths


def aggregate_cmd(paths: list[Path], out: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "genai-lz"), "aggregate", *map(str, paths), "-o", str(out), "-q"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.aggregate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed-plan", type=Path, default=generate.DEV_PLAN)
    parser.add_argument("--out-dir", type=Path, default=generate.BENCH_DIR)
    args = parser.parse_args(argv)
    seed = seed_report(args.seed_plan, args.out_dir / f"{args.seed_plan.stem}.report.json")
    paths = build(args.count, seed, args.out_dir)
    print(f"{len(paths)} reports under {paths[0].parent.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
