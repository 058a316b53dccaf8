"""The levers of checkov's fast path that stand in for a piece of checkov give checkov's own
answer (tests/test_checkov_fast.py compares whole finding sets with checkov's Runner; these
pin each lever on the cases where a shortcut could go wrong)."""
from __future__ import annotations

import contextlib
import copy
import json
import subprocess
import sys
import textwrap

import pytest

from checks.integrations import checkov_bridge, checkov_fast, checkov_lazy, checkov_solvers
from conftest import REPO


# --------------------------------------------------------------------------------------
# IndexedList: `in` as a list answers it


def test_indexed_list_answers_in_as_a_list_does():
    a = {"__address__": "aws_s3_bucket.a", "block_name_": "aws_s3_bucket.a", "x": [1]}
    twin = copy.deepcopy(a)  # equal, not identical
    other = {"__address__": "aws_s3_bucket.a", "block_name_": "aws_s3_bucket.a", "x": [2]}
    odd = {"__address__": ["not", "hashable"], "block_name_": "b"}
    items = checkov_solvers.IndexedList([a, odd, 3])
    plain = [a, odd, 3]
    for probe in (a, twin, other, copy.deepcopy(odd), {"__address__": ["not"], "block_name_": "b"}, 3, 3.0, "3", {}):
        assert (probe in items) == (probe in plain), probe
    items.append(other)  # the index follows the list
    assert other in items
    items[0] = {"y": 1}
    assert a not in items and twin not in items and {"y": 1} in items


def test_indexed_list_finds_a_dict_whose_address_equals_across_types():
    # 1 == 1.0 == True: equal dicts, keys of equal hash; a list scan finds them, so must the index
    items = checkov_solvers.IndexedList([{"__address__": 1, "block_name_": "n"}])
    assert {"__address__": 1.0, "block_name_": "n"} in items
    assert {"__address__": True, "block_name_": "n"} in items


# --------------------------------------------------------------------------------------
# flat_inner_attributes: checkov's get_inner_attributes, the same dict in the same order


TRICKY = [
    ("policy", [{"Statement": [{"Action": ["s3:*"], "Resource": "*"}], "Version": "2012-10-17"}], False),
    ("tags", [{"a": "1", "a.b": "2", "": "empty key"}], True),
    ("rule", [{"a": {"b": [1]}, "a.b": [2, 3]}], False),  # a key written twice (a.b)
    ("list", [[1, [2]], {"k": [{"x": None}]}], True),
    ("scalar", "value", True),
    ("empty", [], False),
]


@pytest.mark.parametrize("key,value,strip", TRICKY, ids=[t[0] for t in TRICKY])
def test_flat_inner_attributes_equals_checkovs(key, value, strip):
    checkov_bridge._import_for({})
    from checkov.terraform.graph_builder.graph_components.blocks import TerraformBlock

    mine, theirs = copy.deepcopy(value), copy.deepcopy(value)
    expected = TerraformBlock.get_inner_attributes(key, theirs, strip)
    with checkov_solvers.flat_inner_attributes():
        got = TerraformBlock.get_inner_attributes(key, mine, strip)
    assert list(got) == list(expected)
    assert json.dumps(got, default=repr) == json.dumps(expected, default=repr)
    assert mine == theirs  # the empty key removed from the value, as checkov does
    assert TerraformBlock.get_inner_attributes.__func__.__module__.startswith("checkov.")  # restored


def _as_checkov_reads(value, file):
    """``value`` as checkov's YAML loader and _hclify see it: every mapping carries the
    marker keys (file, lines) and the start_line / end_line _hclify writes."""
    if isinstance(value, dict):
        return {**{k: _as_checkov_reads(v, file) for k, v in value.items()},
                "__file__": file, "__startline__": 1, "__endline__": 1, "start_line": 0, "end_line": 0}
    if isinstance(value, list):
        return [_as_checkov_reads(v, file) for v in value]
    return value


