"""Import-time levers for checkov's fast path: what checkov imports but the plan checks never run.

checkov's modules import, at their top, packages that only its other commands use (the
platform's HTTP client ``aiohttp``, ``boto3`` for the platform upload, ...). Under
:func:`deferred_packages` those packages load as :class:`importlib.util.LazyLoader`
modules: their code runs on the first attribute read, exactly as a plain import would have
run it, and never when nothing reads them. Only packages that checkov imports with a plain
``import X`` (no ``from X import Y``, which reads an attribute at once) are worth listing;
a listed package that something does read simply loads then.

:func:`cached_lr_tables`: checkov parses each JSONPath of its graph checks with a fresh
``bc_jsonpath_ng`` parser, and PLY regenerates the same LALR tables for every one (the
parser is built with ``write_tables=0``). The tables are a pure function of the grammar,
so they are generated once per grammar and reused.
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from typing import Any, Iterator, Sequence

__all__ = ["LAZY_PACKAGES", "deferred_packages", "lazy_hcl_parser", "cached_lr_tables"]

#: measured (tests/benchmarks): imported by checkov's plan path, never read by its checks
LAZY_PACKAGES = ("aiohttp", "boto3", "attr", "wcwidth", "idna")


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the listed top-level packages with the other finders, loading them lazily."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is None or not hasattr(spec.loader, "exec_module"):
                    return None  # a namespace package or an old-style loader: load it as usual
                spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


@contextlib.contextmanager
def deferred_packages(names: Sequence[str] = LAZY_PACKAGES) -> Iterator[None]:
    """While inside: the listed packages, when first imported, load on first use."""
    finder = _LazyFinder(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


class _ParserOnFirstUse:
    """Stands for a ``lark.Lark`` parser and builds it on the first attribute read."""

    def __init__(self, lark_class: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self._lark = (lark_class, args, kwargs)
        self._parser: Any = None

    def __getattr__(self, name: str) -> Any:  # called only for what this object lacks
        if self._parser is None:
            lark_class, args, kwargs = self._lark
            self._parser = lark_class(*args, **kwargs)
        return getattr(self._parser, name)


@contextlib.contextmanager
def lazy_hcl_parser() -> Iterator[None]:
    """While inside: importing ``hcl2.parser`` (checkov imports the package for two line-key
    constants) does not build its HCL parser, a class attribute built at import (tens of
    milliseconds from lark's cache, far more without it); the parser is built on its first
    use, which a plan's scan never makes."""
    if "hcl2.parser" in sys.modules:
        yield
        return
    try:
        import lark
    except ImportError:  # pragma: no cover - checkov requires lark (through python-hcl2)
        yield
        return
    original = lark.Lark
    lark.Lark = lambda *args, **kwargs: _ParserOnFirstUse(original, args, kwargs)  # type: ignore[misc, assignment]
    try:
        try:
            importlib.import_module("hcl2.parser")
        except ImportError:  # pragma: no cover - then whoever needs it says so
            pass
    finally:
        lark.Lark = original  # type: ignore[misc]
    yield


@contextlib.contextmanager
def cached_lr_tables() -> Iterator[None]:
    """While inside: PLY's LALR tables are generated once per grammar (see the module doc)."""
    try:
        from ply import yacc  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - checkov requires ply (through bc-jsonpath-ng)
        yield
        return
    original = yacc.LRGeneratedTable
    tables: dict[tuple[Any, ...], Any] = {}

    def generated_table(grammar: Any, method: str = "LALR", log: Any = None) -> Any:
        key = (method, tuple((p.name, tuple(p.prod), p.func, p.prec) for p in grammar.Productions),
               tuple(sorted(grammar.Precedence.items())))
        found = tables.get(key)
        if found is None:
            found = tables[key] = original(grammar, method, log)
        return found

    yacc.LRGeneratedTable = generated_table
    try:
        yield
    finally:
        yacc.LRGeneratedTable = original
