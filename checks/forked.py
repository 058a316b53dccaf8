"""A function run in a forked worker process while the caller goes on.

``Forked(fn)`` forks; the child runs ``fn()`` and sends its value (or the exception it
raised) back through a pipe, pickled; :meth:`Forked.result` waits for it. The child starts
with a copy of the caller's memory (copy-on-write), so nothing is sent to it, and it leaves
with ``os._exit`` (no atexit handler, no second flush of the caller's buffers).

Where ``os.fork`` does not exist (Windows), or with ``GENAI_LZ_WORKERS=0``, ``fn`` runs in
the calling process at :meth:`Forked.result` instead: the same value, without the overlap.
:meth:`Forked.close` stops a child whose value is no longer wanted (the caller failed).

While it runs, the child may :func:`post` values: an early look at part of its result,
which the caller reads with :meth:`Forked.parts` before the whole is ready. The value of
``fn()`` stays complete either way (a caller may ignore the parts); inline, nothing is
posted.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import time
from typing import Any, Callable, Generic, Iterator, TypeVar

from checks.errors import ToolError

__all__ = ["Forked", "post", "keep_until_exit", "lower_priority", "workers_enabled"]

T = TypeVar("T")
#: set to 0 to run every worker's function in the calling process
WORKERS_ENV = "GENAI_LZ_WORKERS"
#: a message on the pipe: its length, then (kind, value) pickled; kinds: part, value, error
_HEADER = struct.Struct("!Q")
#: in a child: the write end of its pipe to the caller (None in the caller, and inline)
_channel: Any = None


def post(value: object) -> None:
    """Inside a :class:`Forked` child: send ``value`` to the caller now, as a part of the
    result it may read early (:meth:`Forked.parts`). Elsewhere (the caller, inline mode):
    nothing."""
    if _channel is not None:
        _send(_channel, "part", value)


#: what a child keeps alive until it leaves (see keep_until_exit)
_kept: list[object] = []


def keep_until_exit(*objects: object) -> None:
    """Inside a :class:`Forked` child: keep ``objects`` alive until the child leaves. It
    leaves by ``os._exit``, which frees its memory at once; a large structure freed object
    by object when the last reference goes (a graph, a parsed plan) only delays its answer.
    Elsewhere: nothing, they are freed as usual."""
    if _channel is not None:
        _kept.extend(objects)


def lower_priority(increment: int) -> None:
    """Inside a :class:`Forked` child: lower its CPU priority by ``increment`` (``os.nice``)
    for the rest of its life, so that on a busy machine the processes it waits for get the
    cores first (its own work has slack). Elsewhere (the caller, inline mode): nothing; a
    process that may not change its priority goes on as it is."""
    if _channel is None or increment <= 0 or not hasattr(os, "nice"):
        return
    try:
        os.nice(increment)
    except OSError:
        pass


def _send(pipe: Any, kind: str, value: object) -> None:
    payload = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(payload)))
    pipe.write(payload)
    pipe.flush()


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
        self._pipe: Any = None  # the read end, as a file, once read
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None
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
        global _channel
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the caller reports it, the child just stops
        _die_with_parent()
        _fresh_std_streams()
        code = 0
        try:
            with os.fdopen(write, "wb") as pipe:
                _channel = pipe
                started = time.perf_counter()
                outcome: tuple[str, object]
                try:
                    outcome = ("value", fn())
                except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                    outcome = ("error", _portable(exc))
                kind, value = outcome
                _channel = None
                _send(pipe, kind, (value, time.perf_counter() - started))
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
            if self._error is not None:
                raise self._error
            return self._value  # type: ignore[return-value]
        if self._fn is not None:  # no fork: run it here
            fn, self._fn = self._fn, None
            try:
                self._value = fn()
            except BaseException as exc:  # kept: asked again, it is raised again, as after a fork
                self._error = exc
                raise
            finally:
                self.seconds = time.perf_counter() - self.started
                self._done = True
            return self._value
        for _ in self.parts():  # parts nobody read: the value holds them too
            pass
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def parts(self) -> Iterator[Any]:
        """The values the child posts (:func:`post`), as they arrive, until its value is
        there (then :meth:`result` returns at once). Nothing when it runs inline."""
        if self._pipe is None and self._read >= 0:
            self._pipe = os.fdopen(self._read, "rb")
        while self._pipe is not None:
            message = self._message()
            if message is None:
                self._ended(None)
                return
            kind, value = message
            if kind == "part":
                yield value
                continue
            self._ended((kind, value))

    def _message(self) -> tuple[str, Any] | None:
        """The next message from the child; None when the pipe closed before a whole one."""
        assert self._pipe is not None
        header = self._pipe.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack(header)
        payload = self._pipe.read(size)
        if len(payload) < size:
            return None
        message: tuple[str, Any] = pickle.loads(payload)
        return message

    def _ended(self, final: tuple[str, Any] | None) -> None:
        """The child's last message (None: it sent none): its value or error, stored."""
        assert self._pipe is not None
        self._pipe.close()
        self._pipe, self._read = None, -1
        pid, self._pid = self._pid, 0
        self._done = True
        if final is None:
            _, status = os.waitpid(pid, 0)
            self._error = ToolError(f"the {self.name} process stopped without a result (wait status {status}); "
                                    f"rerun with {WORKERS_ENV}=0 to run it in this process and see why")
            raise self._error
        # the child has sent its value and is exiting: the kernel freeing its memory takes a
        # while (tens of milliseconds for a large heap), which the caller need not wait for
        threading.Thread(target=_reap, args=(pid,), name=f"reap {self.name}", daemon=True).start()
        kind, (value, self.seconds) = final
        if kind == "error":
            self._error = value
        else:
            self._value = value

    def close(self) -> None:
        """Stop the child if it still runs (its value is not wanted) and reap it."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        elif self._read >= 0:
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


def _reap(pid: int) -> None:
    """Wait for the child ``pid`` to end, so it leaves no zombie."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped
        pass


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
