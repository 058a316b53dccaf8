"""checkov's ``terraform_plan`` checks, run on the plan genai-lz has already parsed.

checkov's own Runner (``checkov.terraform.plan_runner.Runner``) re-reads the plan file with
a YAML parser (to know line numbers), looks every resource's context up by a scan of all
resources (quadratic), builds a graph of every block, resolves every reference by a scan of
every block with the same name (quadratic again on replicated modules), and runs every
resource check on every resource. This module produces the same records from the same
checks with less work:

* **adapt**: the resource configurations checkov's checks read are built from the plan
  document genai-lz already loaded, in exactly the shape checkov's plan parser gives them
  (the same ``_hclify`` rules, the marker keys a YAML mapping carries, the same order);
* **resource checks**: only the checks registered for the types present, and a check's
  verdict is reused for a configuration whose values *the check reads* are equal (see
  :class:`_Memo`); a check that reads the graph, or that writes to the configuration, is
  always run;
* **graph**: built only over the blocks of the types the graph checks (and the graph-reading
  resource checks) present in the plan query; a reference is resolved through an index of
  the candidates by module address instead of a scan of them all (same choice, see
  :class:`_IndexedGraph`); only the graph checks whose resource types are present run;
  checkov's needless deep copies and repeated reference parsing are skipped
  (:mod:`checks.integrations.checkov_copies`).

``tests/test_checkov_fast.py`` diffs the findings against checkov's plain Runner
(:func:`checks.integrations.checkov_bridge.reference_records`) on the landing zone's plans, a replicated
plan and the iam-s3 shape.
"""
from __future__ import annotations

import bisect
import contextlib
import importlib
import importlib.util
import itertools
import json
import os
import re
import sys
import time
from collections.abc import KeysView
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, cast

from checks.forked import Forked, keep_until_exit, lower_priority, workers_enabled
from checks.integrations.checkov_copies import lean_graph_copies, memoised_references
from checks.integrations.checkov_lazy import cached_lr_tables
from checks.integrations.checkov_solvers import flat_inner_attributes, indexed_connection_solvers

__all__ = ["FastRecord", "scan", "MEMO_STATS"]

#: resource-check runs and memo hits of the last :func:`scan`
MEMO_STATS: dict[str, int] = {}
#: size of the graph of the last :func:`scan` (vertices, edges, blocks in the plan)
GRAPH_STATS: dict[str, int] = {}

# checkov reads the plan file as YAML: every mapping carries these keys (file, 1-based start
# and end line), and the parser adds 0-based start_line / end_line to the resource values.
# The values are those of a plan on one line (what `terraform show -json` writes); no check
# verdict depends on a line number.
_FILE, _START, _END = "__file__", "__startline__", "__endline__"
_ADDRESS = "__address__"
_CHANGE_ACTIONS = "__change_actions__"
_CHANGE_KEYS = "__change_keys__"
_LINE_FIELDS = frozenset({_FILE, _START, _END})


@dataclass
class FastRecord:
    """What the bridge reads of a checkov Record."""

    check_id: str
    check_name: str
    check_result: dict[str, Any]
    resource: str
    guideline: str | None = None
    source: str = ""  # the check's file in checkov's repository (for the help link)


# --------------------------------------------------------------------------------------
# adapt: the plan document -> checkov's tf_definition (plan_parser.parse_tf_plan, without
# the YAML parse and without mutating the document)


_SIMPLE_TYPES = frozenset({str, int, float, bool})
#: the strings checkov's _clean_simple_type_list turns into booleans (compared lower-cased)
_BOOLEAN_STRINGS = {"true": True, "false": False}