def test_adapted_values_are_checkovs_hclify_of_any_json():
    """The adapter's _hclify (exact JSON types by a fast path) equals checkov's on any JSON
    object: booleans as strings in any case, lists of scalars, of objects, of both, empty,
    nested, under ``tags`` or not."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    checkov_bridge._import_for({})
    from checkov.terraform import plan_parser

    file = "/plan.json"
    adapter = checkov_fast._Adapter(file)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.sampled_from(["true", "FALSE", "True", "tRuE", "false ", "yes", "", "falsey"]), st.text(max_size=5))
    keys = st.sampled_from(["a", "b", "tags", "policy", "x"])
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=4)), max_leaves=20)

    @hypothesis.settings(max_examples=400, deadline=None, derandomize=True)
    @hypothesis.given(st.dictionaries(keys, values, max_size=5), st.sampled_from([None, "tags", "a"]))
    def same(obj, parent_key):
        theirs = plan_parser._hclify(_as_checkov_reads(copy.deepcopy(obj), file), parent_key=parent_key)
        ours = adapter.hclify(copy.deepcopy(obj), parent_key=parent_key)
        assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)

    same()


# --------------------------------------------------------------------------------------
# the memo's tracked configuration


def test_tracked_keys_membership_reads_one_key():
    entity = checkov_fast._Entity({"policy": ["{}"], "name": ["a"]})
    tracked = checkov_fast._Tracked(entity)
    assert "policy" in tracked.keys() and "missing" not in tracked.keys()
    assert list(tracked.reads) == ["policy", "missing"] and not tracked.everything
    assert sorted(tracked.keys()) == ["name", "policy"]  # iterating reads everything
    assert tracked.everything


# --------------------------------------------------------------------------------------
# PLY tables generated once per grammar; lazy packages


def test_lr_tables_are_generated_once_and_parse_the_same():
    checkov_bridge._import_for({})
    from bc_jsonpath_ng.ext import parse
    from ply import yacc

    statements = ["policy.Statement[?(@.Effect == Allow)].Action[*]", "a.b[0]", "tags.*"]
    expected = [repr(parse(s)) for s in statements]
    generated = []
    original = yacc.LRGeneratedTable

    def counting(*args, **kwargs):
        generated.append(1)
        return original(*args, **kwargs)

    yacc.LRGeneratedTable = counting
    try:
        with checkov_lazy.cached_lr_tables():
            got = [repr(parse(s)) for s in statements]
    finally:
        yacc.LRGeneratedTable = original
    assert got == expected
    assert len(generated) == 1


def test_a_deferred_package_runs_on_first_use_only(tmp_path):
    package = tmp_path / "genai_lz_lazy_probe"
    package.mkdir()
    (package / "__init__.py").write_text("import sys\nsys.modules['genai_lz_probe_ran'] = sys\nVALUE = 42\n")
    code = f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from checks.integrations.checkov_lazy import deferred_packages
        with deferred_packages(["genai_lz_lazy_probe"]):
            import genai_lz_lazy_probe
        assert "genai_lz_probe_ran" not in sys.modules
        assert genai_lz_lazy_probe.VALUE == 42 and "genai_lz_probe_ran" in sys.modules
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_fast_path_leaves_platform_packages_unloaded_and_the_hcl_parser_unbuilt():
    code = """
        import sys
        from checks import plan as plan_module
        from checks.integrations import checkov_bridge
        checkov_bridge.run(plan_module.load(r"%s"), {}, [])
        loaded = [m for m in ("aiohttp", "boto3", "git") if m in sys.modules and
                  type(sys.modules[m]).__name__ != "_LazyModule"]
        assert not loaded, loaded
        assert not [m for m in sys.modules if m.startswith("checkov.cloudformation.checks")]
        import lark
        from hcl2 import parser
        assert parser.Hcl2.lark_parser._parser is None  # the HCL parser was never built
        assert lark.Lark.__name__ == "Lark"  # lark's own class, restored
        import hcl2
        assert hcl2.loads('a = 1\\nb "x" { c = true }\\n') == {"a": [1], "b": [{"x": {"c": [True]}}]}
        assert isinstance(parser.Hcl2.lark_parser._parser, lark.Lark)  # built on first use
    """ % (REPO / "tests" / "fixtures" / "checkov" / "trail.plan.json")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_ids_answer_in_as_a_list_of_identifiers_does():
    ids = [("a", "/p", "aws_s3_bucket.a"), ("b", "/p", ["not", "hashable"]), ("c", "/p", None)]
    indexed = checkov_solvers._Ids(ids)
    for probe in (("a", "/p", "aws_s3_bucket.a"), ("b", "/p", ["not", "hashable"]), ("b", "/p", ("not", "hashable")),
                  ("c", "/p", None), ("a", "/q", "aws_s3_bucket.a"), ("c", "/p", 0)):
        assert (probe in indexed) == (probe in ids), probe
    indexed.update([("d", "/p", 1)])
    assert ("d", "/p", 1.0) in indexed  # 1 == 1.0, as in a list


def test_foreach_index_picks_the_vertex_checkovs_scan_picks(tmp_path, monkeypatch):
    """Every for_each match of the graph build on the iam-s3 shape (for_each at the root),
    answered by the index and by checkov's scan of the candidates: the same vertex."""
    from checks import plan as plan_module
    from tests.benchmarks import generate

    monkeypatch.setenv("GENAI_LZ_WORKERS", "0")  # the graph built in this process, where `compared` is
    plan = plan_module.load(generate.build("iam-s3", 0, None, tmp_path, units=6))
    runner_filter, _, index = checkov_bridge._import_for(plan.document)
    compared = []
    indexed = checkov_fast._indexed_graph_class()

    class Checked(indexed):  # type: ignore[misc, valid-type]
        def _foreach_match(self, origin, best):
            found = super()._foreach_match(origin, best)
            expected = self._find_best_match_based_on_foreach_key(origin, [(i, self.vertices[i]) for i in best], best[0])
            compared.append((found, expected))
            return found

    monkeypatch.setattr(checkov_fast, "_indexed_graph_class", lambda: Checked)
    with checkov_bridge._checkov_env():
        checkov_fast.scan(plan.document, plan.source, checkov_bridge._runner_filter(runner_filter), index)
    assert len(compared) > 10
    assert all(found == expected for found, expected in compared)
    assert len({expected for _, expected in compared}) > 1  # not the first candidate every time


