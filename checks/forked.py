"""A function run in a forked worker process while the caller goes on.

``Forked(fn)`` forks; the child runs ``fn()`` and sends its value (or the exception it
raised) back through a pipe, pickled; :meth:`Forked.result` waits for it. The child starts
with a copy of the caller's memory (copy-on-write), so nothing is sent to it, and it leaves
with ``os._exit`` (no atexit handler, no second flush of the caller's buffers).

Where ``os.fork`` does not exist (Windows), or with ``GENAI_LZ_WORKERS=0``, ``fn`` runs in
the calling process at :meth:`Forked.result` instead: the same value, without the overlap.
:meth:`Forked.close` stops a child whose value is no longer wanted (the caller failed).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from typing import Callable, Generic, TypeVar

from checks.errors import ToolError

__all__ = ["Forked", "workers_enabled"]

T = TypeVar("T")
#: set to 0 to run every worker's function in the calling process
WORKERS_ENV = "GENAI_LZ_WORKERS"


def workers_enabled() -> bool:
    """Whether :class:`Forked` forks (``os.fork`` exists and ``GENAI_LZ_WORKERS`` is not 0)."""
    return hasattr(os, "fork") and os.environ.get(WORKERS_ENV, "1").strip() != "0"


class Forked(Generic[T]):
    """``fn()`` in a forked child; :meth:`result` is its value, or raises what it raised."""

    def __init__(self, fn: Callable[[], T], name: str = "worker") -> None:
        self.name = name
        self.started = time.perf_counter()
        self.seconds = 0.0  # the child's wall time, from fork to its value (0 until result)
        self._fn: Callable[[], T] | None = fn
        self._pid = 0
        self._read = -1
        self._done = False
        self._value: T | None = None
        if not workers_enabled():
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            read, write = os.pipe()
        except OSError:  # no descriptor left: run it here instead
            return
        try:
            pid = os.fork()
        except OSError:  # no process left (EAGAIN, ENOMEM): run it here instead
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child
            os.close(read)
            self._child(fn, write)
        os.close(write)
        self._pid, self._read, self._fn = pid, read, None

    @staticmethod
    def _child(fn: Callable[[], T], write: int) -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the caller reports it, the child just stops
        _die_with_parent()
        _fresh_std_streams()
        code = 0
        try:
            started = time.perf_counter()
            try:
                outcome: tuple[str, object] = ("value", fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                outcome = ("error", _portable(exc))
            payload = pickle.dumps((outcome, time.perf_counter() - started), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001 - the pipe is gone (the caller stopped): nothing to tell
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def result(self) -> T:
        """The value of ``fn()`` (waits for the child), or the exception it raised."""
        if self._done:
            return self._value  # type: ignore[return-value]
        if self._fn is not None:  # no fork: run it here
            fn, self._fn = self._fn, None
            self._value = fn()
            self.seconds = time.perf_counter() - self.started
            self._done = True
            return self._value
        with os.fdopen(self._read, "rb") as pipe:
            self._read = -1
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not payload:
            raise ToolError(f"the {self.name} process stopped without a result (wait status {status}); "
                            f"rerun with {WORKERS_ENV}=0 to run it in this process and see why")
        (kind, value), self.seconds = pickle.loads(payload)
        if kind == "error":
            raise value
        self._value, self._done = value, True
        return self._value

    def close(self) -> None:
        """Stop the child if it still runs (its value is not wanted) and reap it."""
        if self._read >= 0:
            os.close(self._read)
            self._read = -1
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0
        self._fn = None

    def __enter__(self) -> "Forked[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling as itself, else a ToolError with its type and message."""
    try:
        back = pickle.loads(pickle.dumps(exc))
        if type(back) is type(exc) and str(back) == str(exc):
            return exc
    except Exception:  # noqa: BLE001 - not picklable: described instead
        pass
    return ToolError(f"{type(exc).__name__}: {exc}")


def _fresh_std_streams() -> None:
    """New sys.stdout / sys.stderr objects on the same descriptors: another thread of the
    caller (a progress spinner) may have held a stream's lock at the fork, and in the child
    no one would ever release it."""
    for name, fd in (("stdout", 1), ("stderr", 2)):
        try:
            setattr(sys, name, os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace"))
        except OSError:  # the descriptor is closed: leave the stream as it is
            pass


def _die_with_parent() -> None:
    """On Linux: the kernel kills this process when the one that forked it ends (killed,
    interrupted, timed out), so no worker goes on computing for nobody."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl: the worker ends on a closed pipe instead
        pass
