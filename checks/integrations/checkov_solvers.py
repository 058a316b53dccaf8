"""checkov's connection solvers (graph checks over edges) without their quadratic list scans.

``ConnectionExistsSolver`` asks, per edge of the graph, whether the edge's end vertices are
``in`` the lists of vertices of the check's types (a scan of the list, comparing dicts), and
at the end keeps every vertex that is not ``in`` the passed or unknown ones (a scan per
vertex). With a thousand vertices of a type that is millions of dict comparisons.

:func:`indexed_connection_solvers` keeps the solvers' code and answers the same ``in``
questions through :class:`IndexedList` (identity, else equality within the vertices that
share the block's address and name, which equal dicts always do); the answers, hence the
passed / failed / unknown lists and their order, are the ones of a list scan.
"""
from __future__ import annotations

import contextlib
import itertools
from typing import Any, Iterable, Iterator

__all__ = ["IndexedList", "indexed_connection_solvers", "flat_inner_attributes"]

_ADDRESS, _NAME = "__address__", "block_name_"  # CustomAttributes.TF_RESOURCE_ADDRESS, BLOCK_NAME
_UNHASHABLE = object()


def _part(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return _UNHASHABLE
    return value


def _key(item: Any) -> Any:
    """Equal dicts have equal keys (``1 == 1.0`` hash alike too); anything else: None."""
    if not isinstance(item, dict):
        return None
    return (_part(item.get(_ADDRESS)), _part(item.get(_NAME)))


class IndexedList(list[Any]):
    """A list whose ``in`` is a lookup: True when an item is the object or equals it, as
    ``list.__contains__``. The index follows the list's length (rebuilt after a change)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._index: tuple[int, set[int], dict[Any, list[Any]]] | None = None

    def _built(self) -> tuple[int, set[int], dict[Any, list[Any]]]:
        index = self._index
        if index is None or index[0] != len(self):
            buckets: dict[Any, list[Any]] = {}
            for item in self:
                buckets.setdefault(_key(item), []).append(item)
            index = self._index = (len(self), {id(item) for item in self}, buckets)
        return index

    def __contains__(self, value: object) -> bool:
        _, ids, buckets = self._built()
        if id(value) in ids:
            return True
        key = _key(value)
        if key is None:  # not a dict: compare with everything, as a list does
            return any(item == value for item in self)
        return any(item == value for item in buckets.get(key, ())) or \
            any(item == value for item in buckets.get(None, ()))

    def __setitem__(self, index: Any, value: Any) -> None:
        self._index = None
        super().__setitem__(index, value)

    def __delitem__(self, index: Any) -> None:
        self._index = None
        super().__delitem__(index)


class _Ids:
    """``x in ids`` for block identifiers (tuples), as a list answers it, through a set."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.hashed: set[Any] = set()
        self.other: list[Any] = []
        self.update(items)

    def update(self, items: Iterable[Any]) -> None:
        for item in items:
            try:
                self.hashed.add(item)
            except TypeError:
                self.other.append(item)

    def __contains__(self, value: object) -> bool:
        try:
            if value in self.hashed:
                return True
        except TypeError:  # unhashable: compare with every item, as a list does
            return any(item == value for item in itertools.chain(self.hashed, self.other))
        return any(item == value for item in self.other)


def _and_get_operation(self: Any, graph_connector: Any) -> Any:
    """checkov's AndConnectionSolver.get_operation, its ``not in`` lists as :class:`_Ids`."""
    from checkov.common.checks_infra.solvers.connections_solvers.complex_connection_solver import (
        ComplexConnectionSolver,
    )

    ident = ComplexConnectionSolver.get_check_identifier
    if not self.vertices_under_resource_types:
        return [], [], []
    passed, failed, unknown = self.run_attribute_solvers(graph_connector)
    failed_or_unknown = _Ids(ident(f) for f in itertools.chain(failed, unknown))
    passed = [p for p in passed if ident(p) not in failed_or_unknown]
    for connection_solver in self.get_sorted_connection_solvers():
        connection_solver.set_vertices(graph_connector, failed, unknown)
        passed_solver, failed_solver, unknown_solver = connection_solver.get_operation(graph_connector)
        passed.extend(passed_solver)
        failed.extend(failed_solver)
        unknown.extend(unknown_solver)
        failed_or_unknown.update(ident(f) for f in itertools.chain(failed_solver, unknown_solver))
    failed_ids = _Ids(ident(f) for f in failed)
    unknown_ids = _Ids(ident(u) for u in unknown)
    passed = [p for p in passed if ident(p) not in failed_ids and ident(p) not in unknown_ids]
    unknown = [u for u in unknown if ident(u) not in failed_ids]
    return self.filter_results(passed, failed, unknown)


def _or_get_operation(self: Any, graph_connector: Any) -> Any:
    """checkov's OrConnectionSolver.get_operation, its ``not in`` lists as :class:`_Ids`."""
    from checkov.common.checks_infra.solvers.connections_solvers.base_connection_solver import (
        BaseConnectionSolver,
    )
    from checkov.common.checks_infra.solvers.connections_solvers.complex_connection_solver import (
        ComplexConnectionSolver,
    )

    ident = ComplexConnectionSolver.get_check_identifier
    passed, failed, unknown = self.run_attribute_solvers(graph_connector)
    for connection_solver in [s for s in self.solvers if isinstance(s, BaseConnectionSolver)]:
        connection_solver.set_vertices(graph_connector, [], [])
        passed_solver, failed_solver, unknown_solver = connection_solver.get_operation(graph_connector)
        passed.extend(passed_solver)
        failed.extend(failed_solver)
        unknown.extend(unknown_solver)
    passed_ids = _Ids(ident(p) for p in passed)
    unknown_ids = _Ids(ident(u) for u in unknown)
    unknown = [u for u in unknown if ident(u) not in passed_ids]
    failed = [f for f in failed if ident(f) not in passed_ids and ident(f) not in unknown_ids]
    return self.filter_results(passed, failed, unknown)


@contextlib.contextmanager
def indexed_connection_solvers() -> Iterator[None]:
    """While inside, the connection solvers' vertex lists are :class:`IndexedList` and
    ConnectionExistsSolver's last filter (vertices not passed nor unknown) looks them up."""
    from checkov.common.checks_infra.solvers.connections_solvers.base_connection_solver import (
        BaseConnectionSolver,
    )
    from checkov.common.checks_infra.solvers.connections_solvers.connection_exists_solver import (
        ConnectionExistsSolver,
    )

    original_set_vertices = BaseConnectionSolver.set_vertices
    original_get_operation = ConnectionExistsSolver._get_operation

    def set_vertices(self: Any, graph_connector: Any, exclude_vertices: Any, unknown_vertices: Any) -> None:
        original_set_vertices(self, graph_connector, IndexedList(exclude_vertices), IndexedList(unknown_vertices))
        for name in ("vertices_under_resource_types", "vertices_under_connected_resources_types",
                     "excluded_vertices", "unknown_vertices"):
            setattr(self, name, IndexedList(getattr(self, name)))

    def get_operation(self: Any, graph_connector: Any) -> Any:
        """checkov's ConnectionExistsSolver._get_operation on a rustworkx graph; its last
        filter (``v not in chain(passed, unknown)``) through an IndexedList."""
        from rustworkx import PyDiGraph

        under = (self.vertices_under_resource_types, self.vertices_under_connected_resources_types)
        if not under[0] or not under[1] or not isinstance(graph_connector, PyDiGraph):
            return original_get_operation(self, graph_connector)  # no edge scan or not rustworkx: as it is
        passed: list[Any] = []
        failed: list[Any] = []
        unknown: list[Any] = []
        self.get_rustworkx_operation(graph_connector=graph_connector, passed=passed, failed=failed, unknown=unknown)
        done = IndexedList(itertools.chain(passed, unknown))
        failed.extend([v for v in itertools.chain(*under) if v not in done])
        return passed, failed, unknown

    from checkov.common.checks_infra.solvers.connections_solvers.and_connection_solver import AndConnectionSolver
    from checkov.common.checks_infra.solvers.connections_solvers.or_connection_solver import OrConnectionSolver

    originals = (AndConnectionSolver.get_operation, OrConnectionSolver.get_operation)
    BaseConnectionSolver.set_vertices = set_vertices
    ConnectionExistsSolver._get_operation = get_operation
    AndConnectionSolver.get_operation = _and_get_operation
    OrConnectionSolver.get_operation = _or_get_operation
    try:
        yield
    finally:
        BaseConnectionSolver.set_vertices = original_set_vertices
        ConnectionExistsSolver._get_operation = original_get_operation
        AndConnectionSolver.get_operation, OrConnectionSolver.get_operation = originals


def _fill_inner(out: dict[str, Any], key: str, value: Any, strip_list: bool) -> None:
    """TerraformBlock.get_inner_attributes(key, value, strip_list), written into ``out``."""
    if strip_list and isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, (dict, list)):
        out[key] = value
        return
    holder: Any = [None] * len(value) if isinstance(value, list) else {}
    out[key] = holder
    for part in (range(len(value)) if isinstance(value, list) else list(value.keys())):
        if part != "":
            inner_key = f"{key}.{part}"
            _fill_inner(out, inner_key, value[part], True)
            holder[part] = out[inner_key]
        else:
            del value[part]  # what checkov does with an empty key


@contextlib.contextmanager
def flat_inner_attributes() -> Iterator[None]:
    """While inside, ``TerraformBlock.get_inner_attributes`` writes every level into one dict.

    checkov's version builds a dict per level and merges it into its parent's, so a value
    d levels deep is copied d times (a policy or a tag map flattens into hundreds of
    entries). Writing each entry once, in the same order, gives the same dict: every key a
    level writes starts with that level's key and a dot, so the level's own entry and the
    entry it reads back are never overwritten by a deeper one, and a key written twice
    keeps its first position and its last value, as ``dict.update`` leaves it."""
    from checkov.terraform.graph_builder.graph_components.blocks import TerraformBlock

    original = TerraformBlock.__dict__["get_inner_attributes"]

    def get_inner_attributes(cls: Any, attribute_key: str, attribute_value: Any,
                             strip_list: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _fill_inner(out, attribute_key, attribute_value, strip_list)
        return out

    TerraformBlock.get_inner_attributes = classmethod(get_inner_attributes)
    try:
        yield
    finally:
        TerraformBlock.get_inner_attributes = original
