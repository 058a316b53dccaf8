"""Progress: a step's line is printed before its work starts; a spinner on a terminal only;
the demo writes all five report formats per root/env.

The demo runs in-process with a fake Terraform driver and a fake clock (the real one takes
minutes against the emulator); the check of its output is the same function a real
`make demo` log goes through (``step_order_errors``)."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from checks.ops import demo as demo_module
from checks.ops import emulator
from checks.ops import workspace
from checks.ops.progress import Progress
from checks.ops.workspace import Workspace, repo_root

SMALL_PLAN = repo_root() / "policies" / "operational_excellence" / "LZ-OPS-001_log_group_retention" / "pass.json"
FORMATS = ("report.json", "report.md", "report.html", "report.sarif", "report.xml")
STEP_RE = re.compile(r"^\[\s*(\d+)\] (.+?)\s+(started|ok|FAILED after|interrupted after)(?: [\d.]+s| \d\d:\d\d:\d\dZ)?$")


def step_order_errors(lines: list[str], work: str = "WORK ") -> list[str]:
    """What is wrong in a demo log: a step whose end line is not preceded by its start line,
    or a work marker (``work`` prefix) outside a started, unfinished step."""
    errors, started, open_step = [], {}, None
    for index, line in enumerate(lines):
        match = STEP_RE.match(line)
        if match:
            number, name, what = int(match.group(1)), match.group(2).strip(), match.group(3)
            if what == "started":
                started[number] = (name, index)
                open_step = number
            else:
                if number not in started or started[number][0] != name:
                    errors.append(f"step {number} {name!r} ended without a start line before it")
                open_step = None
        elif line.startswith(work) and open_step is None:
            errors.append(f"line {index}: work {line!r} ran before its step line")
    return errors


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 0.5
        return self.now


class FakeRunner:
    """TerraformRunner stand-in: writes what it does as a work line on the demo's output."""

    say = staticmethod(print)

    def __init__(self, ws: Workspace, env=None) -> None:
        self.ws = ws

    def _work(self, what: str) -> None:
        FakeRunner.say(f"WORK {what} {self.ws.label}")

    def init(self):
        self._work("init")

    def plan(self, out: Path, extra=None, targets=()):
        self._work("plan")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("plan")

    def show_json(self, plan_file: Path) -> dict:
        return json.loads(SMALL_PLAN.read_text())

    def write_plan_json(self, plan_file: Path, json_file: Path) -> dict:
        shutil.copy(SMALL_PLAN, json_file)
        return self.show_json(plan_file)

    def apply(self, plan_file: Path):
        self._work("apply")

    def destroy(self, extra=None):
        self._work("destroy")

    def state_list(self) -> list[str]:
        return ["aws_cloudwatch_log_group.pass"]


@pytest.fixture()
def fake_demo(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "build_dir", lambda: tmp_path / "build")
    monkeypatch.setattr(Workspace, "report_dir", property(lambda self: tmp_path / "reports" / self.name))
    running = emulator.Emulator(pid=1, port=1)
    monkeypatch.setattr(emulator, "up", lambda: (running, True))
    monkeypatch.setattr(emulator, "seed", lambda emu: FakeRunner.say("WORK seed"))
    monkeypatch.setattr(emulator, "down", lambda: FakeRunner.say("WORK down"))
    monkeypatch.setattr(emulator, "list_state_objects", lambda emu, bucket: [
        "audit/terraform.tfstate", "log-archive/terraform.tfstate", "organization/terraform.tfstate",
        "workload/dev/terraform.tfstate"])
    monkeypatch.setattr(demo_module, "write_cli_config", lambda: None)
    monkeypatch.setattr(demo_module, "ensure_terraform", lambda: (1, 9, 0))
    monkeypatch.setattr(demo_module, "TerraformRunner", FakeRunner)

    def bootstrap(tf, say):
        FakeRunner.say("WORK bootstrap")
        return {"bucket_name": "bucket"}

    monkeypatch.setattr(demo_module, "apply_bootstrap", bootstrap)
    # no emulator here: the publish step's work is announced like the others (the real ASFF round trip
    # through the emulator is tests/test_securityhub.py)
    monkeypatch.setattr(demo_module.Demo, "_publish_findings", lambda self: FakeRunner.say("WORK publish"))
    return tmp_path


