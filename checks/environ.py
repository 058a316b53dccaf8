"""Set environment variables for the length of a block, and put them back afterwards."""
from __future__ import annotations

import contextlib
import os
from typing import Iterator, Mapping


@contextlib.contextmanager
def overridden(overrides: Mapping[str, str | None]) -> Iterator[None]:
    """Within the block, each variable has its override value (None = unset)."""
    saved = {key: os.environ.get(key) for key in overrides}
    try:
        _set(overrides)
        yield
    finally:
        _set(saved)


def _set(values: Mapping[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
