"""checks/forked.py: a function run in a forked worker gives its value, or raises what it
raised, exactly as a call in this process would; a worker no longer wanted is stopped."""
from __future__ import annotations

import os
import time

import pytest

from checks.errors import DataFileError, PlanError, ToolError
from checks import forked
from checks.forked import Forked, keep_until_exit, lower_priority, post, workers_enabled


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(params=["fork", "inline"])
def mode(request, monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1" if request.param == "fork" else "0")
    if request.param == "fork" and not workers_enabled():
        pytest.skip("no os.fork here")
    return request.param


def test_the_value_comes_back_and_the_work_ran_in_another_process(mode):
    with Forked(lambda: (os.getpid(), [{"a": 1}] * 3)) as worker:
        pid, value = worker.result()
    assert value == [{"a": 1}] * 3
    assert (pid != os.getpid()) == (mode == "fork")
    assert worker.result()[1] == value  # asked again: the same value, no second run


def test_the_workers_exception_is_raised_in_the_caller(mode):
    def fails() -> None:
        raise PlanError("plan.json: the file is empty")

    with Forked(fails) as worker:
        with pytest.raises(PlanError, match="the file is empty"):
            worker.result()
        with pytest.raises(PlanError, match="the file is empty"):  # asked again: the same error
            worker.result()


def test_an_exception_that_does_not_survive_pickling_arrives_as_a_tool_error(mode):
    def fails() -> None:
        raise DataFileError("params.yaml", "gate", "is not an object")  # __init__ takes 3 arguments

    with Forked(fails) as worker:
        with pytest.raises((DataFileError, ToolError), match="params.yaml: at gate: is not an object"):
            worker.result()


def _posting() -> list[int]:
    whole = []
    for part in ([1, 2], [3], [{"k": "v"}]):
        post(part)
        whole.extend(part)
    return whole


def test_posted_parts_arrive_in_order_before_the_value(mode):
    with Forked(_posting) as worker:
        parts = list(worker.parts())
        assert worker.result() == [1, 2, 3, {"k": "v"}]
    assert parts == ([[1, 2], [3], [{"k": "v"}]] if mode == "fork" else [])  # inline: nothing is posted
    assert list(worker.parts()) == []  # read once


def test_the_value_comes_back_when_nobody_reads_the_parts(mode):
    with Forked(_posting) as worker:
        assert worker.result() == [1, 2, 3, {"k": "v"}]


def test_a_worker_that_dies_after_a_part_is_a_tool_error_every_time_asked(monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")

    def dies() -> None:
        post("half")
        os._exit(3)

    with Forked(dies, "probe") as worker:
        parts = worker.parts()
        assert next(parts) == "half"
        with pytest.raises(ToolError, match="probe process stopped"):
            next(parts)
        with pytest.raises(ToolError, match="probe process stopped"):
            worker.result()


def test_a_worker_that_dies_without_a_value_is_a_tool_error(monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")
    with Forked(lambda: os._exit(3), "probe") as worker, pytest.raises(ToolError, match="probe process stopped"):
        worker.result()


def test_close_stops_a_worker_that_still_runs(monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")
    worker = Forked(lambda: time.sleep(60))
    pid = worker._pid
    assert pid and _alive(pid)
    worker.close()
    assert not _alive(pid)  # killed and reaped: no zombie left either


def test_a_child_that_gave_its_value_is_reaped_without_the_caller_waiting(monkeypatch):
    """result() returns once the value is read; the child (exiting) is reaped in the
    background, so none is left a zombie."""
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")
    worker = Forked(lambda: os.getpid())
    pid = worker.result()
    assert pid != os.getpid()
    for _ in range(500):  # bounded: 5 s
        if not _alive(pid):
            break
        time.sleep(0.01)
    assert not _alive(pid)  # gone, not a zombie: a zombie still answers kill(pid, 0)
    worker.close()  # nothing left to stop


def test_inline_mode_runs_nothing_until_asked(monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "0")
    ran = []
    worker = Forked(lambda: ran.append(1) or "done")
    assert ran == []
    assert worker.result() == "done" and ran == [1]
    worker.close()


def test_a_workers_own_worker_ends_with_it(monkeypatch, tmp_path):
    """A worker killed while its own worker runs (the main process interrupted): the kernel
    ends the inner one too (Linux), nothing goes on computing for nobody."""
    import sys

    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled() or not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    marker = tmp_path / "inner.pid"

    def outer() -> None:
        inner = Forked(lambda: time.sleep(60))
        marker.write_text(str(inner._pid))
        inner.result()

    worker = Forked(outer)
    for _ in range(200):
        if marker.exists() and marker.read_text():
            break
        time.sleep(0.02)
    inner_pid = int(marker.read_text())
    assert _alive(inner_pid)
    worker.close()

    def state(pid: int) -> str | None:
        """The process's state letter (Z: dead, not yet reaped); None when it is gone."""
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return None

    for _ in range(250):  # the inner worker's parent is gone: the kernel kills it (reaped by init, or a zombie)
        if state(inner_pid) in (None, "Z"):
            break
        time.sleep(0.02)
    assert state(inner_pid) in (None, "Z")


def test_a_worker_writes_to_stderr_although_another_thread_held_its_lock(monkeypatch, capfd):
    """A progress spinner of the caller may hold sys.stderr's lock when the fork happens;
    the child's streams are its own, so its writes do not wait forever."""
    import sys
    import threading

    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")
    held, release = threading.Event(), threading.Event()

    class Holding:
        """sys.stderr, and a lock another thread holds across the fork."""
        lock = threading.Lock()

        def write(self, text: str) -> int:
            with self.lock:
                return len(text)

        def flush(self) -> None:  # the caller's flush before the fork: nothing buffered
            pass

    stream = Holding()

    def hold() -> None:
        with Holding.lock:
            held.set()
            release.wait(10)

    monkeypatch.setattr(sys, "stderr", stream)
    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    held.wait(5)
    import signal

    def too_long(*_: object) -> None:
        raise TimeoutError("the worker waits for a lock no one in it will release")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        with Forked(lambda: print("from the worker", file=sys.stderr) or "ok") as worker:
            assert worker.result() == "ok"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        release.set()
        thread.join(5)
    assert "from the worker" in capfd.readouterr().err


def test_when_no_process_can_be_forked_the_function_runs_here(monkeypatch):
    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    if not workers_enabled():
        pytest.skip("no os.fork here")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    with Forked(lambda: os.getpid()) as worker:
        assert worker.result() == os.getpid()


def test_kept_objects_live_until_a_child_leaves_and_are_freed_as_usual_elsewhere(mode):
    """keep_until_exit: in a child the object outlives its last reference (the child's exit
    frees it); in the caller, and inline, it is freed as usual."""
    import weakref

    class Big:
        pass

    def keeps() -> tuple[bool, int]:
        kept = Big()
        alive = weakref.ref(kept)
        keep_until_exit(kept)
        del kept
        return alive() is not None, os.getpid()

    with Forked(keeps) as worker:
        alive, pid = worker.result()
    assert alive == (mode == "fork") and (pid != os.getpid()) == (mode == "fork")
    assert forked._kept == []  # nothing kept in this process


def test_a_child_lowers_its_own_priority_and_never_the_callers(mode):
    """lower_priority: in a child, its nice value goes up by the increment; in the caller
    (and inline, where the function runs in the caller) it stays."""
    if not hasattr(os, "nice"):
        pytest.skip("no os.nice here")
    before = os.nice(0)

    def lowers() -> tuple[int, int]:
        lower_priority(3)
        return os.nice(0), os.getpid()

    with Forked(lowers) as worker:
        nice, pid = worker.result()
    assert nice == (min(before + 3, 19) if mode == "fork" else before)
    assert os.nice(0) == before