# --------------------------------------------------------------------------------------
# lean_graph_copies: the graph of checkov's copies, without them


def _graph_of(definitions, lean, memo=False):
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
    from checkov.common.graph.graph_builder.consts import GraphSource
    from checkov.terraform.graph_manager import TerraformGraphManager

    from checks.integrations import checkov_copies

    manager = TerraformGraphManager(db_connector=RustworkxConnector(), source=GraphSource.TERRAFORM)
    with checkov_copies.lean_graph_copies(definitions) if lean else contextlib.nullcontext():
        module, _ = manager.parser.parse_hcl_module_from_tf_definitions(definitions, "", manager.source)
    graph = checkov_fast._indexed_graph_class()(module)
    with checkov_copies.memoised_references() if memo else contextlib.nullcontext():
        graph.build_graph(render_variables=False)
    return [(v.block_type, v.name, v.config, v.attributes, v.get_attribute_dict()) for v in graph.vertices], \
        sorted((e.origin, e.dest, e.label) for e in graph.edges)


@pytest.mark.parametrize("odd", ["", "backslash", "nan"])
def test_lean_graph_copies_build_checkovs_graph_and_leave_the_definitions(tmp_path, odd):
    """With plain JSON resources: shared definitions, uncopied configs, orjson round trips;
    with a backslash (checkov's round trip may fail) or a NaN (orjson would write null):
    checkov's copies and round trips. The same graph either way."""
    from checks import plan as plan_module
    from checks.integrations import checkov_copies
    from tests.benchmarks import generate

    plan = plan_module.load(generate.build("iam-s3", 0, None, tmp_path, units=3))
    checkov_bridge._import_for(plan.document)
    file = str(tmp_path / "plan.json")
    definitions = {file: checkov_fast._Adapter(file).definitions(plan.document)}
    config = next(iter(next(iter(definitions[file]["resource"][0].values())).values()))
    if odd == "backslash":  # a round trip through clean_bad_characters fails: the definitions are copied
        config["description"] = ["ends with a backslash \\"]
    elif odd == "nan":  # e.g. a policy document checkov parsed with the standard json module
        config["threshold"] = [float("nan")]
    before = json.dumps(definitions)
    expected = _graph_of(copy.deepcopy(definitions), lean=False)
    got = _graph_of(definitions, lean=True)
    if odd == "nan":  # a NaN equals no NaN: compared as text
        assert json.dumps(got, default=repr) == json.dumps(expected, default=repr)
    else:
        assert got == expected
    assert json.dumps(definitions) == before
    assert checkov_copies.STATS["shared"] == (0 if odd else 1)
    assert checkov_copies.STATS["configs"] == (0 if odd else len(definitions[file]["resource"]))
    assert checkov_copies.STATS["fast_round_trips"] == (0 if odd else 2 * len(definitions[file]["resource"]))