def _simple(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _simple_list(value: Any) -> bool:
    return isinstance(value, list) and all(_simple(v) for v in value)


def _dict_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _clean(values: list[Any]) -> list[Any]:
    """checkov's _clean_simple_type_list: "true"/"false" strings become booleans."""
    for i, value in enumerate(values):
        if isinstance(value, str):
            lower = value.lower()
            if lower == "true":
                values[i] = True
            elif lower == "false":
                values[i] = False
    return values


class _Adapter:
    def __init__(self, file: str) -> None:
        from checkov.terraform import plan_parser

        self.file = file
        self.pp = plan_parser

    def marked(self, obj: Mapping[str, Any], with_lines: bool) -> dict[str, Any]:
        """``obj`` as checkov's YAML loader gives it (marker keys appended), plus the
        start_line / end_line _hclify writes into a marked mapping."""
        out = dict(obj)
        out[_FILE] = self.file
        out[_START] = 1
        out[_END] = 1
        if with_lines:
            out["start_line"] = 0
            out["end_line"] = 0
        return out

    def hclify(self, obj: Mapping[str, Any], conf: Any = None, parent_key: str | None = None,
               resource_type: str | None = None, marked: bool = True) -> dict[str, Any]:
        """checkov.terraform.plan_parser._hclify on the marked view of ``obj``."""
        view = self.marked(obj, True) if marked else dict(obj)
        out: dict[str, Any] = {}
        tags = parent_key == "tags"
        for key, value in view.items():
            # the JSON types first, by exact type (what a parsed plan holds); anything else
            # (a subclass) goes the general way below
            kind = type(value)
            if kind is str:
                if tags:
                    out[key] = value
                elif len(value) in (4, 5) and value.lower() in _BOOLEAN_STRINGS:
                    out[key] = [_BOOLEAN_STRINGS[value.lower()]]
                else:
                    out[key] = [value]
                continue
            if value is None or kind is int or kind is float or kind is bool:
                out[key] = value if tags else [value]
                continue
            if kind is list and all(v is None or type(v) in _SIMPLE_TYPES for v in value):
                out[key] = value if tags else [value]
                continue
            if _simple(value) or _simple_list(value):
                out[key] = value if tags else _clean([value])
            if _dict_list(value):
                children = []
                conf_value = conf.get(key, []) if conf else []
                if not isinstance(conf_value, list):
                    conf_value = [conf_value]
                for item, item_conf in itertools.zip_longest(value, conf_value):
                    if isinstance(item, dict):
                        children.append(self.hclify(item, item_conf, parent_key=key))
                out[key] = [children] if key == "tags" else children
            if isinstance(value, dict):
                child = self.hclify(value, parent_key=key)
                out[key] = child if parent_key == "tags" else [child]
        if conf and isinstance(conf, dict):
            self.pp._add_references(obj=view, conf=self.marked(conf, False), return_resource=out)
        if resource_type and resource_type in self.pp.RESOURCE_TYPES_JSONIFY:
            value = self.pp.jsonify(obj=view, resource_type=resource_type)
            if value is not None:
                from checkov.common.util.type_forcers import force_list

                out[self.pp.RESOURCE_TYPES_JSONIFY[resource_type]] = force_list(value)
        return out

    @staticmethod
    def resource_changes(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        changes: dict[str, dict[str, Any]] = {}
        for rc in document.get("resource_changes") or ():
            change = rc["change"]
            before = change["before"] or {}
            after = change["after"] or {}
            keys = [k for k, v in before.items() if k not in _LINE_FIELDS and v != after.get(k)]
            changes[rc["address"]] = {"actions": change.get("actions") or [], "keys": keys}
        return changes

    def block(self, resource: Mapping[str, Any], conf: Mapping[str, Any] | None,
              changes: Mapping[str, dict[str, Any]]) -> tuple[dict[str, Any], str] | None:
        """checkov's _prepare_resource_block: ({type: {name: conf}}, block type) or None."""
        mode = resource.get("mode", "")
        if mode not in ("managed", "data"):
            return None
        resource_type = resource["type"]
        expressions = conf.get("expressions") if conf else None
        if expressions is not None and isinstance(expressions, dict):
            expressions = self.marked(expressions, False)
        values = resource.get("values")
        if values is None and "values" not in resource:
            config = self.hclify({"start_line": 0, "end_line": 0}, expressions, resource_type=resource_type, marked=False)
        else:
            config = self.hclify(cast(Mapping[str, Any], values), expressions, resource_type=resource_type)
        address = resource.get("address")
        config[_ADDRESS] = address
        change = changes.get(address)  # type: ignore[arg-type]
        if change:
            if change["actions"] == ["forget"]:
                return None
            config[_CHANGE_ACTIONS] = change["actions"]
            config[_CHANGE_KEYS] = change["keys"]
        provisioners = conf.get("provisioners") if conf else None
        if provisioners:
            config["provisioner"] = self.pp._get_provisioner(provisioners)
        return {resource_type: {resource.get("name", "default"): config}}, ("data" if mode == "data" else "resource")

    def definitions(self, document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {"provider": [], "resource": [], "data": []}
        out["provider"] = self.pp._get_providers(template=document)  # reads the document only
        changes = self.resource_changes(document)
        planned = (document.get("planned_values") or {}).get("root_module") or {}
        root_conf = (document.get("configuration") or {}).get("root_module") or {}
        first_by_name: dict[tuple[str, str], Mapping[str, Any]] = {}
        for x in root_conf.get("resources") or ():
            first_by_name.setdefault((x["type"], x["name"]), x)
        for resource in planned.get("resources") or ():
            done = self.block(resource, first_by_name.get((resource["type"], resource["name"])), changes)
            if done:
                out[done[1]].append(done[0])
        modules = self._child_modules(planned.get("child_modules") or (), changes, root_conf, {})
        for block_type, blocks in modules.items():
            out[block_type].extend(blocks)
        return out

    def _module_conf(self, module_address: str, root_conf: Mapping[str, Any],
                     cache: dict[str, dict[str, Mapping[str, Any]]]) -> dict[str, Mapping[str, Any]]:
        """module address -> {configuration address: first configuration resource}."""
        key = ".".join(m.group(1) for m in self.pp.MODULE_ADDRESS_PART.finditer(module_address))
        found = cache.get(key)
        if found is None:
            conf = root_conf
            for match in self.pp.MODULE_ADDRESS_PART.finditer(module_address):
                conf = conf.get("module_calls", {}).get(match.group(1), {}).get("module", {})
            found = {}
            for x in conf.get("resources", []):
                found.setdefault(x["address"], x)
            cache[key] = found
        return found

    def _child_modules(self, children: Iterable[Mapping[str, Any]], changes: Mapping[str, dict[str, Any]],
                       root_conf: Mapping[str, Any], cache: dict[str, dict[str, Mapping[str, Any]]]
                       ) -> dict[str, list[dict[str, Any]]]:
        """checkov's _find_child_modules: nested modules first, then the module's own resources."""
        blocks: dict[str, list[dict[str, Any]]] = {"resource": [], "data": []}
        for child in children:
            nested = child.get("child_modules", [])
            if nested:
                for block_type, found in self._child_modules(nested, changes, root_conf, cache).items():
                    blocks[block_type].extend(found)
            module_address = child.get("address", "")
            confs = self._module_conf(module_address, root_conf, cache) if module_address else {}
            for resource in child.get("resources", []):
                conf = None
                if confs:
                    address = resource["address"]
                    local = address.rsplit("[", 1)[0] if address[-1] == "]" else address
                    prefix = module_address + "."
                    conf = confs.get(local[len(prefix):]) if local.startswith(prefix) else None
                done = self.block(resource, conf, changes)
                if done:
                    blocks[done[1]].append(done[0])
        return blocks


# --------------------------------------------------------------------------------------
# resource checks, with a verdict memo on the values a check reads


_MISSING = ("missing",)
_INDEX = re.compile(r"^\[?\d+]?$")  # checkov's ARRAY_INDEX_PATTERN (value checks drop these segments)
_GLOB = re.compile(r"[*?\[\]]")


def _frozen(value: Any) -> Any:
    """A hashable, type-exact form of a configuration value (1, True and 1.0 differ)."""
    if isinstance(value, dict):
        return ("d", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("l", tuple(_frozen(v) for v in value))
    if isinstance(value, tuple):
        return ("t", tuple(_frozen(v) for v in value))
    return (type(value).__name__, value)


class _Entity:
    """One resource's configuration and the frozen form of its values, made on demand."""

    __slots__ = ("config", "frozen", "dynamic")

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.frozen: dict[str, Any] = {}
        self.dynamic = _may_have_dynamic(config)

    def value(self, key: Any) -> Any:
        """The frozen value of a read key (memoised until :meth:`changed`)."""
        found = self.frozen.get(key)
        if found is None:
            found = self.frozen[key] = self.fresh(key)
        return found

    def fresh(self, key: Any) -> Any:
        """The frozen value of a read key as the configuration is now: a top-level key's
        whole value, or for an :class:`_Along` read the part along its paths."""
        if type(key) is _Along:
            return _projection(self.config, key, frozenset((p, 0) for p in range(len(key))))
        return _frozen(self.config[key]) if key in self.config else _MISSING

    def changed(self) -> None:
        self.frozen.clear()
        self.dynamic = _may_have_dynamic(self.config)


def _may_have_dynamic(config: Mapping[str, Any]) -> bool:
    """Whether a key named ``dynamic`` may be anywhere in the configuration (a quick text
    test first; only when the word occurs, the walk)."""
    try:
        if '"dynamic"' not in json.dumps(config, default=str):
            return False
    except (TypeError, ValueError):  # not JSON-able: walk it
        pass
    return _has_key(config, "dynamic")


def _has_key(value: Any, key: str) -> bool:
    if isinstance(value, dict):
        return key in value or any(_has_key(v, key) for v in value.values())
    if isinstance(value, list):
        return any(_has_key(v, key) for v in value)
    return False


class _Tracked(dict):
    """A copy of a configuration that records which top-level keys a check reads (in order),
    and whether it read all of it or wrote to it. Values are handed out as they are: the
    memo key holds a read key's whole value, so whatever a check does below it is covered."""

    def __init__(self, entity: _Entity) -> None:
        super().__init__(entity.config)
        self.entity = entity
        self.reads: dict[Any, None] = {}
        self.wrote = False
        self.everything = False

    def _read(self, key: Any) -> None:
        if key not in self.reads:
            try:
                self.entity.value(key)  # frozen before the check can change it below the key
            except TypeError:
                self.everything = True
            self.reads[key] = None

    def _all(self) -> None:
        self.everything = True

    def read_along(self, paths: tuple[tuple[str, ...], ...] | None) -> dict[str, Any]:
        """A read of the parts of the configuration along ``paths`` (all of it for None), and
        the configuration as a plain dict for the code that reads only there."""
        if paths is None:
            self._all()
        else:
            self._read(_Along(paths))
        return dict(dict.items(self))

    def __getitem__(self, key: Any) -> Any:
        self._read(key)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._read(key)
        return dict.get(self, key, default)

    def __contains__(self, key: Any) -> bool:
        self._read(key)
        return dict.__contains__(self, key)

    def keys(self):
        return _TrackedKeys(self)  # `"policy" in conf.keys()` reads one key, not all of them

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        self._all()
        return dict.__ne__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self._all()
        return dict.__repr__(self)

    def __str__(self) -> str:
        self._all()
        return dict.__repr__(self)

    def __or__(self, other: Any) -> Any:
        self._all()
        return dict.__or__(self, other)

    def __ror__(self, other: Any) -> Any:
        self._all()
        return dict.__ror__(self, other)

    def copy(self) -> dict[str, Any]:
        self._all()
        return dict(dict.items(self))

    def __reduce_ex__(self, protocol: Any) -> Any:  # pickle / deepcopy see a plain dict
        self._all()
        return (dict, (dict(dict.items(self)),))

    def _write(self) -> None:
        self.wrote = True
        self.everything = True

    def __setitem__(self, key: Any, value: Any) -> None:
        self._write()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._write()
        dict.__delitem__(self, key)

    def pop(self, *args: Any) -> Any:
        self._write()
        return dict.pop(self, *args)

    def popitem(self) -> Any:
        self._write()
        return dict.popitem(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self._write()
        return dict.setdefault(self, key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._write()
        dict.update(self, *args, **kwargs)

    def clear(self) -> None:
        self._write()
        dict.clear(self)

    def __ior__(self, other: Any) -> Any:
        self._write()
        return dict.__ior__(self, other)


class _TrackedKeys(KeysView[Any]):
    """``_Tracked.keys()``: a membership test reads that key; anything else (iterating,
    counting, comparing, set operations) goes through the configuration's iteration or
    length, which read all of it."""

    def __contains__(self, key: object) -> bool:
        return key in cast(Mapping[Any, Any], self._mapping)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"dict_keys({list(self)!r})"


class _Along(tuple):
    """A read key: the parts of a configuration along these named paths (see :func:`_projection`)."""

    __slots__ = ()


def _named_paths(keys: Iterable[Any]) -> tuple[tuple[str, ...], ...] | None:
    """checkov value-check keys (dpath paths) as named segments, array indices dropped; None
    when one is a glob or empty (dpath may then reach any part of the configuration)."""
    found: list[tuple[str, ...]] = []
    for key in keys:
        if key is None:
            continue
        segments = [s for s in str(key).split("/") if s]
        if not segments or any(_GLOB.search(s) and not _INDEX.match(s) for s in segments):
            return None
        found.append(tuple(s for s in segments if not _INDEX.match(s)))
    return tuple(found) or None


def _projection(node: Any, paths: tuple[tuple[str, ...], ...], states: frozenset[tuple[int, int]]) -> Any:
    """The frozen part of ``node`` that dpath can reach along ``paths`` (named segments in
    order; list items and numeric keys in between, as checkov's value checks allow)."""
    if any(j == len(paths[p]) for p, j in states):
        return _frozen(node)
    if isinstance(node, dict):
        kept = []
        for key, value in node.items():
            if not isinstance(key, str) or "/" in key:  # dpath splits its paths at "/": kept whole
                kept.append((key, _frozen(value)))
                continue
            if _INDEX.match(key):
                following = states
            else:
                following = frozenset((p, j + 1) for p, j in states if paths[p][j] == key)
            if following:
                kept.append((key, _projection(value, paths, following)))
        return ("d", tuple(kept))
    if isinstance(node, list):
        return ("l", tuple(_projection(v, paths, states) for v in node))
    return _frozen(node)


class _Memo:
    """Verdicts of resource checks, reused on configurations that are equal where the check looks.

    A resource check is a function of what it reads and of the block's type and name (which
    checkov hands it; its IAM checks cache the parsed policy under file:type:name). Run on a
    configuration it read the keys k1..kn (in that order) and returned r; a block of the same
    type and name with the same values under k1..kn makes it read exactly the same and return
    r again. Per check, the memo keeps the
    read sequences seen so far and, per sequence, the verdicts by values. A check that read
    the whole configuration (iterated, compared or copied it) is not memoised for it; one
    that wrote to it or raised, or that reads the graph, is never memoised.

    checkov's value checks (``BaseResourceValueCheck``, ``BaseResourceNegativeValueCheck``,
    not overriding how they scan) search the configuration with dpath, which walks all of
    it; what decides their verdict is only the part of the configuration along the
    inspected key, so they are keyed on that part (:func:`_projection`), whatever the
    block's name. A check that reads some keys itself and then hands the configuration to
    those classes' scan (``super().scan_resource_conf(conf)``, e.g. CKV_AWS_7, CKV_AWS_79)
    records that scan as one read of the part along the inspected key
    (:func:`_value_scans_read_along`).
    """

    def __init__(self) -> None:
        from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
        from checkov.terraform.checks.resource.base_resource_negative_value_check import (
            BaseResourceNegativeValueCheck,
        )
        from checkov.terraform.checks.resource.base_resource_value_check import BaseResourceValueCheck

        self.shapes: dict[str, list[tuple[Any, ...]]] = {}
        self.verdicts: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.never: set[str] = set()
        self.value_paths: dict[tuple[str, str], tuple[tuple[str, ...], ...] | None] = {}
        self._bases = (BaseResourceCheck, BaseResourceValueCheck, BaseResourceNegativeValueCheck)
        self.hits = 0
        self.runs = 0

    def paths_of(self, check: Any, entity_type: str) -> tuple[tuple[str, ...], ...] | None:
        """The dpath keys a plain value check reads on a block of ``entity_type`` (a check's
        inspected key may depend on the type, e.g. CKV_AWS_88), as named segments; None for
        other checks."""
        cached = (check.id, entity_type)
        if cached in self.value_paths:
            return self.value_paths[cached]
        paths: tuple[tuple[str, ...], ...] | None = None
        if _defining(type(check), "scan_entity_conf") is self._bases[0]:
            check.entity_type = entity_type  # what scan_entity_conf sets before it asks for the keys
            defined = _defining(type(check), "scan_resource_conf")
            if defined is self._bases[1]:
                paths = _named_paths([check.get_inspected_key()])
            elif defined is self._bases[2]:
                paths = _named_paths([check.get_inspected_key(), check.get_excluded_key()])
        self.value_paths[cached] = paths
        return paths

    def value_key(self, check: Any, entity: _Entity, paths: tuple[tuple[str, ...], ...],
                  entity_type: str = "") -> tuple[Any, ...]:
        start = frozenset((p, 0) for p in range(len(paths)))
        return ("value", check.id, entity_type, entity.value("count"), _projection(entity.config, paths, start))

    def lookup(self, check_id: str, entity: _Entity, block: tuple[str, str] = ("", "")) -> dict[str, Any] | None:
        for shape in self.shapes.get(check_id, ()):
            found = self.verdicts.get((check_id, block, shape, tuple(entity.value(k) for k in shape)))
            if found is not None:
                self.hits += 1
                return found
        return None

    def store(self, check_id: str, entity: _Entity, tracked: _Tracked, result: dict[str, Any],
              block: tuple[str, str] = ("", "")) -> None:
        if tracked.wrote:
            self.never.add(check_id)
            return
        if tracked.everything:
            return
        shape = tuple(tracked.reads)
        for key in shape:  # a change below a read key: the check writes after all
            if entity.fresh(key) != entity.value(key):
                self.never.add(check_id)
                entity.changed()
                return
        shapes = self.shapes.setdefault(check_id, [])
        if shape not in shapes:
            shapes.append(shape)
        self.verdicts[(check_id, block, shape, tuple(entity.value(k) for k in shape))] = result


def _defining(cls: type, name: str) -> type | None:
    """The class of ``cls``'s MRO whose body defines ``name``."""
    return next((klass for klass in cls.__mro__ if name in vars(klass)), None)


def _reads_graph(check: Any) -> bool:
    """A resource check that looks beyond its configuration, into the graph."""
    import inspect

    try:
        return "self.graph" in inspect.getsource(type(check))
    except (OSError, TypeError):  # no source: assume the worst
        return True


# --------------------------------------------------------------------------------------
# the graph


def _indexed_graph_class() -> type:
    from checkov.common.graph.graph_builder.graph_components.attribute_names import CustomAttributes
    from checkov.terraform.graph_builder.foreach.utils import get_terraform_foreach_or_count_key as foreach_key
    from checkov.terraform.graph_builder.graph_components.block_types import BlockType
    from checkov.terraform.graph_builder.local_graph import TerraformLocalGraph

    address_key = CustomAttributes.TF_RESOURCE_ADDRESS

    class _IndexedGraph(TerraformLocalGraph):
        """TerraformLocalGraph whose reference resolution picks the same vertex without
        comparing the referring block with every block of the same name.

        checkov's ``_find_vertex_with_best_match`` keeps the candidate whose real path and
        (when both addresses start with ``module``) leading address parts have the longest
        common prefix; among equals, the one with the same for_each key, else the first. A
        plan's blocks share one file, so the path part is the same for every candidate and
        the longest prefix is the one with the most common leading address parts: a walk
        down a trie of the candidates' address parts finds them directly.
        """

        def __init__(self, module: Any) -> None:
            super().__init__(module)
            self._tries: dict[tuple[int, ...], Any] = {}
            self._paths: tuple[int, str | None] = (-1, None)
            self._foreach_keys: dict[tuple[int, ...], Any] = {}
            self._tries_of_lists: dict[int, tuple[list[int], int, Any]] = {}
            self._candidates: list[int] | None = None  # the stored candidate list being matched

        def _only_path(self) -> str | None:
            """The one file every vertex comes from (a plan's), or None."""
            count, path = self._paths
            if count != len(self.vertices):
                paths = {v.path for v in self.vertices}
                path = next(iter(paths)) if len(paths) == 1 else None
                self._paths = (len(self.vertices), path)
            return path

        def _trie(self, candidates: tuple[int, ...]) -> Any:
            found = self._tries.get(candidates)
            if found is None:
                found = {"": []}
                for index in candidates:
                    address = self.vertices[index].attributes.get(address_key, "")
                    if address.startswith("module"):
                        node = found
                        for part in address.split("."):
                            node = node.setdefault(part, {"": []})
                            node[""].append(index)
                self._tries[candidates] = found
            return found

        def _trie_of(self, candidates: list[int]) -> Any:
            """:meth:`_trie` of ``candidates``, a copy of the graph's stored list of the blocks of
            one name (``self._candidates``): looked up by that list's identity, not by hashing
            a tuple of its thousands of indexes for each of the thousands of references."""
            stored = self._candidates
            if stored is None or len(stored) != len(candidates):
                return self._trie(tuple(candidates))
            found = self._tries_of_lists.get(id(stored))
            if found is None or found[0] is not stored or found[1] != len(stored):
                found = self._tries_of_lists[id(stored)] = (stored, len(stored), self._trie(tuple(candidates)))
            return found[2]

        def _find_vertex_index_relative_to_path(self, block_type: str, name: str, block_path: str,
                                                relative_module_idx: int | None = None,
                                                source_module_object: Any = None,
                                                origin_vertex_index: int | None = None) -> int:
            """checkov's, without comparing the directory of every candidate with the referring
            block's when every block comes from the one plan file (they are all equal)."""
            if self._only_path() != block_path:
                return super()._find_vertex_index_relative_to_path(
                    block_type, name, block_path, relative_module_idx, source_module_object, origin_vertex_index)
            if relative_module_idx is None:
                key = source_module_object
            else:
                if isinstance(relative_module_idx, str) and relative_module_idx.isnumeric():
                    relative_module_idx = int(relative_module_idx)
                key = self.vertices[relative_module_idx].source_module_object
            candidates = self._get_possible_vertices(key, block_type, name)
            if len(candidates) == 1:
                return candidates[0]
            self._candidates = candidates
            try:
                return self._find_vertex_with_best_match(list(candidates), block_path, origin_vertex_index)
            finally:
                self._candidates = None

        def _find_vertex_with_best_match(self, relevant_vertices_indexes: list[int], origin_path: str,
                                         origin_vertex_index: int | None = None) -> int:
            if not relevant_vertices_indexes:  # what checkov's loop over no candidates returns
                return -1
            if self._only_path() != origin_path:
                return super()._find_vertex_with_best_match(relevant_vertices_indexes, origin_path, origin_vertex_index)
            if origin_vertex_index is None:  # equal paths, nothing else compared: the first
                return relevant_vertices_indexes[0]
            origin = self.vertices[origin_vertex_index].attributes.get(address_key, "")
            best: list[int] = relevant_vertices_indexes
            if origin.startswith("module"):
                node = self._trie_of(relevant_vertices_indexes)
                for part in origin.split("."):
                    child = node.get(part)
                    if child is None:
                        break
                    node = child
                if node[""]:
                    best = node[""]
            if len(best) <= 1:
                return best[0]
            found = self._foreach_match(origin_vertex_index, best)
            if found is not _NO_INDEX:
                return cast(int, found)
            return self._find_best_match_based_on_foreach_key(
                origin_vertex_index, [(i, self.vertices[i]) for i in best], best[0])

        def _build_edges(self) -> None:
            """checkov's, with its loop over the vertices in two processes on a large graph.

            Each vertex's edges come from its own attributes and from lookups in the graph's
            vertices (never its edges): each process records the ``create_edge`` calls of its
            share of the vertices, and they are made here, in checkov's vertex order."""
            self._foreach_keys.clear()  # for_each handling changes vertices between two builds
            self._tries_of_lists.clear()
            count = len(self.vertices)
            if (count < _SPLIT_EDGES_AT or not workers_enabled()
                    or any(v.block_type == BlockType.MODULE for v in self.vertices)):  # a module edge reads edges
                super()._build_edges()
                return
            self.get_module_vertices_mapping()
            aliases = self._get_aliases()
            resources_types = self.get_resources_types_in_graph()
            # about half of the attributes each (a vertex's work grows with its attributes)
            weights = list(itertools.accumulate(len(v.attributes) + 1 for v in self.vertices))
            cut = bisect.bisect_left(weights, weights[-1] / 2)
            with Forked(lambda: self._edge_calls(cut, count, aliases, resources_types), "checkov graph edges") as other:
                mine = self._edge_calls(0, cut, aliases, resources_types)
                theirs = other.result()
            for origin, dest, label in itertools.chain(mine, theirs):
                self.create_edge(origin, dest, label)

        def _edge_calls(self, start: int, stop: int, aliases: dict[str, dict[str, str]],
                        resources_types: list[str]) -> list[tuple[int, int, str]]:
            """The ``create_edge`` calls checkov's loop makes for vertices ``start`` to ``stop``."""
            calls: list[tuple[int, int, str]] = []

            def record(origin: int, dest: int, label: str, cross_variable_edges: bool = False) -> bool:
                if cross_variable_edges:  # checkov's _build_edges never asks for these
                    raise RuntimeError("cross-variable edge in the edge build")
                calls.append((origin, dest, label))
                return origin != dest

            self.create_edge = record
            try:
                for index in range(start, stop):
                    vertex = self.vertices[index]
                    self._build_edges_for_vertex(index, vertex, aliases, resources_types)
                    self._build_virtual_resources_edges(index, vertex)
            finally:
                del self.create_edge
            return calls

        def _foreach_match(self, origin_vertex_index: int, best: list[int]) -> Any:
            """checkov's ``_find_best_match_based_on_foreach_key`` (the first candidate with the
            origin's for_each index and for_each/count key, else the first) through an index of
            the candidates by that pair: a scan of every instance per reference is quadratic on
            a for_each over thousands of keys. _NO_INDEX when a value cannot be hashed."""
            origin = self.vertices[origin_vertex_index]
            origin_address = origin.attributes.get(address_key, "")
            if origin_address == "":
                return best[0]
            candidates = tuple(best)
            index = self._foreach_keys.get(candidates)
            if index is None:
                index = {}
                try:
                    for i in candidates:
                        vertex = self.vertices[i]
                        pair = (vertex.for_each_index, foreach_key(vertex.attributes.get(address_key, "")))
                        index.setdefault(pair, i)
                except TypeError:
                    index = _NO_INDEX
                self._foreach_keys[candidates] = index
            if index is _NO_INDEX:
                return _NO_INDEX
            try:
                found = index.get((origin.for_each_index, foreach_key(origin_address)))
            except TypeError:
                return _NO_INDEX
            return best[0] if found is None else found

    return _IndexedGraph


_NO_INDEX: Any = object()
#: a graph of this many vertices or more has its edges found in two processes (on the
#: 1,000-resource bench plan's 645 vertices the split saves about a tenth of a second)
_SPLIT_EDGES_AT = 300


# --------------------------------------------------------------------------------------
# loading only what a plan needs


INDEX_FILE = Path(__file__).resolve().parent / "checkov_index.json"

# Package __init__ files that import every check of every cloud (and the graph machinery's
# parsers of other formats). While the fast path loads, their code waits; the check modules
# a plan needs are imported one by one, in checkov's own registration order. Anything that
# needs all of checkov (the Runner, the catalog) calls :func:`load_everything` first.
# (checkov.cloudformation's __init__ imports every CloudFormation check, the plan parser
# needs only its YAML loader; module_loading's registers the module downloaders, git's
# among them, which a plan never needs.)
_DEFERRED = ("checkov.cloudformation", "checkov.terraform", "checkov.terraform.module_loading",
             "checkov.terraform.checks.resource", "checkov.terraform.checks.data",
             "checkov.terraform.checks.provider")
_deferred: list[tuple[Any, Any]] = []


def _defer_package_inits() -> None:
    if any(name in sys.modules for name in _DEFERRED):
        return  # checkov is (being) loaded in full already
    import checkov

    root = Path(checkov.__file__).resolve().parent
    for name in _DEFERRED:
        folder = root.joinpath(*name.split(".")[1:])
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        if spec is None or spec.loader is None:  # pragma: no cover - checkov's layout changed
            raise ImportError(f"{name} not found under {root}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        setattr(importlib.import_module(parent), child, module)
        _deferred.append((spec, module))
    # what checkov.terraform/__init__ re-exports besides the checks (graph code imports it from there)
    helpers = importlib.import_module("checkov.terraform.modules")
    terraform = sys.modules["checkov.terraform"]
    for name in getattr(helpers, "__all__", None) or [n for n in vars(helpers) if not n.startswith("_")]:
        setattr(terraform, name, getattr(helpers, name))


def load_everything() -> None:
    """Run the deferred package __init__ files: every check of checkov registered, as a
    plain ``import checkov.terraform`` does."""
    while _deferred:
        spec, module = _deferred.pop()  # the innermost packages first, checkov.terraform last
        spec.loader.exec_module(module)


def load_index() -> dict[str, Any] | None:
    """checks/integrations/checkov_index.json for the installed checkov, else None (then all is loaded)."""
    from checkov.version import version

    try:
        index = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if index.get("checkov_version") == str(version) else None


def build_index() -> dict[str, Any]:
    """Which check module registers checks for which types, in registration order; which
    resource checks read the graph; which graph check files query which types."""
    load_everything()
    import checkov
    from checkov.common.bridgecrew.check_type import CheckType
    from checkov.common.checks.base_check_registry import BaseCheckRegistry
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry
    from checkov.version import version

    kinds = {id(resource_registry): "resource", id(data_registry): "data", id(provider_registry): "provider"}
    members: dict[str, set[int]] = {}
    for registry in (resource_registry, data_registry, provider_registry):
        for _, check in registry.all_checks():
            members.setdefault(kinds[id(registry)], set()).add(id(check))
    index: dict[str, Any] = {"checkov_version": str(version), "resource": [], "data": [], "provider": [],
                             "reads_graph": [], "reads_graph_types": [], "graph": []}
    seen: dict[tuple[str, str], list[str]] = {}
    for check in BaseCheckRegistry.get_all_registered_checks():
        kind = next((k for k, ids in members.items() if id(check) in ids), None)
        if kind is None:
            continue
        module = type(check).__module__
        types = seen.get((kind, module))
        if types is None:
            types = seen[(kind, module)] = []
            index[kind].append([module, types])
        types.extend(t for t in check.supported_entities if t not in types)
        if kind == "resource" and _reads_graph(check):
            if check.id not in index["reads_graph"]:
                index["reads_graph"].append(check.id)
            index["reads_graph_types"] = sorted({*index["reads_graph_types"], *check.supported_entities})
    graph = get_graph_checks_registry(CheckType.TERRAFORM)
    graph.load_checks()
    root = Path(checkov.__file__).resolve().parent
    for check in graph.checks:
        path = Path(getattr(check, "check_path", "") or "")
        raw = json.loads(path.read_text()) if path.suffix == ".json" else None
        queried = _queried_types(raw) if raw is not None else None
        index["graph"].append([path.resolve().relative_to(root).as_posix(), sorted(_graph_check_types(check)),
                               None if queried is None else sorted(queried)])
    index["graph"].sort()
    return index


def _wanted(types: Iterable[str], present: set[str]) -> bool:
    return any(t in present or (("*" in t or "?" in t or "[" in t) and any(fnmatchcase(p, t) for p in present))
               for t in types)


def _load_for(index: dict[str, Any] | None, present: dict[str, set[str]]) -> None:
    """Import the check modules that register checks for the types present."""
    if index is None:
        load_everything()
        return
    for kind in ("resource", "data", "provider"):
        for module, types in index[kind]:
            if module not in sys.modules and _wanted(types, present[kind]):
                importlib.import_module(module)


def _graph_checks_for(index: dict[str, Any] | None, present: set[str]) -> list[Any]:
    """The terraform graph checks whose types are present (parsed from their files only)."""
    from checkov.common.bridgecrew.check_type import CheckType
    from checkov.common.checks_infra.registry import get_graph_checks_registry

    registry = get_graph_checks_registry(CheckType.TERRAFORM)
    if index is None or registry.checks:
        registry.load_checks()
        return list(registry.checks)
    import checkov

    root = Path(checkov.__file__).resolve().parent
    checks: list[Any] = []
    for relative, types, queried in index["graph"]:
        if not _wanted(types, present):
            continue
        path = root / relative
        with open(path, "r") as handle:  # what Registry._load_checks_from_dir does per file
            if path.suffix == ".json":
                raw = json.load(handle)
            else:
                import yaml

                raw = json.loads(json.dumps(yaml.safe_load(handle)))
        if not isinstance(raw, dict) or not registry.parser.validate_check_config(file_path=handle.name, raw_check=raw):
            continue
        check = registry.parser.parse_raw_check(raw, resources_types=registry._get_resource_types(raw),
                                                check_path=f"{path.parent}/{path.name}")
        if not any(c.id == check.id for c in checks):
            check.genai_lz_queried_types = None if queried is None else set(queried)
            checks.append(check)
    return checks


def _queried_types(raw: Mapping[str, Any]) -> set[str] | None:
    """The block types a graph check's definition looks at and reports on; None when that
    can be any type.

    Each attribute or connection condition names its types (``resource_types``,
    ``connected_resource_types``); a filter only narrows what the others found (checkov
    gives a filter without types all of the provider's, which it reports nothing on).
    """
    found: set[str] = set()

    def named(value: Any) -> bool:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values) \
                or "all" in values:
            return False
        found.update(values)
        return True

    def walk(node: Any) -> bool:
        if isinstance(node, list):
            return all(walk(v) for v in node)
        if not isinstance(node, dict):
            return True
        kind = node.get("cond_type")
        if kind == "filter":
            if node.get("attribute") == "resource_type":
                if not named(node.get("value")):
                    return False
            elif "resource_types" in node and not named(node.get("resource_types")):
                return False
        elif kind in ("attribute", "connection"):
            if not named(node.get("resource_types")):
                return False
            if kind == "connection" and not named(node.get("connected_resource_types")):
                return False
        elif kind is not None:
            return False
        return all(walk(v) for k, v in node.items() if k in ("and", "or", "not"))

    return found if walk(raw.get("definition")) else None


def _plan_types(document: Mapping[str, Any]) -> dict[str, set[str]]:
    """The resource, data source and provider types of a plan (what checks to load)."""
    found: dict[str, set[str]] = {"resource": set(), "data": set(), "provider": set()}

    def walk(module: Mapping[str, Any]) -> None:
        for resource in module.get("resources") or ():
            found["data" if resource.get("mode") == "data" else "resource"].add(str(resource.get("type")))
        for child in module.get("child_modules") or ():
            walk(child)

    walk((document.get("planned_values") or {}).get("root_module") or {})
    for config in ((document.get("configuration") or {}).get("provider_config") or {}).values():
        if isinstance(config, dict) and config.get("name"):
            found["provider"].add(str(config["name"]))
    return found


# what :func:`scan` uses besides the checks (imported by :func:`prepare`, so that the
# profile's import part holds all of checkov's import time)
_SCAN_MODULES = ("checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector",
                 "checkov.terraform.graph_manager", "checkov.terraform.checks.data.registry",
                 "checkov.terraform.checks.provider.registry", "checkov.terraform.checks.resource.registry",
                 "checkov.common.checks_infra.registry", "checkov.terraform.plan_parser")


def preload() -> None:
    """Import what checking any plan needs (not its checks: :func:`prepare`)."""
    _defer_package_inits()
    for name in _SCAN_MODULES:
        importlib.import_module(name)


def prepare(document: Mapping[str, Any], checks: bool = True) -> dict[str, Any] | None:
    """Import what checking ``document`` needs (the index says which check modules; with
    ``checks=False`` not the check modules yet: :func:`load_checks`); the index."""
    _defer_package_inits()
    index = load_index()
    if checks or index is None:
        load_checks(index, document)
    preload()
    return index


def load_checks(index: dict[str, Any] | None, document: Mapping[str, Any]) -> None:
    """Import the check modules for the resource types of ``document`` (all without an index)."""
    _load_for(index, _plan_types(document))


# --------------------------------------------------------------------------------------
# the scan


def _graph_check_types(check: Any) -> set[str]:
    """Every resource type a graph check (and its sub-checks) names."""
    found = set(getattr(check, "resource_types", None) or ())
    found.update(getattr(check, "connected_resources_types", None) or ())
    for sub in getattr(check, "sub_checks", None) or ():
        found |= _graph_check_types(sub)
    return found


def _block_type_of(entity: Mapping[str, Any]) -> str:
    return next(iter(entity))


# checkov's plan Runner drops these (lifecycle conditions cannot be judged on a plan):
# checkov.terraform.plan_runner.TF_LIFECYCLE_CHECK_IDS, compared by a test
TF_LIFECYCLE_CHECK_IDS = frozenset({"CKV_AWS_217", "CKV_AWS_233", "CKV_AWS_237", "CKV_GCP_82"})


def scan(document: Mapping[str, Any], file: str, runner_filter: Any, index: dict[str, Any] | None = None,
         timings: dict[str, float] | None = None, memo: bool = True,
         load_checks: Callable[[], None] | None = None,
         early: Callable[[list[FastRecord]], None] | None = None) -> tuple[list[FastRecord], int]:
    """checkov's records on a plan document (the file name only names it): (records, resources).

    The records are those of a checkov Report: failed, passed, then skipped; the resource
    checks' first, then the graph checks'.

    Call :func:`prepare` first (it imports the checks the plan needs) and pass its index.
    ``load_checks``: the check modules are not imported yet, this imports them; then, when
    the index tells that no resource check of the plan's types reads the graph, the graph
    worker starts before they are imported. ``early``: called with the resource checks'
    records (the leading part of the result) when the graph checks still run in their
    worker, so that the caller can begin with them.
    """
    from checkov.common.bridgecrew.check_type import CheckType
    from checkov.common.models.enums import CheckResult
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry
    clock = time.perf_counter
    timings = timings if timings is not None else {}
    started = clock()
    file = os.path.realpath(file)
    definitions = _Adapter(file).definitions(document)
    adapted = clock()
    timings["parse/adapt"] = adapted - started

    registries = {"provider": provider_registry, "resource": resource_registry, "data": data_registry}
    present = {_block_type_of(e) for e in definitions["resource"]}
    present |= {f"{prefix}{_block_type_of(e)}" for e in definitions["data"] for prefix in ("", "data.")}
    report_type = CheckType.TERRAFORM_PLAN
    should_run: dict[str, bool] = {}

    def runs(check: Any) -> bool:
        found = should_run.get(check.id)
        if found is None:
            found = should_run[check.id] = bool(runner_filter.should_run_check(check, report_type=report_type))
        return found

    resources = len(definitions["resource"])
    blocks = sum(len(v) for v in definitions.values())

    def graph_side(graph_readers: list[Any], split: bool) -> tuple[Any, list[FastRecord], dict[str, float],
                                                                  dict[str, int]]:
        """The graph of the types the present graph checks (and the resource checks that read
        the graph) query, and the graph checks' records on it."""
        graph_checks = [c for c in _graph_checks_for(index, present)
                        if runs(c) and set(c.resource_types or ()) & present]
        graph_types: set[str] = set()
        whole_graph = bool(graph_readers)
        for check in graph_checks:
            queried = getattr(check, "genai_lz_queried_types", None)
            if queried is None and index is not None and hasattr(check, "genai_lz_queried_types"):
                whole_graph = True  # a check that may look at any type
            graph_types |= queried if queried is not None else _graph_check_types(check)

        def in_graph(entity: Mapping[str, Any], block_type: str) -> bool:
            if whole_graph or block_type == "provider":
                return True
            name = _block_type_of(entity)
            return name in graph_types or (block_type == "data" and f"data.{name}" in graph_types)

        sub = {block_type: [e for e in definitions[block_type] if in_graph(e, block_type)]
               for block_type in ("provider", "resource", "data")}
        return _graph_part(sub, file, graph_checks, blocks, whole_graph, split_graph_checks=split)

    # The graph checks need the graph; the resource checks do not, unless one reads it: then
    # the graph is built first, here; else it is built and checked in a worker process while
    # this one runs the resource checks (the same records, in the same order). When the index
    # says no resource check of the plan's types reads the graph, that worker starts before
    # the check modules are imported.
    def graph_work() -> tuple[list[FastRecord], dict[str, float], dict[str, int]]:
        graph, *rest = graph_side([], True)
        keep_until_exit(graph)
        return cast(tuple[list[FastRecord], dict[str, float], dict[str, int]], tuple(rest))

    def graph_worker() -> Forked[tuple[list[FastRecord], dict[str, float], dict[str, int]]]:
        return Forked(graph_work, "checkov graph")

    readers_possible = index is None or bool(present & set(index.get("reads_graph_types", present)))
    worker = None
    if load_checks is not None and not readers_possible and workers_enabled():
        worker = graph_worker()
    if load_checks is not None:
        loading = clock()
        load_checks()
        timings["check modules"] = clock() - loading
    reads_graph = (lambda c: c.id in index["reads_graph"]) if index is not None else _reads_graph
    graph_readers = [c for t in present for c in resource_registry.get_checks(t) if reads_graph(c)]
    if worker is not None and graph_readers:  # the index was wrong after all: build the graph here
        worker.close()
        worker = None
    elif worker is None and not graph_readers and workers_enabled():
        worker = graph_worker()
    if worker is not None:  # the graph worker is the longer way: it gets the cores first
        lower_priority(_YIELD_TO_GRAPH)
    graph = None
    if worker is None:
        graph, graph_records, graph_timings, stats = graph_side(graph_readers, False)
        GRAPH_STATS.update(stats)
        timings["graph build"] = graph_timings["graph build"]
    built = clock()

    records: list[FastRecord] = []
    scanned_file = "/" + os.path.basename(file)
    memos = _Memo() if memo else None
    unmemoisable = {c.id for c in graph_readers}
    with _static_dynamic_blocks(), _value_scans_read_along():
        for block_type in ("provider", "resource", "data"):
            registry = registries[block_type]
            registry.graph = graph
            for entity in definitions[block_type]:
                try:
                    entity_type, entity_name, config = registry.extract_entity_details(entity)
                except Exception:  # noqa: BLE001 - what checkov's registry does with it
                    continue
                if not isinstance(config, dict):
                    continue
                address = config.get(_ADDRESS)
                if not address:
                    continue
                state = _Entity(config)
                results: dict[Any, dict[str, Any]] = {}
                for check in registry.get_checks(entity_type):
                    if runs(check):
                        results[check] = _run_check(check, state, entity_name, entity_type, scanned_file, graph,
                                                    None if check.id in unmemoisable else memos, CheckResult.UNKNOWN)
                for check, result in results.items():
                    if check.id not in TF_LIFECYCLE_CHECK_IDS:
                        records.append(FastRecord(check.id, check.name, result, address, check.guideline,
                                                  type(check).__module__.replace(".", "/") + ".py"))
    # a checkov Report keeps failed, passed and skipped records (in that order), nothing else
    order = {CheckResult.FAILED: 0, CheckResult.PASSED: 1, CheckResult.SKIPPED: 2}

    def reported(found: list[FastRecord]) -> list[FastRecord]:
        return sorted((r for r in found if r.check_result.get("result") in order),
                      key=lambda r: order[r.check_result["result"]])

    records = reported(records)
    checked = clock()
    timings["resource checks"] = checked - built
    if memos is not None:
        MEMO_STATS.update(hits=memos.hits, runs=memos.runs)
    if worker is not None and early is not None:
        early(records)
    if worker is not None:
        with worker:
            graph_records, graph_timings, stats = worker.result()
        GRAPH_STATS.update(stats)
        timings["graph build (worker)"] = graph_timings["graph build"]
        timings["graph checks (worker)"] = graph_timings["graph checks"]
        timings["graph wait"] = clock() - checked
    else:
        timings["graph checks"] = graph_timings["graph checks"]
    keep_until_exit(definitions)  # in a worker: its exit frees them
    return records + reported(graph_records), resources


#: a graph of this many vertices or more has its checks run in two processes (below, a
#: fork costs more than it saves)
_SPLIT_GRAPH_CHECKS_AT = 1000
#: how much a checkov worker lowers its priority (os.nice) while its graph worker runs
_YIELD_TO_GRAPH = 5


def _graph_part(sub: dict[str, list[Any]], file: str, graph_checks: list[Any], blocks: int,
                whole_graph: bool, split_graph_checks: bool = False
                ) -> tuple[Any, list[FastRecord], dict[str, float], dict[str, int]]:
    """The graph of the blocks ``sub`` and the graph checks' records on it: (graph, records,
    timings, graph stats). ``split_graph_checks``: the graph is not needed afterwards, so
    its checks may run in two processes."""
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
    from checkov.common.graph.graph_builder.consts import GraphSource
    from checkov.common.graph.graph_builder.graph_components.attribute_names import CustomAttributes
    from checkov.common.models.enums import CheckResult
    from checkov.terraform.graph_manager import TerraformGraphManager

    started = time.perf_counter()
    manager = TerraformGraphManager(db_connector=RustworkxConnector(), source=GraphSource.TERRAFORM)  # as the Runner
    tf_definitions = {file: sub}
    with flat_inner_attributes():
        with lean_graph_copies(tf_definitions):
            module, _ = manager.parser.parse_hcl_module_from_tf_definitions(tf_definitions, "", manager.source)
        local_graph = _indexed_graph_class()(module)
        with _indexed_nested_attribute_test(), memoised_references():
            local_graph.build_graph(render_variables=False)
        stats = dict(vertices=len(local_graph.vertices), edges=len(local_graph.edges), blocks=blocks,
                     whole=int(whole_graph))
        graph = _saved_graph(local_graph)
    keep_until_exit(local_graph, module, tf_definitions)  # in a worker: its exit frees them
    del local_graph, module, tf_definitions  # the checks read the saved graph only: free the builder's copies
    built = time.perf_counter()

    import checkov

    repository = Path(checkov.__file__).resolve().parent.parent

    def run(checks: list[Any]) -> list[list[FastRecord]]:
        """Each check's records (the checks read the graph, never change it)."""
        out = []
        for check in checks:
            with _inline_solver_pools(), cached_lr_tables(), indexed_connection_solvers():
                passed, failed, unknown = check.run(graph)
            evaluated = check.get_evaluated_keys()
            path = getattr(check, "check_path", "") or ""
            source = os.path.relpath(path, repository).replace(os.sep, "/") if path else ""
            found = []
            for result, entities in ((CheckResult.PASSED, passed), (CheckResult.FAILED, failed),
                                     (CheckResult.UNKNOWN, unknown)):
                for entity in entities:
                    address = entity.get(CustomAttributes.TF_RESOURCE_ADDRESS) or entity.get(CustomAttributes.BLOCK_NAME)
                    if address:
                        found.append(FastRecord(check.id, check.name, {"result": result, "evaluated_keys": evaluated},
                                                str(address), check.guideline, source))
            out.append(found)
        return out

    # on a graph of many blocks, part of the checks run in a worker process (it starts with
    # the graph as built here), about half of the work by :func:`_halves`; the records are
    # put back in the checks' order
    split = (split_graph_checks and workers_enabled() and len(graph_checks) > 1
             and stats["vertices"] >= _SPLIT_GRAPH_CHECKS_AT)
    if not split:
        per_check = run(graph_checks)
    else:
        here, there = _halves(graph_checks, sub)
        with Forked(lambda: run([graph_checks[i] for i in there]), "checkov graph checks") as other:
            mine = run([graph_checks[i] for i in here])
            theirs = other.result()
        per_check = [[] for _ in graph_checks]
        for positions, found in ((here, mine), (there, theirs)):
            for i, records_of_check in zip(positions, found):
                per_check[i] = records_of_check
    records = [record for found in per_check for record in found]
    return graph, records, {"graph build": built - started, "graph checks": time.perf_counter() - built}, stats


def _saved_graph(local_graph: Any) -> Any:
    """checkov's ``RustworkxConnector.save_graph`` without a vertex's ``hash`` attribute: a
    sha256 of its other attributes, which only checkov's variable rendering (not run on a
    plan) reads, and no check: no installed graph check names it (a test reads them all)."""
    from rustworkx import PyDiGraph

    graph = PyDiGraph()
    graph.add_nodes_from([(index, vertex.get_attribute_dict(add_hash=False))
                          for index, vertex in enumerate(local_graph.vertices)])
    graph.add_edges_from([(e.origin, e.dest, {"label": e.label, "source": e.origin, "target": e.dest})
                          for e in local_graph.edges])
    return graph


def _halves(graph_checks: list[Any], sub: Mapping[str, list[Any]]) -> tuple[list[int], list[int]]:
    """The positions of ``graph_checks`` in two groups of about equal work: a check's work is
    taken as the number of blocks of the types it looks at (it walks their vertices), and
    the heaviest check goes to the lighter group first."""
    blocks: dict[str, int] = {}
    for block_type in ("resource", "data"):
        for entity in sub.get(block_type, ()):
            name = _block_type_of(entity)
            blocks[name] = blocks.get(name, 0) + 1
    def named(check: Any) -> set[str]:
        queried = getattr(check, "genai_lz_queried_types", None)  # what it looks at (index), else all it names
        return queried if queried is not None else _graph_check_types(check)

    weight = [1 + sum(blocks.get(t, 0) for t in named(check)) for check in graph_checks]
    groups: tuple[list[int], list[int]] = ([], [])
    loads = [0, 0]
    for i in sorted(range(len(graph_checks)), key=lambda i: -weight[i]):
        lighter = 0 if loads[0] <= loads[1] else 1
        groups[lighter].append(i)
        loads[lighter] += weight[i]
    return sorted(groups[0]), sorted(groups[1])


def _run_check(check: Any, entity: _Entity, entity_name: str, entity_type: str, scanned_file: str,
               graph: Any, memo: _Memo | None, unknown: Any) -> dict[str, Any]:
    """checkov's BaseCheckRegistry.run_check (check.run; an exception is UNKNOWN), memoised."""
    check.graph = graph
    if memo is None or check.id in memo.never or entity.dynamic:
        return _plain_run(check, entity.config, entity_name, entity_type, scanned_file, unknown)
    paths = memo.paths_of(check, entity_type)
    if paths is not None:
        key = memo.value_key(check, entity, paths, entity_type)
        found = memo.verdicts.get(key)
        if found is not None:
            memo.hits += 1
        else:
            memo.runs += 1
            found = _plain_run(check, entity.config, entity_name, entity_type, scanned_file, unknown)
            memo.verdicts[key] = found
        return _copy(found)
    # A check sees the block's type and name too (checkov's IAM checks cache the parsed policy
    # by file:type:name, so in a plan every module's aws_iam_policy.this gets the first one's)
    block = (entity_type, entity_name)
    found = memo.lookup(check.id, entity, block)
    if found is not None:
        return _copy(found)
    memo.runs += 1
    tracked = _Tracked(entity)
    try:
        result = check.run(scanned_file=scanned_file, entity_configuration=tracked, entity_name=entity_name,
                           entity_type=entity_type, skip_info={})
    except Exception:  # noqa: BLE001 - checkov reports a crashed check as UNKNOWN
        memo.never.add(check.id)
        result = {"result": unknown, "suppress_comment": "", "evaluated_keys": []}
    if tracked.wrote:  # the write stays where the next checks of this resource see it
        entity.config.clear()
        entity.config.update(dict.items(tracked))
        entity.changed()
    memo.store(check.id, entity, tracked, result, block)
    return _copy(result)


def _copy(result: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(result)
    if "evaluated_keys" in out:
        out["evaluated_keys"] = list(out["evaluated_keys"] or [])
    return out


def _plain_run(check: Any, config: dict[str, Any], entity_name: str, entity_type: str, scanned_file: str,
               unknown: Any) -> dict[str, Any]:
    try:
        return check.run(scanned_file=scanned_file, entity_configuration=config, entity_name=entity_name,
                         entity_type=entity_type, skip_info={})
    except Exception:  # noqa: BLE001 - checkov reports a crashed check as UNKNOWN
        return {"result": unknown, "suppress_comment": "", "evaluated_keys": []}


class _InlineExecutor:
    """A ThreadPoolExecutor that runs each job at once, in the calling thread.

    checkov's attribute and resource solvers submit one job per vertex to a fresh thread
    pool per check and wait for them all; the jobs hold the GIL, so the threads only add
    their overhead (and a job's exception, kept in its future and never read, is kept the
    same way here)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        import concurrent.futures

        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - what a pool thread does with it
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> "_InlineExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


@contextlib.contextmanager
def _inline_solver_pools() -> Iterator[None]:
    """checkov's graph solvers run their per-vertex jobs inline (:class:`_InlineExecutor`)."""
    from checkov.common.checks_infra.solvers.attribute_solvers import base_attribute_solver
    from checkov.common.checks_infra.solvers.resource_solvers import base_resource_solver

    modules = [m for m in (base_attribute_solver, base_resource_solver) if hasattr(m, "ThreadPoolExecutor")]
    originals = [m.ThreadPoolExecutor for m in modules]
    for module in modules:
        module.ThreadPoolExecutor = _InlineExecutor
    try:
        yield
    finally:
        for module, original in zip(modules, originals):
            module.ThreadPoolExecutor = original


@contextlib.contextmanager
def _indexed_nested_attribute_test() -> Iterator[None]:
    """checkov.terraform.graph_builder.utils.attribute_has_nested_attributes, answered from
    the block's attribute names sorted once instead of a scan of all of them per attribute
    (quadratic in a block's attributes: a policy flattens into hundreds). The names starting
    with a key are the ones sorted right after it; the answer is the same."""
    import bisect

    from checkov.terraform.graph_builder import local_graph
    from checkov.terraform.graph_builder.utils import NESTED_ATTRIBUTE_PATTERN

    original = local_graph.attribute_has_nested_attributes
    sorted_names: dict[int, tuple[Any, int, list[str]]] = {}

    def attribute_has_nested_attributes(attribute_key: str, attributes: dict[str, Any],
                                        attribute_is_leaf: dict[str, bool] | None = None) -> bool:
        if not isinstance(attribute_key, str):
            return original(attribute_key, attributes, attribute_is_leaf)
        nested = False
        if not (attribute_is_leaf or {}).get(attribute_key):
            found = sorted_names.get(id(attributes))
            if found is None or found[0] is not attributes or found[1] != len(attributes):
                names = [a for a in attributes if isinstance(a, str)]
                if len(names) != len(attributes):
                    return original(attribute_key, attributes, attribute_is_leaf)
                found = sorted_names[id(attributes)] = (attributes, len(attributes), sorted(names))
            names = found[2]
            for i in range(bisect.bisect_left(names, attribute_key), len(names)):
                name = names[i]
                if not name.startswith(attribute_key):
                    break
                if name != attribute_key and NESTED_ATTRIBUTE_PATTERN.findall(name):
                    nested = True
                    break
        value = attributes[attribute_key]
        return isinstance(value, (list, dict)) if nested else isinstance(value, dict)

    local_graph.attribute_has_nested_attributes = attribute_has_nested_attributes
    try:
        yield
    finally:
        local_graph.attribute_has_nested_attributes = original
        sorted_names.clear()


@contextlib.contextmanager
def _static_dynamic_blocks() -> Iterator[None]:
    """While the memo runs checks: checkov's handle_dynamic_values reads the whole
    configuration (to find ``dynamic`` blocks, which a plan has none of) and would make
    every check read everything. On a configuration without any key named ``dynamic`` it
    does nothing and returns False; the memo runs checks on those only (``_Entity.dynamic``)."""
    from checkov.terraform import parser_functions

    original = parser_functions.handle_dynamic_values

    def handle_dynamic_values(conf: Any, has_dynamic_block: bool = False) -> bool:
        if isinstance(conf, _Tracked):
            return has_dynamic_block
        return original(conf, has_dynamic_block)

    patched = [m for name, m in list(sys.modules.items())
               if name.startswith("checkov.") and getattr(m, "handle_dynamic_values", None) is original]
    for module in patched:
        module.handle_dynamic_values = handle_dynamic_values  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in patched:
            module.handle_dynamic_values = original  # type: ignore[attr-defined]


@contextlib.contextmanager
def _value_scans_read_along() -> Iterator[None]:
    """While the memo runs checks: the scan of checkov's value-check classes, handed a
    tracked configuration, records one read of the part along its inspected (and excluded)
    key and scans a plain copy. It searches with dpath, which walks all of the configuration,
    so it would otherwise read everything; what decides its verdict is only that part (see
    :class:`_Memo`). A glob key records a read of everything."""
    from checkov.terraform.checks.resource.base_resource_negative_value_check import (
        BaseResourceNegativeValueCheck,
    )
    from checkov.terraform.checks.resource.base_resource_value_check import BaseResourceValueCheck

    def read_along(original: Callable[..., Any], keys: Callable[[Any], list[Any]]) -> Callable[..., Any]:
        def scan_resource_conf(self: Any, conf: Any) -> Any:
            if type(conf) is _Tracked:
                conf = conf.read_along(_named_paths(keys(self)))
            return original(self, conf)
        return scan_resource_conf

    originals = {BaseResourceValueCheck: BaseResourceValueCheck.__dict__["scan_resource_conf"],
                 BaseResourceNegativeValueCheck: BaseResourceNegativeValueCheck.__dict__["scan_resource_conf"]}
    BaseResourceValueCheck.scan_resource_conf = read_along(
        originals[BaseResourceValueCheck], lambda check: [check.get_inspected_key()])
    BaseResourceNegativeValueCheck.scan_resource_conf = read_along(
        originals[BaseResourceNegativeValueCheck],
        lambda check: [check.get_inspected_key(), check.get_excluded_key()])
    try:
        yield
    finally:
        for cls, original in originals.items():
            cls.scan_resource_conf = original