def test_the_demo_announces_every_step_before_its_work_and_writes_all_five_formats(fake_demo, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(FakeRunner, "say", staticmethod(lambda text: print(text, file=out)))
    progress = Progress(out, clock=FakeClock(), tty=False)
    assert demo_module.Demo(["dev"], progress=progress).run() == 0
    lines = out.getvalue().splitlines()
    assert step_order_errors(lines) == []
    assert sum(1 for ln in lines if ln.startswith("WORK ")) >= 10  # the check above saw the work
    starts = [ln for ln in lines if STEP_RE.match(ln) and STEP_RE.match(ln).group(3) == "started"]
    ends = [ln for ln in lines if STEP_RE.match(ln) and " ok " in ln]
    assert len(starts) == len(ends) >= 12
    assert "\r" not in out.getvalue()  # no TTY: plain lines only
    for name in ROW_NAMES:
        present = sorted(p.name for p in (fake_demo / "reports" / name).iterdir())
        assert set(FORMATS) <= set(present), present
    assert real_demo_log_errors(out.getvalue(), fake_demo / "reports") == []  # the check a real log goes through
    # log-archive and audit come after the organization and before the workloads; destroyed in reverse
    for work in ("init", "apply"):
        assert _work_order(lines, work) == ROW_LABELS, work
    assert _work_order(lines, "plan") == ROW_LABELS * 2  # the checked plans, then the emulator's
    assert _work_order(lines, "destroy") == ROW_LABELS[::-1]
    table = {m.group(1) for ln in lines if (m := re.match(r"^(\S+)\s+\S+\s+\d+\s+\d+\s+\d+\s", ln))}
    assert table == {"organization", "log-archive", "audit", "workload"}, table


ROW_LABELS = ["organization/management", "log-archive/log-archive", "audit/audit", "workload/dev"]
ROW_NAMES = [label.replace("/", "-") for label in ROW_LABELS]


def _work_order(lines: list[str], work: str) -> list[str]:
    return [ln.split()[-1] for ln in lines if ln.startswith(f"WORK {work} ")]


def test_the_order_check_catches_a_line_printed_after_the_work():
    late = ["WORK bootstrap", "[ 1] bootstrap                                  ok 70.0s"]
    assert step_order_errors(late)
    assert step_order_errors(["[ 1] bootstrap started 21:00:00Z", "WORK bootstrap", "[ 1] bootstrap ok 70.0s"]) == []


def test_a_failed_step_says_so_with_its_duration():
    out = io.StringIO()
    progress = Progress(out, clock=FakeClock(), tty=False)
    with pytest.raises(RuntimeError), progress.step("apply workload/dev"):
        raise RuntimeError("boom")
    first, last = out.getvalue().splitlines()
    assert re.search(r"started \d\d:\d\d:\d\dZ$", first) and re.search(r"FAILED after [\d.]+s$", last)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_shows_the_elapsed_time():
    import threading

    out = Terminal()
    ticked = threading.Event()
    clock = FakeClock()

    def spy() -> float:
        value = clock()
        if "\r" in out.getvalue() and re.search(r"[|/\\-] +\d+s", out.getvalue()):
            ticked.set()
        return value

    progress = Progress(out, clock=spy, tick=0.01)
    with progress.step("bootstrap state bucket"):
        assert ticked.wait(5), out.getvalue()
    text = out.getvalue()
    assert text.count("\n") == 1  # one line: rewritten in place, then the result
    assert text.rstrip("\n").split("\r\x1b[K")[-1].startswith("[ 1] bootstrap state bucket")
    assert re.search(r"ok [\d.]+s\n$", text)


def real_demo_log_errors(text: str, reports: Path) -> list[str]:
    """What is wrong in the output of a real `make demo` (no TTY): a step line after its
    work, start times that go backwards, or a root/env without all five report formats."""
    lines = [ln for ln in text.splitlines() if STEP_RE.match(ln) or ln.startswith("WORK ")]
    errors = step_order_errors(lines)
    times = [m.group(0) for ln in lines if (m := re.search(r"\d\d:\d\d:\d\dZ$", ln))]
    if not times:
        errors.append("no step start line with its time: was the output a terminal?")
    elif times != sorted(times) and not any(a > b and a[:2] == "23" for a, b in zip(times, times[1:])):
        errors.append(f"step start times go backwards: {times}")
    rows = re.findall(r"^(organization|log-archive|audit|workload)\s+(\S+)\s+\d+\s+\d+", text, re.MULTILINE)
    if not rows:
        errors.append("no summary table")
    for root, env in rows:
        missing = [f for f in FORMATS if not (reports / f"{root}-{env}" / f).is_file()]
        if missing:
            errors.append(f"reports/{root}-{env}/ lacks {', '.join(missing)}")
    return errors


def test_the_real_demo_log_check_finds_what_is_missing(tmp_path):
    log = ("[ 1] emulator up started 21:00:00Z\n[ 1] emulator up ok 1.0s\n\n"
           "root          env         resources  applied\n"
           "organization  management  10         5\n")
    (tmp_path / "organization-management").mkdir()
    (tmp_path / "organization-management" / "report.json").write_text("{}")
    errors = real_demo_log_errors(log, tmp_path)
    assert errors == ["reports/organization-management/ lacks report.md, report.html, report.sarif, report.xml"]


@pytest.mark.skipif("GENAI_LZ_DEMO_LOG" not in __import__("os").environ,
                    reason="set GENAI_LZ_DEMO_LOG=<the saved output of `make demo > log`> to check a real run "
                           "(it takes minutes against the emulator)")
def test_a_real_demo_log():
    import os

    text = Path(os.environ["GENAI_LZ_DEMO_LOG"]).read_text()
    assert real_demo_log_errors(text, repo_root() / "reports") == []
