"""Property-based tests of the gate (issue 17): generated plans with hostile strings, wrong
types at every level and sensitive markers, run through the plan loader, the accessor, the
engine with every rule of the pack and every report writer.

Invariants: the exit code is 0, 1 or 2 (never 3, never a traceback); no sensitive marker
in any output or on stderr; no raw control character on the terminal; every report parses
(JSON against the report schema, SARIF against the SARIF 2.1.0 schema, JUnit against its
XSD, Markdown tables keep their shape, no live HTML); an exit 2 writes nothing; no temp
file is left.

`make test` runs the bounded "ci" profile (a few dozen examples per property, well under a
minute); `make fuzz` sets GENAI_LZ_HYPOTHESIS_PROFILE=fuzz (thousands of examples).
"""
from __future__ import annotations

import copy
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import FIXTURES, POLICIES, run_cli  # noqa: E402
from hardening_plans import (MARKER_PREFIX, MARKER_RE, assert_markdown_tables,  # noqa: E402
                             assert_terminal_clean)

settings.register_profile("ci", max_examples=int(os.environ.get("GENAI_LZ_PROPERTY_EXAMPLES", "25")),
                          deadline=None, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=int(os.environ.get("GENAI_LZ_PROPERTY_EXAMPLES", "2000")),
                          deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("GENAI_LZ_HYPOTHESIS_PROFILE", "ci"))

FORMATS = ("json", "markdown", "html", "sarif", "junit")
FILES = {"report.json", "report.md", "report.html", "report.sarif", "report.xml"}

# -- strategies ---------------------------------------------------------------------------------

HOSTILE_PIECES = [
    "\x1b[31m", "\x1b]0;title\x07", "\x07", "\x9b2J", "\u202e", "\u2066", "\u200b", "\x00", "\r", "\n", "\t",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</td></tr>", "]]>", "<![CDATA[", "&amp;",
    "|", "||", "`", "```", "**", "_", "[x](javascript:alert(1))", "\\", '"', "'", "${var.x}", "%s", "{{ 7*7 }}",
    "\ud7ff", "\U0001f600", "é", "\ufeff", "\u2028", " ", "",
]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES),
                                  st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)),
                        max_size=6).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
                    st.floats(allow_nan=False, allow_infinity=False), hostile_text)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)), max_leaves=12)

TYPES = ["aws_s3_bucket", "aws_s3_bucket_versioning", "aws_instance", "aws_iam_policy", "aws_iam_role", "aws_vpc",
         "aws_vpc_endpoint", "aws_eks_cluster", "aws_eks_node_group", "aws_sagemaker_endpoint",
         "aws_sagemaker_endpoint_configuration", "aws_bedrock_guardrail", "aws_cloudwatch_log_group", "aws_kms_key",
         "aws_security_group", "aws_budgets_budget", "aws_autoscaling_group", "aws_cloudtrail", "aws_subnet"]
ATTRIBUTES = ["tags", "tags_all", "bucket", "name", "instance_type", "policy", "assume_role_policy", "ami",
              "versioning_configuration", "vpc_config", "enable_key_rotation", "retention_in_days", "kms_key_id",
              "ingress", "metadata_options", "scaling_config", "instance_types", "service_name", "vpc_endpoint_type",
              "private_dns_enabled", "kms_key_arn", "content_policy_config", "production_variants", "limit_amount"]


class Markers:
    def __init__(self) -> None:
        self.n = 0

    def new(self) -> str:
        self.n += 1
        return f"{MARKER_PREFIX}{self.n:05d}X"