def test_memoised_references_build_checkovs_edges(tmp_path):
    """References of a string answered from the memo: the same edges (and vertices) as
    checkov's parse of every string, on a replicated plan where strings repeat."""
    from checks import plan as plan_module
    from checks.integrations import checkov_copies
    from tests.benchmarks import generate

    plan = plan_module.load(generate.build("landing-zone", 0, generate.DEV_PLAN, tmp_path, units=2)
                            if generate.DEV_PLAN.is_file() else generate.build("iam-s3", 0, None, tmp_path, units=4))
    checkov_bridge._import_for(plan.document)
    file = str(tmp_path / "plan.json")
    definitions = {file: checkov_fast._Adapter(file).definitions(plan.document)}
    vertices, edges = _graph_of(copy.deepcopy(definitions), lean=False)
    assert len(edges) > 10
    assert _graph_of(definitions, lean=False, memo=True) == (vertices, edges)
    assert checkov_copies.STATS["references"] > 0


def _built(definitions):
    """The graph of ``definitions`` as the fast path builds it (before it is saved)."""
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
    from checkov.common.graph.graph_builder.consts import GraphSource
    from checkov.terraform.graph_manager import TerraformGraphManager

    manager = TerraformGraphManager(db_connector=RustworkxConnector(), source=GraphSource.TERRAFORM)
    module, _ = manager.parser.parse_hcl_module_from_tf_definitions(definitions, "", manager.source)
    graph = checkov_fast._indexed_graph_class()(module)
    graph.build_graph(render_variables=False)
    return manager, graph


def _replicated_definitions(tmp_path):
    from checks import plan as plan_module
    from tests.benchmarks import generate

    plan = plan_module.load(generate.build("landing-zone", 0, generate.DEV_PLAN, tmp_path, units=2)
                            if generate.DEV_PLAN.is_file() else generate.build("iam-s3", 0, None, tmp_path, units=4))
    checkov_bridge._import_for(plan.document)
    file = str(tmp_path / "plan.json")
    return {file: checkov_fast._Adapter(file).definitions(plan.document)}


def test_edges_found_in_two_processes_are_checkovs_in_checkovs_order(tmp_path, monkeypatch):
    """The edge build split over two processes (forced here on a small graph): the same
    edges, in the same order, in the same per-vertex lists, as the build in one process."""
    definitions = _replicated_definitions(tmp_path)

    def edges(workers: str) -> tuple:
        monkeypatch.setenv("GENAI_LZ_WORKERS", workers)
        _, graph = _built(copy.deepcopy(definitions))
        return (len(graph.vertices), [(e.origin, e.dest, e.label) for e in graph.edges],
                {k: [(e.origin, e.dest, e.label) for e in v] for k, v in graph.out_edges.items()},
                {k: [(e.origin, e.dest, e.label) for e in v] for k, v in graph.in_edges.items()})

    alone = edges("0")
    monkeypatch.setattr(checkov_fast, "_SPLIT_EDGES_AT", 0)
    calls: list[tuple[int, int]] = []
    indexed = checkov_fast._indexed_graph_class()

    class Counted(indexed):  # type: ignore[misc, valid-type]
        def _edge_calls(self, start, stop, *args):
            calls.append((start, stop))
            return super()._edge_calls(start, stop, *args)

    monkeypatch.setattr(checkov_fast, "_indexed_graph_class", lambda: Counted)
    split = edges("1")
    assert len(alone[1]) > 10
    assert split == alone
    assert calls == [(0, calls[0][1])] and 0 < calls[0][1] < alone[0]  # this process's share; the rest: the child's


def test_the_saved_graph_is_checkovs_without_the_hash(tmp_path):
    """:func:`_saved_graph`: checkov's saved graph (nodes, attributes, edges) less each
    vertex's ``hash``."""
    definitions = _replicated_definitions(tmp_path)
    manager, graph = _built(definitions)
    ours = checkov_fast._saved_graph(graph)
    theirs = manager.save_graph(graph)
    expected = [(index, {k: v for k, v in attributes.items() if k != "hash"}) for index, attributes in theirs.nodes()]
    assert all("hash" in attributes for _, attributes in theirs.nodes())
    assert ours.nodes() == expected
    assert ours.weighted_edge_list() == theirs.weighted_edge_list()


