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

from tests.benchmarks import aggregate as aggregate_bench
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
# issue 20: genai-lz check --checkov (checkov's checks in-process), landing-zone shape
CHECKOV_TARGETS = {
    "dev": "the dev plan (131 resources), checkov import included: <= 1.2 s",
    "1k": "1,000 resources: <= 1.5 s",
    "10k": "10,000 resources: <= 8 s and <= 800 MB",
}


@dataclass
class Run:
    seconds: float
    rss_mb: float
    exit_code: int
    cpu: float = 0.0  # user + sys seconds of the process (less sensitive to other load than wall time)
    stderr: str = ""


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

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)


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
    checkov_profile: str = ""

    @property
    def ratio(self) -> float | None:
        if self.native and self.checkov and self.checkov.runs:
            return self.checkov.median / self.native.median
        return None

    @property
    def checkov_ratio(self) -> float | None:
        """checkov CLI / genai-lz --checkov (wall)."""
        if self.with_checkov and self.with_checkov.runs and self.checkov and self.checkov.runs:
            return self.checkov.median / self.with_checkov.median
        return None


GNU_TIME = Path("/usr/bin/time")
DEV_LABEL = "build/workload-dev.plan.json, 131 resources"


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
    full = [str(GNU_TIME), "-f", "%M %U %S", "-o", str(rss_file), *cmd] if use_time else list(cmd)
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
        cpu = usage.ru_utime + usage.ru_stime  # the child and the processes it waited for
        if use_time:
            fields = rss_file.read_text().split()[-3:]
            if len(fields) == 3 and fields[0].isdigit():
                kib = int(fields[0])
                cpu = float(fields[1]) + float(fields[2])
        if kib is None:  # ru_maxrss is in KiB on Linux, in bytes on macOS
            kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    finally:
        rss_file.unlink(missing_ok=True)
    return Run(elapsed, kib / 1024, proc.returncode, cpu, err.decode("utf-8", "replace"))


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
    return profile_text(proc.stderr, proc.returncode)


def profile_text(stderr: str, code: int = 0) -> str:
    lines = stderr.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("genai-lz profile")), None)
    return "\n".join(lines[start:]) if start is not None else f"(no profile: exit {code})"


def checkov_series(plan: Path, output: Path, runs: int) -> Series:
    """genai-lz check --checkov, ``runs`` times (each with --profile: the last run's breakdown
    of the checkov time is kept, no extra run)."""
    return series(genai_lz_cmd(plan, output, "--checkov", "--profile"), runs)


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


#: a fixed pure-Python loop (the kind of work genai-lz and checkov do), timed in a fresh process
SPEED_PROBE = "import time\nt = time.process_time()\nx = 0\nfor i in range(20_000_000):\n    x += i\nprint(time.process_time() - t)"


def speed_probe() -> float | None:
    """CPU seconds of :data:`SPEED_PROBE`: a shared machine's speed moves from hour to hour
    (another tenant's load), which the load average does not show; RESULTS.md records it at
    the start and at the end, so runs on a slower machine can be told apart."""
    proc = subprocess.run([sys.executable, "-c", SPEED_PROBE], capture_output=True, text=True, check=False, timeout=120)
    try:
        return float(proc.stdout.strip())
    except ValueError:
        return None