@st.composite
def attribute_values(draw: Any, markers: Markers) -> tuple[Any, Any]:
    """(value, sensitive tree): hostile or wrong-typed values; parts marked sensitive carry markers."""
    kind = draw(st.sampled_from(["plain", "marker", "policy", "block", "tags"]))
    if kind == "plain":
        return draw(json_values), {}
    if kind == "marker":
        return markers.new(), True
    if kind == "policy":
        sid = markers.new()
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": sid, "Effect": draw(st.sampled_from(["Allow", "Deny", hostile_text.example() if False else "x"])),
             "Action": draw(st.sampled_from(["*", "s3:*", "bedrock:InvokeModel", "iam:PassRole"])),
             "Resource": markers.new()}]}), True
    if kind == "block":  # a nested block with a sensitive attribute inside
        inner_key = draw(st.sampled_from(["status", "subnet_ids", "cidr_blocks", "http_tokens", "endpoint_private_access"]))
        return [{inner_key: markers.new(), "other": draw(json_values)}], [{inner_key: True}]
    keys = draw(st.lists(st.sampled_from(["owner", "project", "environment", "cost-center", "justification"]),
                         unique=True, max_size=4))
    sensitive_keys = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    tags = {k: (markers.new() if k in sensitive_keys else draw(hostile_text)) for k in keys}
    return tags, {k: True for k in sensitive_keys}


@st.composite
def resource_changes(draw: Any, markers: Markers, index: int) -> dict[str, Any]:
    type_ = draw(st.sampled_from(TYPES))
    key = draw(st.one_of(st.none(), hostile_text, st.integers(min_value=0, max_value=3)))
    module = draw(st.one_of(st.just(""), st.builds(lambda k: f'module.m["{k}"]', hostile_text)))
    local = f"{type_}.r{index}" + ("" if key is None else (f"[{key}]" if isinstance(key, int) else f'["{key}"]'))
    address = f"{module}.{local}" if module else local
    after: dict[str, Any] = {}
    sensitive: dict[str, Any] = {}
    for attribute in draw(st.lists(st.sampled_from(ATTRIBUTES), unique=True, max_size=6)):
        value, tree = draw(attribute_values(markers))
        after[attribute] = value
        if tree:
            sensitive[attribute] = tree
    unknown = {a: True for a in draw(st.lists(st.sampled_from(ATTRIBUTES), unique=True, max_size=2)) if a not in after}
    rc: dict[str, Any] = {
        "address": address, "mode": "managed", "type": type_, "name": f"r{index}",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": draw(st.sampled_from([["create"], ["update"], ["no-op"], ["delete", "create"]])),
                   "before": None, "after": after, "after_unknown": unknown, "after_sensitive": sensitive},
    }
    if key is not None:
        rc["index"] = key
    if module:
        rc["module_address"] = module
    return rc


# wrong types at every level: a path into the document and the value put there
MUTATION_PATHS = [
    (), ("format_version",), ("terraform_version",), ("resource_changes",), ("resource_changes", 0),
    ("resource_changes", 0, "address"), ("resource_changes", 0, "type"), ("resource_changes", 0, "change"),
    ("resource_changes", 0, "change", "actions"), ("resource_changes", 0, "change", "after"),
    ("resource_changes", 0, "change", "after_sensitive"), ("resource_changes", 0, "change", "after_unknown"),
    ("resource_changes", 0, "index"), ("resource_changes", 0, "module_address"), ("configuration",),
    ("configuration", "root_module"), ("configuration", "root_module", "resources"),
    ("configuration", "root_module", "module_calls"), ("configuration", "provider_config"),
    ("configuration", "provider_config", "aws"), ("planned_values",), ("planned_values", "root_module"),
    ("planned_values", "root_module", "resources"), ("prior_state",), ("prior_state", "values"),
    ("variables",), ("variables", "region"), ("output_changes",), ("errored",), ("resource_drift",),
]


def _put(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node: Any = document
    for step in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(step, {})
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            return document
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value
    return document


@st.composite
def plans(draw: Any) -> dict[str, Any]:
    markers = Markers()
    changes = [draw(resource_changes(markers, i)) for i in range(draw(st.integers(min_value=0, max_value=5)))]
    document: dict[str, Any] = {"format_version": draw(st.sampled_from(["1.2", "1.0", "0.2"])),
                                "terraform_version": draw(st.one_of(st.just("1.9.8"), hostile_text)),
                                "resource_changes": changes}
    if draw(st.booleans()):
        document["configuration"] = {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                        "expressions": {"region": {"constant_value": draw(hostile_text)}}}},
            "root_module": {"resources": [{"address": rc["address"].split(".", 2)[-1] if rc.get("module_address")
                                           else rc["address"].split("[", 1)[0], "mode": "managed",
                                           "type": rc["type"], "name": rc["name"],
                                           "expressions": {"tags": {"constant_value": draw(json_values)}}}
                                          for rc in changes if not rc.get("module_address")]}}
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        path = draw(st.sampled_from(MUTATION_PATHS))
        document = _put(document, path, draw(json_values))
    return document


