"""Writing files so that a reader never sees one half-written: the one place for it."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temp_beside(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file next to ``target`` (same directory, so the
    rename is atomic) with ordinary file permissions; return its path, to be moved into
    place with ``os.replace`` (or removed) by the caller."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
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
