"""`make bench`: genai-lz against checkov on plans of 100 to 50,000 resources.

Every measurement is a whole process, started fresh (``genai-lz check PLAN --format json
--output FILE``, ``checkov -f PLAN --framework terraform_plan -o json``): wall time from
spawn to exit, and the peak RSS of that process, read from ``os.wait4``'s rusage (the
kernel's ``ru_maxrss`` of exactly that child). genai-lz runs ``--runs`` times (median, min,
max); checkov takes minutes on a large plan, so it runs once per size, and only up to
``--checkov-max-size`` resources (``--no-checkov`` skips it and genai-lz --checkov).

The table goes to stdout and, with the machine, the versions, the date and the targets
met or not, to tests/benchmarks/RESULTS.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from tests.benchmarks import generate

REPO = generate.REPO
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BIN = Path(sys.executable).parent
ACCEPTED_EXITS = (0, 1)  # gate passed / gate failed: both are a finished check

# (label, predicate text) of the targets of issue 8, checked on the landing-zone shape
TARGETS = {
    "start": "100 resources: <= 0.4 s",
    "10k": "10,000 resources: <= 1.0 s and <= 400 MB",
    "50k": "50,000 resources: <= 5 s and <= 1.5 GB",
    "growth": "time(50k) / time(5k) <= 11",
    "ratio": ">= 100x faster than checkov at 10,000 resources",
}


@dataclass
class Run:
    seconds: float
    rss_mb: float
    exit_code: int


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def min(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def max(self) -> float:
        return max(r.seconds for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.rss_mb for r in self.runs)


@dataclass
class Row:
    shape: str
    size: int
    resources: int
    mb: float
    findings: int = 0
    native: Series | None = None
    with_checkov: Series | None = None
    checkov: Series | None = None
    notes: list[str] = field(default_factory=list)
    profile: str = ""

    @property
    def ratio(self) -> float | None:
        if self.native and self.checkov and self.checkov.runs:
            return self.checkov.median / self.native.median
        return None


GNU_TIME = Path("/usr/bin/time")


def timed(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion; wall seconds and the peak RSS (MB) of that process.

    The peak RSS comes from GNU time (``/usr/bin/time -f %M``) when it is installed: a child
    forked from this process would otherwise start with this process's high-water mark
    (Linux keeps it across fork and exec). Without it, ``os.wait4``'s ``ru_maxrss`` is used
    (exact as long as this runner stays small: it never loads a large plan or report).
    """
    with tempfile.NamedTemporaryFile(prefix="genai-lz-bench-rss-", suffix=".txt", delete=False) as handle:
        rss_file = Path(handle.name)
    use_time = GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK)
    full = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *cmd] if use_time else list(cmd)
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ACCEPTED_EXITS:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {' / '.join(tail)}")
        kib = None
        if use_time:
            lines = [line for line in rss_file.read_text().split() if line.isdigit()]
            kib = int(lines[-1]) if lines else None
        if kib is None:  # ru_maxrss is in KiB on Linux, in bytes on macOS
            kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    finally:
        rss_file.unlink(missing_ok=True)
    return Run(elapsed, kib / 1024, proc.returncode)


def _json_stat(code: str, path: Path) -> int:
    """An integer computed from a large JSON file in another process (the runner stays small)."""
    script = f"import json, sys; doc = json.load(open(sys.argv[1], 'rb')); print({code})"
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def genai_lz_cmd(plan: Path, output: Path, *extra: str) -> list[str]:
    return [str(BIN / "genai-lz"), "check", str(plan), "--format", "json", "--output", str(output), "-q", *extra]


def checkov_cmd(plan: Path) -> list[str]:
    return [str(BIN / "checkov"), "-f", str(plan), "--framework", "terraform_plan", "-o", "json", "--quiet"]


def checkov_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"BC_SKIP_MAPPING": "TRUE", "CKV_GITHUB_CONFIG_FETCH_DATA": "False",
                "CKV_GITLAB_CONFIG_FETCH_DATA": "False", "LOG_LEVEL": "ERROR"})
    for key in ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL"):
        env.pop(key, None)
    return env