# -- the checks -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _validators() -> tuple[Any, Any, Any]:
    import xmlschema
    from jsonschema import Draft4Validator, Draft202012Validator

    sarif = json.loads((FIXTURES / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    report = json.loads((POLICIES / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    return (Draft4Validator(sarif), Draft202012Validator(report), xmlschema.XMLSchema(str(FIXTURES / "junit.xsd")))


def _assert_outputs(result: Any, out: Path, work: Path) -> None:
    hypothesis.event(f"exit {result.code}")
    assert result.code in (0, 1, 2), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    assert_terminal_clean(result.err)
    texts = {"stderr": result.err, "stdout": result.out}
    if result.code == 2:
        assert len(result.err.strip().splitlines()) == 1, result.err
        assert not out.exists() or not list(out.iterdir())
    else:
        names = {p.name for p in out.iterdir()}
        assert names == FILES, names
        texts.update({p.name: p.read_text(encoding="utf-8") for p in out.iterdir()})
        sarif_validator, report_validator, junit_schema = _validators()
        report_validator.validate(json.loads(texts["report.json"]))
        sarif_validator.validate(json.loads(texts["report.sarif"]))
        junit_schema.validate(str(out / "report.xml"))
        assert_markdown_tables(texts["report.md"])
        assert "\x1b" not in texts["report.html"]
    leaks = [f"{name}: {m.group(0)}" for name, text in texts.items() for m in MARKER_RE.finditer(text)]
    assert leaks == [], leaks
    assert [p.name for p in work.rglob("*.tmp")] == []


@given(document=plans())
def test_generated_plans_through_every_rule_and_format(document):
    with tempfile.TemporaryDirectory(prefix="genai-lz-prop-") as tmp:
        work = Path(tmp)
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(document), encoding="utf-8")
        out = work / "out"
        argv = ["check", str(plan_file), "--output", str(out), "--unknown", "fail"]
        for name in FORMATS:
            argv += ["--format", name]
        _assert_outputs(run_cli(*argv), out, work)


@given(data=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                      plans().map(lambda d: json.dumps(d).encode("utf-16"))))
def test_loader_raises_only_plan_errors(data):
    from checks.errors import PlanError
    from checks.plan import loads

    try:
        plan = loads(data)
    except PlanError:
        return
    for resource in plan:
        resource.masked("tags")


@given(value=json_values, sensitive=st.one_of(st.booleans(), json_values), path=st.lists(
    st.one_of(st.sampled_from(["tags", "a", "0", "owner"]), st.integers(min_value=-2, max_value=3)), max_size=4))
def test_accessor_never_raises(value, sensitive, path):
    from checks.values import UNKNOWN, Node

    node = Node(value, {}, sensitive)
    got = node.get(path)
    assert got is UNKNOWN or got is None or got is not None
    node.masked(path)
    node.is_sensitive(path)
    node.blocks(path)


@given(secrets=st.lists(st.from_regex(r"[A-Z0-9]{3,12}", fullmatch=True), min_size=1, max_size=5),
       text=hostile_text, value=json_values)
def test_scrubber_leaves_no_secret(secrets, text, value):
    from checks.values import Scrubber

    scrubber = Scrubber(secrets)
    mixed = text + secrets[0].lower() + text + secrets[-1]
    cleaned = scrubber.text(mixed)
    assert not any(s.lower() in cleaned.lower() for s in secrets)
    rendered = json.dumps(scrubber.value({"v": value, secrets[0]: [secrets[-1], mixed]}))
    assert not any(s in rendered for s in secrets)


@given(document=plans())
def test_copy_of_the_plan_is_not_mutated(document):
    """The engine reads the plan; it never writes into it (the checkov bridge and the report
    read the same document after the rules)."""
    from checks.errors import LzError
    from checks.plan import loads

    before = copy.deepcopy(document)
    try:
        loads(json.dumps(document))
    except LzError:
        pass
    assert document == before
