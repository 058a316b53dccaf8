"""checkov's graph build without the deep copies nobody can tell from the original, and
without parsing the same string for references again (:func:`memoised_references`).

Building the terraform graph, checkov deep-copies (``pickle_deepcopy``) every resource
twice although no one else holds either copy's source:

* ``parse_hcl_module_from_tf_definitions`` copies all the definitions before turning them
  into blocks. A resource's definition is only *read* there: ``Module._add_resource``
  hands the block JSON round trips of it (``clean_bad_characters``), fresh objects. Only
  when the round trip fails (a string with a backslash makes ``replace`` break the JSON)
  does it hand on the definition itself; providers and data sources are always handed on.
* ``Block.__init__`` copies the block's ``config``, which for a resource is that fresh
  round trip, referenced by nothing else.

:func:`lean_graph_copies` keeps every other copy: the definitions are copied as checkov
copies them except the resources, which are shared when none of them holds a backslash
(then every round trip succeeds); a block's config is not copied when it is a round trip
of a resource definition that :func:`lean_graph_copies` was given. When the resources are
plain JSON without a backslash, the round trips themselves go through orjson (the
``replace`` does nothing to such text, and the values come back the same). The blocks,
their attributes and configs are equal to checkov's; the caller's definitions are never
written.
"""
from __future__ import annotations

import contextlib
import json
from typing import Any, Iterator

__all__ = ["lean_graph_copies", "memoised_references", "STATS"]

#: copies skipped by the last :func:`lean_graph_copies` (definitions shared: 0/1; configs) and
#: strings answered from the memo of :func:`memoised_references` (references)
STATS: dict[str, int] = {}


def _has_backslash(blocks: list[Any]) -> bool:
    """Whether a string (key or value) of ``blocks`` holds a backslash: JSON writes one as
    two, and no other escape puts two in a row. Not plain JSON (a NaN or infinite number,
    a type JSON has not): assume it does."""
    try:
        return "\\\\" in json.dumps(blocks, allow_nan=False)
    except (TypeError, ValueError):
        return True


def _round_trip(value: Any) -> Any:
    """``json.loads(json.dumps(value))`` for plain JSON data without a backslash, through
    orjson: the same values (orjson writes a float's shortest exact form, and refuses what
    the standard module would turn into something else: an integer beyond 64 bits, a key
    that is no string), several times faster. ValueError/TypeError when it refuses."""
    import orjson

    return orjson.loads(orjson.dumps(value))


@contextlib.contextmanager
def lean_graph_copies(definitions: dict[str, dict[str, list[Any]]]) -> Iterator[None]:
    """While checkov turns ``definitions`` ({file: {block type: blocks}}, passed as is to
    ``parse_hcl_module_from_tf_definitions``) into a graph: the copies described above skipped."""
    from checkov.common.graph.graph_builder.graph_components import blocks as base_blocks
    from checkov.common.util.data_structures_utils import pickle_deepcopy
    from checkov.terraform import tf_parser
    from checkov.terraform.graph_builder.graph_components.module import Module

    resources = {id(block): block for per_file in definitions.values() for block in per_file.get("resource", ())}
    fresh: dict[int, Any] = {}  # id -> round trip of a resource definition, until its block takes it
    plain: dict[int, Any] = {}  # id -> a resource definition, or its configuration, of plain JSON
    original_clean = Module.__dict__["clean_bad_characters"]
    STATS.update(shared=0, configs=0, fast_round_trips=0)

    def copy_definitions(obj: Any) -> Any:
        if obj is not definitions:
            return pickle_deepcopy(obj)
        copied: dict[str, dict[str, list[Any]]] = {}
        for file, per_file in definitions.items():
            copied[file] = {}
            for block_type, blocks in per_file.items():
                share = block_type == "resource" and not _has_backslash(blocks)
                copied[file][block_type] = list(blocks) if share else pickle_deepcopy(blocks)
                STATS["shared"] += share
                if share:  # no backslash, no NaN: checkov's round trip is a plain one
                    for block in blocks:
                        plain[id(block)] = block
                        for named in block.values():
                            if isinstance(named, dict):
                                plain.update((id(conf), conf) for conf in named.values())
        return copied

    def clean_bad_characters(resource_conf: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] | None = None
        if plain.get(id(resource_conf)) is resource_conf:
            try:
                cleaned = _round_trip(resource_conf)
                STATS["fast_round_trips"] += 1
            except (TypeError, ValueError):
                cleaned = None
        if cleaned is None:
            cleaned = original_clean.__func__(resource_conf)
        if cleaned is not resource_conf and resources.get(id(resource_conf)) is resource_conf:
            fresh[id(cleaned)] = cleaned
        return cleaned

    def copy_config(obj: Any) -> Any:
        if fresh.pop(id(obj), None) is obj:
            STATS["configs"] += 1
            return obj
        return pickle_deepcopy(obj)

    tf_parser.pickle_deepcopy = copy_definitions
    base_blocks.pickle_deepcopy = copy_config
    Module.clean_bad_characters = staticmethod(clean_bad_characters)
    try:
        yield
    finally:
        tf_parser.pickle_deepcopy = pickle_deepcopy
        base_blocks.pickle_deepcopy = pickle_deepcopy
        Module.clean_bad_characters = original_clean
        fresh.clear()
        plain.clear()


@contextlib.contextmanager
def memoised_references() -> Iterator[None]:
    """While checkov builds the edges: ``get_referenced_vertices_in_str_value`` answers a
    string it already read with the same aliases and resource types (the same objects: the
    edge build makes them once) from a memo, as a new list of the same references.

    It is a function of those three (it parses the string), and the edge build only reads
    the references it returns; a replicated plan repeats the same strings in every module
    instance (on 10,000 resources, 98,878 strings worth parsing, 6,755 distinct)."""
    from checkov.terraform.graph_builder import utils

    original = utils.get_referenced_vertices_in_str_value
    STATS["references"] = 0
    memo: dict[tuple[str, int, int], tuple[Any, Any, list[Any]]] = {}

    def get_referenced_vertices_in_str_value(str_value: str, aliases: dict[str, dict[str, str]],
                                             resources_types: list[str]) -> list[Any]:
        key = (str_value, id(aliases), id(resources_types))
        found = memo.get(key)
        if found is None or found[0] is not aliases or found[1] is not resources_types:
            found = memo[key] = (aliases, resources_types, original(
                str_value=str_value, aliases=aliases, resources_types=resources_types))
        else:
            STATS["references"] = STATS.get("references", 0) + 1
        return list(found[2])

    utils.get_referenced_vertices_in_str_value = get_referenced_vertices_in_str_value
    try:
        yield
    finally:
        utils.get_referenced_vertices_in_str_value = original
        memo.clear()