def series(cmd: Sequence[str], runs: int, env: dict[str, str] | None = None) -> Series:
    return Series([timed(cmd, env) for _ in range(runs)])


def profile_of(plan: Path, output: Path) -> str:
    """The per-phase breakdown `genai-lz check --profile` prints (one untimed run)."""
    proc = subprocess.run(genai_lz_cmd(plan, output, "--profile"), capture_output=True, text=True, check=False)
    lines = proc.stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("genai-lz profile")), None)
    return "\n".join(lines[start:]) if start is not None else f"(no profile: exit {proc.returncode})"


def bridge_available() -> bool:
    return (REPO / "checks" / "integrations" / "checkov_bridge.py").is_file()


def count_findings(report: Path) -> int:
    return _json_stat("len(doc['findings'])", report)


def count_resources(plan: Path) -> int:
    return _json_stat("sum(1 for rc in doc.get('resource_changes') or () "
                      "if rc.get('mode', 'managed') == 'managed')", plan)


# --------------------------------------------------------------------------------------
# lazy imports


IMPORT_PROBE = r"""
import sys
from checks import cli
args = sys.argv[1:]
try:
    code = cli.main(args)
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'checkov', 'boto3', 'botocore', 'jinja2'})
print('HEAVY:' + ','.join(heavy))
"""


def heavy_imports(args: Sequence[str]) -> list[str]:
    """Heavy third-party packages (checkov, boto3, botocore, jinja2) a genai-lz command imports."""
    proc = subprocess.run([sys.executable, "-c", IMPORT_PROBE, *args], capture_output=True, text=True,
                          cwd=REPO, check=False)
    marker = [line for line in proc.stdout.splitlines() if line.startswith("HEAVY:")]
    if proc.returncode != 0 or not marker:
        raise RuntimeError(f"import probe failed: {proc.stderr.strip()[-300:]}")
    return [m for m in marker[-1][len("HEAVY:"):].split(",") if m]


# --------------------------------------------------------------------------------------
# machine and versions


def _command_version(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return out.strip().splitlines()[0] if out.strip() else "unknown"


def machine() -> dict[str, str]:
    info: dict[str, str] = {"cores": str(os.cpu_count())}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "")
        if model:
            info["cpu"] = model
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    info["os"] = f"{platform.system()} {platform.release()}"
    if hasattr(os, "getloadavg"):  # other work on the machine shows in the times
        info["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["python"] = platform.python_version()
    tf = shutil.which("terraform")
    info["terraform"] = _command_version([tf, "version"]) if tf else "not found"
    info["checkov"] = _command_version([str(BIN / "checkov"), "--version"])
    try:
        from importlib.metadata import version

        info["genai-lz"] = version("genai-landing-zone")
    except Exception:  # noqa: BLE001 - not installed: say so
        info["genai-lz"] = "not installed"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO,
                            check=False).stdout.strip()
    if commit:
        info["commit"] = commit
    return info


# --------------------------------------------------------------------------------------
# the benchmark


def plan_for(shape: str, size: int, args: argparse.Namespace) -> Path:
    """The cached plan, generated in another process (a 50,000-resource plan takes ~1 GB to
    build; the runner stays small so that it does not skew the children's peak RSS)."""
    seed = args.seed if shape == "landing-zone" else None
    cmd = [sys.executable, "-m", "tests.benchmarks.generate", "--shape", shape, "--size", str(size),
           "--out-dir", str(args.plans_dir), *(["--seed", str(seed)] if seed else [])]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    if proc.returncode == 2:
        raise generate.SeedMissing(proc.stderr.strip().removeprefix("generate: "))
    if proc.returncode != 0:
        raise RuntimeError(f"generating {shape} {size} failed: {proc.stderr.strip()[-300:]}")
    return generate.build(shape, size, seed, args.plans_dir)  # cached now: no generation here


