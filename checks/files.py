"""Reading inputs within limits, and writing files so that a reader never sees one half-written:
the one place for both."""
from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from pathlib import Path
from typing import Iterator, Sequence

DEFAULT_MAX_INPUT_SIZE = 2 * 1024 ** 3  # 2 GiB: far above the largest real plan JSON


class InputRefused(OSError):
    """An input that is not a regular file, or larger than the limit."""

    def __init__(self, message: str, too_big: bool = False) -> None:
        super().__init__(message)
        self.too_big = too_big

    def __str__(self) -> str:
        return str(self.args[0])


def read_regular(path: str | Path, max_size: int = DEFAULT_MAX_INPUT_SIZE) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes.

    A FIFO, a device (``/dev/zero``), a socket or a directory is refused before it is read
    (it could block or never end): :class:`InputRefused`, as is a file over the limit; the
    read stops one byte past the limit, so that no input can exhaust memory. Other
    failures are the ``OSError`` the system gives (``FileNotFoundError`` ...).
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat judges what was opened
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputRefused("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputRefused("not a regular file (a FIFO, device or socket): write the data to a file first")
        too_big = InputRefused(f"larger than the input limit of {max_size} bytes", too_big=True)
        if info.st_size > max_size:
            raise too_big
        data = handle.read(max_size + 1)
    if len(data) > max_size:  # the file grew while it was read
        raise too_big
    return data


def temp_beside(target: Path, data: bytes, tag: str = "") -> Path:
    """Write ``data`` to a new temporary file next to ``target`` (same directory, so the
    rename is atomic) with ordinary file permissions; return its path, to be moved into
    place with ``os.replace`` (or removed) by the caller."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{tag}", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:  # closing (the last flush) inside the try too
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(target: Path, data: bytes | str) -> Path:
    """Replace ``target`` with ``data`` (text is written as UTF-8) in one rename."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    os.replace(temp_beside(target, raw), target)
    return target


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise KeyboardInterrupt (as SIGINT does), so
    that a killed run still runs its cleanup (``finally``/``except``) and leaves no temp file."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def write_all_atomic(items: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write each ``(target, data)`` to a temp file beside its target, and only when every
    one is written, move them all into place: an error (ENOSPC, EFBIG, ...) or a signal
    before that leaves every target as it was and no temp file behind.

    The temp files of one call share a random tag in their names, so that the cleanup finds
    even one a signal interrupted between its creation and its registration, and never
    touches another process's."""
    import secrets

    tag = f"{secrets.token_hex(6)}."
    with signals_interrupt():
        try:
            temps = [temp_beside(target, data, tag) for target, data in items]
            for tmp, (target, _) in zip(temps, items):
                os.replace(tmp, target)
        except BaseException:
            _remove_tagged({target.parent for target, _ in items}, tag)
            raise
    return [target for target, _ in items]


def _remove_tagged(directories: set[Path], tag: str) -> None:
    for directory in directories:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and f".{tag}" in name and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)


def refuse_special(target: str | Path) -> None:
    """An output target must be a regular file or not exist yet: a directory, FIFO, device or
    terminal (``/dev/stdout``) would be replaced by a regular file, or block. LzError otherwise."""
    from checks.errors import LzError

    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LzError(f"--output {target}: cannot use it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise LzError(f"--output {target}: is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise LzError(f"--output {target}: not a regular file (a FIFO, device or terminal); "
                      "use --output - to write to stdout")
