"""Progress of long steps (Terraform init/plan/apply, the demo's steps).

A step's line is printed when the step STARTS, so a slow bootstrap or apply is never
silent. On a terminal the line then shows the elapsed time, rewritten in place about once a
second (a one-line spinner), and is replaced by the result when the step ends. Without a
terminal (CI logs, pipes) there are only plain lines: one when the step starts (with the UTC
wall time, so a log can be matched against Terraform's own logs), one when it ends, never a
carriage return.
"""
from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import IO, Callable, Iterator

SPINNER = "|/-\\"


class Progress:
    """Numbered step lines on ``out``; ``tty`` None = ask the stream (``isatty``)."""

    def __init__(self, out: IO[str] | None = None, clock: Callable[[], float] = time.monotonic,
                 tty: bool | None = None, width: int = 46, numbered: bool = True, tick: float = 1.0,
                 wall: Callable[[], float] = time.time) -> None:
        self.out = out if out is not None else sys.stderr
        self.clock = clock
        self.wall = wall
        self.tty = _isatty(self.out) if tty is None else tty
        self.width = width
        self.numbered = numbered
        self.tick = tick
        self.count = 0
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def _head(self, number: int, name: str) -> str:
        return f"[{number:2d}] {name:<{self.width}}" if self.numbered else f"{name:<{self.width}}"

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Announce ``name`` now; on exit print ok / FAILED / interrupted with the duration."""
        self.count += 1
        head = self._head(self.count, name)
        started = self.clock()
        stop = threading.Event()
        spinner: threading.Thread | None = None
        if self.tty:
            self._write(f"{head} ...")
            spinner = threading.Thread(target=self._spin, args=(head, started, stop), daemon=True)
            spinner.start()
        else:
            self.say(f"{head} started {time.strftime('%H:%M:%SZ', time.gmtime(self.wall()))}")
        outcome = "FAILED after"
        try:
            yield
            outcome = "ok"
        except KeyboardInterrupt:
            outcome = "interrupted after"
            raise
        finally:
            stop.set()
            if spinner is not None:
                spinner.join()
            seconds = self.clock() - started
            line = f"{head} {outcome} {seconds:.1f}s"
            with self._lock:
                if self.tty:
                    self.out.write("\r\x1b[K")
                print(line, file=self.out, flush=True)

    def run(self, name: str, fn: Callable[[], object]) -> object:
        with self.step(name):
            return fn()

    def _write(self, text: str) -> None:
        with self._lock:
            self.out.write("\r\x1b[K" + text)
            self.out.flush()

    def _spin(self, head: str, started: float, stop: threading.Event) -> None:
        turn = 0
        while not stop.wait(self.tick):
            turn += 1
            self._write(f"{head} {SPINNER[turn % len(SPINNER)]} {self.clock() - started:4.0f}s")


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