def measure(shape: str, size: int, args: argparse.Namespace, workdir: Path, log: Any) -> Row:
    plan = plan_for(shape, size, args)
    row = Row(shape, size, count_resources(plan), plan.stat().st_size / 1e6)
    report = workdir / f"{shape}-{size}.json"
    log(f"{shape} {size}: {row.resources} resources, {row.mb:.1f} MB: genai-lz x{args.runs} ...")
    row.native = series(genai_lz_cmd(plan, report), args.runs)
    row.findings = count_findings(report)
    if size in args.profile_sizes:
        row.profile = profile_of(plan, workdir / f"{shape}-{size}-profile.json")
    heavy_on = not args.no_checkov and size <= args.checkov_max_size
    if heavy_on and bridge_available():
        runs = args.runs if size <= 1_000 else 1
        log(f"  genai-lz --checkov x{runs} ...")
        row.with_checkov = series(genai_lz_cmd(plan, workdir / f"{shape}-{size}-ck.json", "--checkov"), runs)
    if heavy_on:
        log("  checkov x1 ...")
        row.checkov = series(checkov_cmd(plan), 1, checkov_env())
    return row


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def table(rows: list[Row]) -> str:
    head = ("| shape | resources | plan MB | findings | genai-lz median s | min s | max s | RSS MB "
            "| --checkov s | --checkov RSS MB | checkov s | checkov RSS MB | checkov / genai-lz |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        n = r.native
        ck = r.with_checkov
        ratio = r.ratio
        lines.append(
            f"| {r.shape} | {r.resources:,} | {r.mb:.1f} | {r.findings:,} | {_s(n.median if n else None)} | "
            f"{_s(n.min if n else None)} | {_s(n.max if n else None)} | {_mb(n.rss if n else None)} | "
            f"{_s(ck.median if ck else None)}{f' (x{len(ck.runs)})' if ck and len(ck.runs) > 1 else ''} | "
            f"{_mb(ck.rss if ck else None)} | {_s(r.checkov.median if r.checkov else None)} | "
            f"{_mb(r.checkov.rss if r.checkov else None)} | {'-' if ratio is None else f'{ratio:.0f}x'} |"
        )
    return "\n".join(lines)


def evaluate(rows: list[Row], shape: str) -> list[tuple[str, str, str]]:
    """(target, measured, met / not met / not measured) on one shape."""
    by_size = {r.size: r for r in rows if r.shape == shape and r.native}

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("met" if ok else "NOT MET")

    out = []
    r = by_size.get(100)
    out.append((TARGETS["start"], f"{r.native.median:.2f} s" if r else "-", verdict(r.native.median <= 0.4 if r else None)))
    r = by_size.get(10_000)
    out.append((TARGETS["10k"], f"{r.native.median:.2f} s, {r.native.rss:.0f} MB" if r else "-",
                verdict(r.native.median <= 1.0 and r.native.rss <= 400 if r else None)))
    r50 = by_size.get(50_000)
    out.append((TARGETS["50k"], f"{r50.native.median:.2f} s, {r50.native.rss:.0f} MB" if r50 else "-",
                verdict(r50.native.median <= 5.0 and r50.native.rss <= 1536 if r50 else None)))
    r5 = by_size.get(5_000)
    growth = r50.native.median / r5.native.median if r50 and r5 else None
    out.append((TARGETS["growth"], f"{growth:.1f}x" if growth else "-", verdict(growth <= 11 if growth else None)))
    ratio = r.ratio if r else None
    out.append((TARGETS["ratio"], f"{ratio:.0f}x" if ratio else "-", verdict(ratio >= 100 if ratio else None)))
    return out


def write_results(rows: list[Row], startup: dict[str, Any], info: dict[str, str], args: argparse.Namespace,
                  notes: list[str], path: Path) -> None:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Benchmark: genai-lz check vs checkov",
        "",
        f"Written by `make bench` (`python -m tests.benchmarks.run`) on {today}. Do not edit by hand.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "## Method",
        "",
        "- Plans: `tests/benchmarks/generate.py` (see README.md): `landing-zone` = the dev plan's root module "
        "replicated as `module.replica[i]`; `iam-s3` = many small for_each IAM roles/policies and S3 buckets. "
        "`resources` counts managed resources (data sources not included).",
        f"- genai-lz: `genai-lz check PLAN --format json --output FILE -q`, a fresh process per run, "
        f"{args.runs} runs (median, min, max); RSS = peak resident set of the process (max over runs).",
        "- `--checkov`: genai-lz with checkov's AWS checks in-process; "
        f"{args.runs} runs up to 1,000 resources, 1 run above (it takes minutes).",
        f"- checkov: `checkov -f PLAN --framework terraform_plan -o json --quiet` (the venv's CLI), one run per size, "
        f"up to {args.checkov_max_size:,} resources.",
        "- Exit codes 0 and 1 (gate passed / failed) both count as a finished check; the plans fail the gate by design.",
        "",
        "## Results",
        "",
        table(rows),
        "",
        "## Start-up (the common CI case)",
        "",
        "| command | median s | min s | max s | RSS MB | imports checkov/boto3/jinja2 |",
        "|---|---|---|---|---|---|",
    ]
    for name, (s, heavy) in startup.items():
        out.append(f"| `{name}` | {s.median:.3f} | {s.min:.3f} | {s.max:.3f} | {s.rss:.0f} | {', '.join(heavy) or 'none'} |")
    out += ["", "## Targets (issue 8, landing-zone shape; iam-s3 shape for reference)", "",
            "| target | landing-zone | | iam-s3 | |", "|---|---|---|---|---|"]
    lz, iam = evaluate(rows, "landing-zone"), evaluate(rows, "iam-s3")
    for (target, m1, v1), (_, m2, v2) in zip(lz, iam):
        out.append(f"| {target} | {m1} | {v1} | {m2} | {v2} |")
    profiles = [r for r in rows if r.profile]
    if profiles:
        out += ["", "## Where the time goes (`genai-lz check --profile`, one run)", ""]
        for r in profiles:
            out += [f"{r.shape}, {r.resources:,} resources:", "", "```", r.profile, "```", ""]
    if notes:
        out += ["", "## Notes", "", *(f"- {n}" for n in notes)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(generate.SIZES), metavar="N")
    parser.add_argument("--shapes", nargs="+", choices=generate.SHAPES, default=list(generate.SHAPES))
    parser.add_argument("--runs", type=int, default=5, help="genai-lz runs per size (default 5, at least 1)")
    parser.add_argument("--no-checkov", action="store_true", help="skip checkov and genai-lz --checkov (minutes)")
    parser.add_argument("--checkov-max-size", type=int, default=10_000, metavar="N",
                        help="largest plan checkov runs on (default 10,000)")
    parser.add_argument("--profile-sizes", type=int, nargs="*", default=[10_000, 50_000], metavar="N",
                        help="sizes to record a --profile breakdown for (default 10000 50000)")
    parser.add_argument("--seed", type=Path, help="the landing-zone plan to replicate (default build/workload-dev.plan.json)")
    parser.add_argument("--plans-dir", type=Path, default=generate.BENCH_DIR,
                        help="where generated plans are cached (default build/bench)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the results (default tests/benchmarks/RESULTS.md)")
    parser.add_argument("--no-results", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    notes: list[str] = []
    if not args.no_checkov and not bridge_available():
        notes.append("genai-lz --checkov not measured: checks/integrations/checkov_bridge.py does not exist yet.")
    if args.no_checkov:
        notes.append("checkov and genai-lz --checkov skipped (--no-checkov).")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="genai-lz-bench-") as tmp:
        workdir = Path(tmp)
        try:
            smallest = plan_for("landing-zone", min(args.sizes), args)
        except generate.SeedMissing as exc:
            print(f"bench: {exc}", file=sys.stderr)
            return 2
        log("start-up ...")
        startup = {
            "genai-lz --help": (series([str(BIN / "genai-lz"), "--help"], args.runs), heavy_imports(["--help"])),
            f"genai-lz check ({count_resources(smallest)} resources)": (
                series(genai_lz_cmd(smallest, workdir / "startup.json"), args.runs),
                heavy_imports(["check", str(smallest), "--format", "json", "--output", str(workdir / "probe.json"), "-q"]),
            ),
        }
        for shape in args.shapes:
            for size in sorted(args.sizes):
                rows.append(measure(shape, size, args, workdir, log))
    print(table(rows))
    for target, measured, verdict in evaluate(rows, "landing-zone"):
        print(f"{verdict:>12}  {target}: {measured}")
    for note in notes:
        print(f"note: {note}")
    if not args.no_results:
        write_results(rows, startup, machine(), args, notes, args.results)
        log(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