def machine(probe_at_start: float | None = None, load_at_start: str | None = None) -> dict[str, str]:
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
    if load_at_start is not None:  # other work on the machine shows in the times
        info["load average at start"] = load_at_start
    if hasattr(os, "getloadavg"):
        info["load average at the end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    probe_now = speed_probe()
    if probe_at_start is not None or probe_now is not None:
        shown = ["-" if p is None else f"{p:.2f} s" for p in (probe_at_start, probe_now)]
        info["speed probe (20M-step Python loop, CPU s; lower is faster)"] = f"{shown[0]} at start, {shown[1]} at the end"
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
        log(f"  genai-lz --checkov x{args.checkov_runs} ...")
        row.with_checkov = checkov_series(plan, workdir / f"{shape}-{size}-ck.json", args.checkov_runs)
        if size in args.profile_sizes:
            row.checkov_profile = profile_text(row.with_checkov.runs[-1].stderr)
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


def checkov_table(rows: list[Row]) -> str:
    """genai-lz --checkov beside the plain checkov CLI: wall (median, min, max), CPU, RSS."""
    head = ("| shape | resources | --checkov median s | min s | max s | CPU s | RSS MB "
            "| checkov CLI s | CPU s | RSS MB | checkov CLI / --checkov |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        ck, cli = r.with_checkov, r.checkov
        if not ck and not cli:
            continue
        ratio = r.checkov_ratio
        lines.append(
            f"| {r.shape} | {r.resources:,} | {_s(ck.median if ck else None)}"
            f"{f' (x{len(ck.runs)})' if ck else ''} | {_s(ck.min if ck else None)} | {_s(ck.max if ck else None)} | "
            f"{_s(ck.cpu if ck else None)} | {_mb(ck.rss if ck else None)} | "
            f"{_s(cli.median if cli else None)} | {_s(cli.cpu if cli else None)} | {_mb(cli.rss if cli else None)} | "
            f"{'-' if ratio is None else f'{ratio:.1f}x'} |"
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


def evaluate_checkov(rows: list[Row], dev: Series | None) -> list[tuple[str, str, str]]:
    """Issue 20's targets for genai-lz --checkov (landing-zone shape; the dev plan itself)."""
    by_size = {r.size: r.with_checkov for r in rows if r.shape == "landing-zone" and r.with_checkov}

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("met" if ok else "NOT MET")

    def shown(series: Series | None) -> str:
        return f"{series.median:.2f} s (CPU {series.cpu:.2f} s), {series.rss:.0f} MB" if series else "-"

    r1, r10 = by_size.get(1_000), by_size.get(10_000)
    return [
        (CHECKOV_TARGETS["dev"], shown(dev), verdict(dev.median <= 1.2 if dev else None)),
        (CHECKOV_TARGETS["1k"], shown(r1), verdict(r1.median <= 1.5 if r1 else None)),
        (CHECKOV_TARGETS["10k"], shown(r10), verdict(r10.median <= 8.0 and r10.rss <= 800 if r10 else None)),
    ]


AGGREGATE_TARGET = ("1,000 reports aggregated (`genai-lz aggregate`, issue 18): <= 5 s CPU "
                    "(user + sys; wall time moves with the load of the shared machine)")


def measure_aggregate(count: int, runs: int, args: argparse.Namespace, workdir: Path, log: Any) -> tuple[int, float, Series]:
    """`genai-lz aggregate` of ``count`` reports derived from the seed plan's report: (reports, MB, series)."""
    seed_plan = args.seed or generate.DEV_PLAN
    seed = aggregate_bench.seed_report(seed_plan, args.plans_dir / f"{seed_plan.stem}.report.json")
    paths = aggregate_bench.build(count, seed, args.plans_dir)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    log(f"aggregate {count} reports ({megabytes:.0f} MB) x{runs} ...")
    return count, megabytes, series(aggregate_bench.aggregate_cmd(paths, workdir / "organization"), runs)


def aggregate_lines(measured: tuple[int, float, Series] | None) -> list[str]:
    if measured is None:
        return []
    count, megabytes, s = measured
    met = "met" if count >= 1000 and s.cpu <= 5 else ("not measured" if count < 1000 else "NOT MET")
    return ["", "## Aggregate: `genai-lz aggregate` of many reports", "",
            f"{count:,} JSON reports of the seed plan ({megabytes:.0f} MB; each its own workspace, 5% of the passing "
            "findings failing instead), a fresh process per run, all three formats written.", "",
            "| reports | MB | median s | min s | max s | CPU s | RSS MB |", "|---|---|---|---|---|---|---|",
            f"| {count:,} | {megabytes:.0f} | {s.median:.2f} | {s.min:.2f} | {s.max:.2f} | {s.cpu:.2f} | {s.rss:.0f} |",
            "", f"- {AGGREGATE_TARGET}: {met}"]


def write_results(rows: list[Row], startup: dict[str, Any], info: dict[str, str], args: argparse.Namespace,
                  notes: list[str], path: Path, dev_checkov: Series | None = None,
                  aggregated: tuple[int, float, Series] | None = None) -> None:
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
        "- `--checkov`: genai-lz with checkov's checks in-process (`genai-lz check PLAN --checkov --profile`), "
        f"{args.checkov_runs} runs per size (median, min, max); CPU = user + sys seconds of the process (median), "
        "which other load on the machine moves less than wall time.",
        f"- checkov: `checkov -f PLAN --framework terraform_plan -o json --quiet` (the venv's CLI), one run per size, "
        f"up to {args.checkov_max_size:,} resources.",
        "- `tests/test_checkov_fast.py` (part of `make test`) proves that `--checkov` reports exactly the findings "
        "checkov's own plan Runner gives on the same plans.",
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
    if any(r.with_checkov or r.checkov for r in rows):
        out += ["", "## checkov: genai-lz --checkov beside the checkov CLI", "", checkov_table(rows)]
        if dev_checkov:
            out += ["", f"The dev plan itself ({DEV_LABEL}): `genai-lz check --checkov` median {dev_checkov.median:.2f} s "
                        f"(min {dev_checkov.min:.2f}, max {dev_checkov.max:.2f}), CPU {dev_checkov.cpu:.2f} s, "
                        f"{dev_checkov.rss:.0f} MB, x{len(dev_checkov.runs)}."]
        out += ["", "### Targets (issue 20, landing-zone shape)", "", "| target | measured | |", "|---|---|---|"]
        for target, measured, verdict in evaluate_checkov(rows, dev_checkov):
            out.append(f"| {target} | {measured} | {verdict} |")
    out += ["", "## Targets (issue 8, landing-zone shape; iam-s3 shape for reference)", "",
            "| target | landing-zone | | iam-s3 | |", "|---|---|---|---|---|"]
    lz, iam = evaluate(rows, "landing-zone"), evaluate(rows, "iam-s3")
    for (target, m1, v1), (_, m2, v2) in zip(lz, iam):
        out.append(f"| {target} | {m1} | {v1} | {m2} | {v2} |")
    out += aggregate_lines(aggregated)
    profiles = [r for r in rows if r.profile]
    if profiles:
        out += ["", "## Where the time goes (`genai-lz check --profile`, one run)", ""]
        for r in profiles:
            out += [f"{r.shape}, {r.resources:,} resources:", "", "```", r.profile, "```", ""]
    checkov_profiles = [r for r in rows if r.checkov_profile]
    if checkov_profiles:
        out += ["", "## Where the --checkov time goes (`genai-lz check --checkov --profile`, the last timed run)", ""]
        for r in checkov_profiles:
            out += [f"{r.shape}, {r.resources:,} resources:", "", "```", r.checkov_profile, "```", ""]
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
    parser.add_argument("--checkov-runs", type=int, default=3, metavar="N",
                        help="genai-lz --checkov runs per size (default 3: the median of 3)")
    parser.add_argument("--profile-sizes", type=int, nargs="*", default=[10_000, 50_000], metavar="N",
                        help="sizes to record a --profile breakdown for (default 10000 50000)")
    parser.add_argument("--seed", type=Path, help="the landing-zone plan to replicate (default build/workload-dev.plan.json)")
    parser.add_argument("--plans-dir", type=Path, default=generate.BENCH_DIR,
                        help="where generated plans are cached (default build/bench)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the results (default tests/benchmarks/RESULTS.md)")
    parser.add_argument("--no-results", action="store_true", help="print the table only")
    parser.add_argument("--aggregate-reports", type=int, default=1000, metavar="N",
                        help="reports `genai-lz aggregate` joins (default 1,000; 0 skips)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.checkov_runs < 1:
        parser.error("--runs and --checkov-runs must be at least 1")

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    notes: list[str] = []
    if not args.no_checkov and not bridge_available():
        notes.append("genai-lz --checkov not measured: checks/integrations/checkov_bridge.py does not exist yet.")
    if args.no_checkov:
        notes.append("checkov and genai-lz --checkov skipped (--no-checkov).")
    rows: list[Row] = []
    load_at_start = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else None
    probe_at_start = speed_probe()
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
        dev_checkov = None
        dev_plan = args.seed or generate.DEV_PLAN
        if not args.no_checkov and bridge_available() and dev_plan.is_file():
            log(f"  genai-lz --checkov on {dev_plan.name} x{args.checkov_runs} ...")
            dev_checkov = checkov_series(dev_plan, workdir / "dev-ck.json", args.checkov_runs)
        for shape in args.shapes:
            for size in sorted(args.sizes):
                rows.append(measure(shape, size, args, workdir, log))
        aggregated = (measure_aggregate(args.aggregate_reports, min(args.runs, 3), args, workdir, log)
                      if args.aggregate_reports > 0 else None)
    print(table(rows))
    if any(r.with_checkov or r.checkov for r in rows):
        print(checkov_table(rows))
    for target, measured, verdict in [*evaluate(rows, "landing-zone"), *evaluate_checkov(rows, dev_checkov)]:
        print(f"{verdict:>12}  {target}: {measured}")
    for line in aggregate_lines(aggregated)[-3:]:
        print(line)
    for note in notes:
        print(f"note: {note}")
    if not args.no_results:
        write_results(rows, startup, machine(probe_at_start, load_at_start), args, notes, args.results, dev_checkov,
                      aggregated)
        log(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
