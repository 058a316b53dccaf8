"""Read planned values through dotted paths, knowing what is unknown and what is sensitive.

Terraform's plan JSON gives three parallel trees per resource: ``after`` (the planned
values), ``after_unknown`` (``true`` where a value is known only after apply) and
``after_sensitive`` (``true`` where a value must not be shown). Nested blocks are lists
in all three. A :class:`Node` walks the three together so that a rule asks one question
(``node.get("vpc_config.endpoint_public_access")``) and gets the value, the
:data:`UNKNOWN` marker, or the default; single nested blocks are not wrapped in lists.
"""
from __future__ import annotations

from typing import Any, Iterator, Sequence

__all__ = ["UNKNOWN", "Unknown", "Node", "split_path", "MASK", "mask", "subtree"]

MASK = "(sensitive value)"


class Unknown:
    """The marker for a value Terraform knows only after apply.

    It refuses to be used as a boolean, so that a rule cannot pass (or fail) on a value
    nobody knows yet by accident: ask ``is_unknown(path)`` or compare with ``is UNKNOWN``.
    """

    _instance: "Unknown | None" = None

    def __new__(cls) -> "Unknown":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        raise TypeError(
            "value is unknown until apply: test `is UNKNOWN` or `is_unknown(path)` before using it"
        )

    def __repr__(self) -> str:
        return "(known after apply)"

    def __reduce__(self) -> str:  # pickling keeps the singleton
        return "UNKNOWN"


UNKNOWN = Unknown()

_MISSING = object()
_PATH_CACHE: dict[str, tuple[str | int, ...]] = {}


def split_path(path: str | Sequence[str | int]) -> tuple[str | int, ...]:
    """``"a.b.0.c"`` -> ``("a", "b", 0, "c")``; a sequence is taken as already split."""
    if not isinstance(path, str):
        return tuple(path)
    cached = _PATH_CACHE.get(path)
    if cached is None:
        cached = tuple(int(p) if p.isdigit() else p for p in path.split(".")) if path else ()
        _PATH_CACHE[path] = cached
    return cached


def subtree(tree: Any, key: str | int) -> Any:
    """Descend one step in an after_unknown / after_sensitive tree (``True`` covers all below)."""
    if tree is True:
        return True
    if isinstance(key, int):
        if isinstance(tree, list) and -len(tree) <= key < len(tree):
            return tree[key]
        return None
    if isinstance(tree, dict):
        return tree.get(key)
    if isinstance(tree, list) and len(tree) == 1:
        return subtree(tree[0], key)
    return None


