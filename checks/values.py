"""Read planned values through dotted paths, knowing what is unknown and what is sensitive.

Terraform's plan JSON gives three parallel trees per resource: ``after`` (the planned
values), ``after_unknown`` (``true`` where a value is known only after apply) and
``after_sensitive`` (``true`` where a value must not be shown). Nested blocks are lists
in all three. A :class:`Node` walks the three together so that a rule asks one question
(``node.get("vpc_config.endpoint_public_access")``) and gets the value, the
:data:`UNKNOWN` marker, or the default; single nested blocks are not wrapped in lists.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence

__all__ = ["UNKNOWN", "Unknown", "Node", "split_path", "MASK", "mask", "subtree", "Scrubber", "sensitive_values"]

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

    __slots__ = ("value", "unknown", "sensitive", "prefix")

    def __init__(self, value: Any, unknown: Any = None, sensitive: Any = None, prefix: str = "") -> None:
        self.value = value
        self.unknown = unknown
        self.sensitive = sensitive
        self.prefix = prefix

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


# --------------------------------------------------------------------------------------
# the plan's sensitive values, and the one scrubber every finding and report part passes

MIN_SECRET_LENGTH = 3  # shorter sensitive strings ("on", "1") would mask every word they occur in


def sensitive_values(value: Any, sensitive: Any) -> Iterator[Any]:
    """Every scalar (and every map key) marked sensitive in ``value`` by the ``sensitive``
    tree (``after_sensitive`` / ``sensitive_values`` shape), nested blocks included."""
    if sensitive is True:
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from sensitive_values(item, True)
        elif isinstance(value, list):
            for item in value:
                yield from sensitive_values(item, True)
        elif value is not None and not isinstance(value, bool):
            yield value
        return
    if isinstance(value, dict) and isinstance(sensitive, dict):
        for key, sub in sensitive.items():
            if key in value:
                yield from sensitive_values(value[key], sub)
    elif isinstance(value, list) and isinstance(sensitive, list):
        for item, sub in zip(value, sensitive):
            yield from sensitive_values(item, sub)
    elif isinstance(value, list) and isinstance(sensitive, dict) and len(value) == 1:
        yield from sensitive_values(value[0], sensitive)  # a single nested block, tree not wrapped


def _fragments(text: str) -> Iterator[str]:
    """A sensitive string and, when it is a JSON document (a policy), every key and string
    in it: a rule that parses the document and names a part (a Sid) must not show it."""
    yield text
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] in "[{":
        import json

        try:
            document = json.loads(stripped)
        except ValueError:
            return
        stack = [document]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for key, item in node.items():
                    yield str(key)
                    stack.append(item)
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                yield node
            elif isinstance(node, (int, float)) and not isinstance(node, bool):
                yield str(node)


def _fold(text: str) -> str:
    """Lower case with the length kept (a character whose lower case is longer stays as is),
    so that positions in the folded text are positions in the text."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Scrubber:
    """Masks every sensitive value of a plan wherever it shows up.

    Built from all the plan's sensitive scalars (and the parts of sensitive JSON
    documents), it replaces each occurrence in a text with :data:`MASK` (case-insensitive,
    as a substring: a message that embeds a secret in a sentence is scrubbed) and masks a
    whole evidence value (or map key) that contains one. The engine passes every finding
    through it, native and checkov alike, and the reports' other plan-derived parts (the
    cost estimate, rule errors), so that no rule can go around it.
    """

    def __init__(self, secrets: Iterable[Any]) -> None:
        texts: set[str] = set()
        for secret in secrets:
            text = secret if isinstance(secret, str) else str(secret)
            for part in _fragments(text):
                part = part.strip()
                if len(part) >= MIN_SECRET_LENGTH and part != MASK:
                    texts.add(part)
        self.secrets = frozenset(texts)
        self._lowered = frozenset(_fold(t) for t in texts)
        # folded secrets by their first characters, longest first: a scan looks up each
        # position of a text once (a regex alternation of thousands of secrets tries each
        # one at every position)
        index: dict[str, list[str]] = {}
        for folded in self._lowered:
            index.setdefault(folded[:MIN_SECRET_LENGTH], []).append(folded)
        for group in index.values():
            group.sort(key=len, reverse=True)
        self._index = index

    def __bool__(self) -> bool:
        return bool(self._index)

    def _spans(self, text: str, first_only: bool = False) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping (start, end) of the secrets in ``text``."""
        folded = _fold(text)
        index, width, spans = self._index, MIN_SECRET_LENGTH, []
        i, end = 0, len(folded) - width + 1
        while i < end:
            group = index.get(folded[i:i + width])
            if group is not None:
                for secret in group:
                    if folded.startswith(secret, i):
                        spans.append((i, i + len(secret)))
                        if first_only:
                            return spans
                        i += len(secret)
                        break
                else:
                    i += 1
            else:
                i += 1
        return spans

    def text(self, text: str) -> str:
        """``text`` with every sensitive value in it (any letter case) replaced by :data:`MASK`."""
        if not self._index or not isinstance(text, str):
            return text
        spans = self._spans(text)
        if not spans:
            return text
        out, last = [], 0
        for start, stop in spans:
            out += [text[last:start], MASK]
            last = stop
        out.append(text[last:])
        return "".join(out)

    def hits(self, text: str) -> bool:
        return bool(self._index) and bool(self._spans(text, first_only=True))

    def value(self, value: Any) -> Any:
        """An evidence value with every string that contains a sensitive value (and every
        number equal to one) replaced by :data:`MASK`, in maps (keys too) and lists at any depth."""
        if not self._index:
            return value
        if isinstance(value, str):
            return MASK if self.hits(value) else value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            return MASK if _fold(str(value)) in self._lowered else value
        if isinstance(value, dict):
            return {(MASK if isinstance(k, str) and self.hits(k) else k): self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        text = str(value)
        return MASK if self.hits(text) else value

    def texts(self, data: Any) -> Any:
        """Report data of a fixed shape (the cost estimate): every sensitive value inside a
        string leaf replaced by :data:`MASK`; keys and numbers, which the writers compute
        with, stay as they are."""
        if not self._index:
            return data
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return {k: self.texts(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self.texts(v) for v in data]
        return data