def test_no_installed_graph_check_reads_the_vertex_hash():
    """What lets :func:`_saved_graph` leave the hash out: no condition of any graph check
    checkov installs names an attribute that ``hash`` matches."""
    import fnmatch
    import re

    import checkov
    import yaml

    root = checkov_fast.Path(checkov.__file__).resolve().parent
    index = checkov_fast.load_index()
    assert index is not None
    attributes: set[str] = set()

    def walk(node):
        if isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, dict):
            if isinstance(node.get("attribute"), str):
                attributes.add(node["attribute"])
            for value in node.values():
                walk(value)

    for relative, _, _ in index["graph"]:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        walk(json.loads(text) if path.suffix == ".json" else yaml.safe_load(text))
    assert len(attributes) > 100
    matching = [a for a in attributes if a == "hash" or (any(c in a for c in "*?[") and fnmatch.fnmatchcase("hash", a))
                or (a.startswith("^") and re.match(a, "hash"))]
    assert matching == []


# --------------------------------------------------------------------------------------
# worker processes: the graph built and checked in a worker, its checks split in two


def test_worker_processes_give_the_records_of_one_process(tmp_path, monkeypatch):
    """The graph part in a worker process, and its checks split across two (forced here on a
    small graph), give the records of the whole scan in this process, in the same order."""
    from checks import plan as plan_module
    from tests.benchmarks import generate

    plan = plan_module.load(generate.build("iam-s3", 0, None, tmp_path, units=6))
    runner_filter, _, index = checkov_bridge._import_for(plan.document)

    def records(workers: str) -> list:
        monkeypatch.setenv("GENAI_LZ_WORKERS", workers)
        timings: dict[str, float] = {}
        with checkov_bridge._checkov_env():
            found, _ = checkov_fast.scan(plan.document, plan.source, checkov_bridge._runner_filter(runner_filter),
                                         index, timings)
        return [(r.check_id, r.resource, str(r.check_result["result"]), r.check_result.get("evaluated_keys"), r.source)
                for r in found], timings

    alone, alone_timings = records("0")
    monkeypatch.setattr(checkov_fast, "_SPLIT_GRAPH_CHECKS_AT", 0)
    split, split_timings = records("1")
    assert "graph build" in alone_timings and "graph build (worker)" in split_timings
    assert len({r[0] for r in alone if r[0].startswith("CKV2_")}) > 2  # graph checks on both sides of the split
    assert split == alone


def test_the_graph_worker_starts_before_the_checks_load_and_yields_to_a_graph_reader(tmp_path, monkeypatch):
    """With the check modules imported inside the scan, the graph worker starts first when
    the index says no resource check of the plan's types reads the graph; when one does after
    all (here: the index is made to name a check of the plan as a graph reader, after saying
    no type has one), the worker is stopped and the graph built in this process; the records
    are those of the plain scan either way."""
    from checks import plan as plan_module
    from tests.benchmarks import generate

    monkeypatch.setenv("GENAI_LZ_WORKERS", "1")
    plan = plan_module.load(generate.build("iam-s3", 0, None, tmp_path, units=4))
    runner_filter, _, index = checkov_bridge._import_for(plan.document)

    def records(index, load_checks=None) -> tuple[list, dict]:
        timings: dict[str, float] = {}
        with checkov_bridge._checkov_env():
            found, _ = checkov_fast.scan(plan.document, plan.source, checkov_bridge._runner_filter(runner_filter),
                                         index, timings, load_checks=load_checks)
        return [(r.check_id, r.resource, str(r.check_result["result"]), r.check_result.get("evaluated_keys"))
                for r in found], timings

    plain, _ = records(index)
    loaded: list[str] = []
    early, early_timings = records(index, lambda: loaded.append("checks"))
    assert early == plain and loaded == ["checks"]
    assert "check modules" in early_timings and "graph build (worker)" in early_timings
    wrong = {**index, "reads_graph_types": [], "reads_graph": [*index["reads_graph"], "CKV_AWS_70"]}
    assert any(r[0] == "CKV_AWS_70" for r in plain)  # a check of this plan's buckets
    fallback, fallback_timings = records(wrong, lambda: None)
    assert "graph build" in fallback_timings and "graph build (worker)" not in fallback_timings
    assert fallback == plain