class Node:
    """A view on one object of the planned values (a resource, or one nested block)."""

    __slots__ = ("value", "unknown", "sensitive", "prefix", "_secrets")

    def __init__(self, value: Any, unknown: Any = None, sensitive: Any = None, prefix: str = "") -> None:
        self.value = value
        self.unknown = unknown
        self.sensitive = sensitive
        self.prefix = prefix
        self._secrets: tuple[str, ...] | None = None

    # -- walking ---------------------------------------------------------------------
    def _walk(self, path: str | Sequence[str | int]) -> tuple[Any, Any, Any]:
        value, unknown, sensitive = self.value, self.unknown, self.sensitive
        for key in split_path(path):
            if unknown is True:
                return _MISSING, True, sensitive
            if isinstance(key, int):
                if isinstance(value, list) and -len(value) <= key < len(value):
                    value = value[key]
                else:
                    value = _MISSING
            elif isinstance(value, dict):
                value = value.get(key, _MISSING)
            elif isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
                # a single nested block: no list in the way
                value = value[0].get(key, _MISSING)
                unknown, sensitive = subtree(unknown, 0), subtree(sensitive, 0)
            else:
                value = _MISSING
            unknown, sensitive = subtree(unknown, key), subtree(sensitive, key)
        return value, unknown, sensitive

    def get(self, path: str | Sequence[str | int], default: Any = None) -> Any:
        """The planned value at ``path``; :data:`UNKNOWN` when known only after apply."""
        if type(path) is str and "." not in path and type(self.value) is dict:
            # one attribute of an object: the common case, without the general walk
            tree = self.unknown
            if tree is True:
                return UNKNOWN
            value = self.value.get(path, _MISSING)
            unknown = tree.get(path) if type(tree) is dict else None
        else:
            value, unknown, _ = self._walk(path)
        if unknown is True or (unknown and value in (_MISSING, None)):
            return UNKNOWN
        if value is _MISSING or value is None:
            return default
        return value

    def is_unknown(self, path: str | Sequence[str | int] = "") -> bool:
        """True when the value at ``path`` (or anything in it) is known only after apply."""
        value, unknown, _ = self._walk(path)
        return unknown is True or _contains_true(unknown)

    def is_sensitive(self, path: str | Sequence[str | int] = "") -> bool:
        """True when the value at ``path`` (or anything in it) is marked sensitive."""
        _, _, sensitive = self._walk(path)
        return sensitive is True or _contains_true(sensitive)

    def is_set(self, path: str | Sequence[str | int]) -> bool:
        """True when the value is known and not null/empty."""
        value = self.get(path)
        return value is not UNKNOWN and value not in (None, "", [], {})

    def blocks(self, path: str | Sequence[str | int]) -> list["Node"]:
        """Each element of a repeated nested block (or list of objects) as its own Node."""
        value, unknown, sensitive = self._walk(path)
        if value is _MISSING or value is None:
            return []
        base = self._join(path)
        if isinstance(value, dict):
            return [Node(value, unknown, sensitive, base)]
        if not isinstance(value, list):
            return []
        return [
            Node(item, subtree(unknown, i), subtree(sensitive, i), f"{base}.{i}")
            for i, item in enumerate(value)
        ]

    def masked(self, path: str | Sequence[str | int] = "") -> Any:
        """The value at ``path`` for a report: sensitive parts replaced by :data:`MASK`."""
        value, unknown, sensitive = self._walk(path)
        if unknown is True:
            return repr(UNKNOWN)
        if value is _MISSING:
            return None
        return mask(value, sensitive)

    def sensitive_strings(self) -> tuple[str, ...]:
        """Every string value marked sensitive in this node (to scrub messages), computed once."""
        if self._secrets is None:
            self._secrets = tuple(_sensitive_leaves(self.value, self.sensitive)) if _contains_true(self.sensitive) else ()
        return self._secrets

    def _join(self, path: str | Sequence[str | int]) -> str:
        rel = ".".join(str(p) for p in split_path(path))
        return f"{self.prefix}.{rel}" if self.prefix and rel else (self.prefix or rel)


def _contains_true(tree: Any) -> bool:
    if tree is True:
        return True
    if isinstance(tree, dict):
        return any(_contains_true(v) for v in tree.values())
    if isinstance(tree, list):
        return any(_contains_true(v) for v in tree)
    return False


def mask(value: Any, sensitive: Any, placeholder: str = MASK) -> Any:
    """``value`` with every part its sensitivity tree marks replaced by ``placeholder``."""
    if sensitive is True:
        return placeholder
    if not sensitive:
        return value
    if isinstance(value, dict):
        return {k: mask(v, subtree(sensitive, k), placeholder) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, subtree(sensitive, i), placeholder) for i, v in enumerate(value)]
    return value


def _sensitive_leaves(value: Any, sensitive: Any) -> Iterator[str]:
    if sensitive is True:
        if isinstance(value, (dict, list)):
            items = value.values() if isinstance(value, dict) else value
            for item in items:
                yield from _sensitive_leaves(item, True)
        elif value is not None and not isinstance(value, bool):
            text = str(value)
            if len(text) >= 3:
                yield text
        return
    if isinstance(value, dict) and isinstance(sensitive, dict):
        for key, sub in sensitive.items():
            if key in value:
                yield from _sensitive_leaves(value[key], sub)
    elif isinstance(value, list) and isinstance(sensitive, list):
        for item, sub in zip(value, sensitive):
            yield from _sensitive_leaves(item, sub)
