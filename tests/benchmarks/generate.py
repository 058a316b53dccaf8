"""Deterministic benchmark plans, built by replication (``terraform plan`` of 10,000
resources takes minutes and gigabytes; replicating a real plan takes a second).

Two shapes:

``landing-zone``
    The landing zone's own dev plan (``build/workload-dev.plan.json``), its whole root
    module wrapped ``count`` times in ``module "replica"``: every resource
    ``module.network.aws_vpc.this`` becomes ``module.replica[i].module.network.aws_vpc.this``,
    its ``module_address`` ``module.replica[i].module.network``; the configuration gets one
    module call ``replica`` (``count = N``, each root variable passed as ``var.<name>``)
    whose module is the original root module, so every configuration reference of a
    replicated resource resolves to its own replica's resources. ``planned_values``,
    ``prior_state``, ``relevant_attributes`` and ``checks`` are replicated the same way;
    ``after``/``after_unknown``/``after_sensitive`` are kept as they are. Each replica
    therefore gets the verdicts of the seed, and N replicas give N times the
    per-resource findings of one.

``iam-s3``
    Many small IAM roles/policies and S3 buckets (``shapes/iam_s3/main.tf``): a flat root
    module of ``for_each`` resources (7 per key). Its template plan is a real Terraform
    plan made with one key, ``n000000``; more keys are made by rewriting that token in the
    resource changes, planned values and prior state, and ``var.names`` lists every key.

Plans are cached under ``build/bench/`` by shape, size, generator version and the seed's
sha256: the same inputs always give the same bytes.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import math
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import orjson

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO / "build" / "bench"
DEV_PLAN = REPO / "build" / "workload-dev.plan.json"
IAM_S3_TEMPLATE = Path(__file__).resolve().parent / "shapes" / "iam_s3" / "template.plan.json"
SIZES = (100, 1_000, 5_000, 10_000, 50_000)
SHAPES = ("landing-zone", "iam-s3")
GENERATOR_VERSION = "2"
REPLICA_CALL = "replica"
IAM_S3_TOKEN = "n000000"


class SeedMissing(RuntimeError):
    """The seed plan is not there (run `make plan ENV=dev`)."""


# --------------------------------------------------------------------------------------
# landing zone: module replicas


def _prefixed(prefix: str, address: str) -> str:
    return f"{prefix}.{address}" if address else prefix


def _display(module: str, rest: str) -> str:
    return f"{module}.{rest}" if rest else module


def _readdress_value_module(module: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """A planned_values / prior_state module re-rooted under module instance ``prefix``."""
    out: dict[str, Any] = {"address": _prefixed(prefix, module.get("address", ""))}
    resources = [{**r, "address": _prefixed(prefix, r["address"])} for r in module.get("resources") or ()]
    if resources:
        out["resources"] = resources
    children = [_readdress_value_module(c, prefix) for c in module.get("child_modules") or ()]
    if children:
        out["child_modules"] = children
    return out


def _replicated_checks(checks: list[Mapping[str, Any]], prefixes: list[str]) -> list[dict[str, Any]]:
    """Check results (variable validations, ...): the configuration address moves under
    ``module.replica``, and every instance exists once per replica."""
    out = []
    for check in checks:
        address = dict(check["address"])
        module = address.get("module", "")
        rest = address["to_display"][len(module) + 1:] if module else address["to_display"]
        address["module"] = _prefixed(f"module.{REPLICA_CALL}", module)
        address["to_display"] = _display(address["module"], rest)
        instances = []
        for prefix in prefixes:
            for instance in check.get("instances") or ():
                inst_address = dict(instance["address"])
                inst_module = inst_address.get("module", "")
                inst_rest = (inst_address["to_display"][len(inst_module) + 1:] if inst_module
                             else inst_address["to_display"])
                inst_address["module"] = _prefixed(prefix, inst_module)
                inst_address["to_display"] = _display(inst_address["module"], inst_rest)
                instances.append({**instance, "address": inst_address})
        out.append({**check, "address": address, **({"instances": instances} if "instances" in check else {})})
    return out


def name_token(seed: Mapping[str, Any]) -> str | None:
    """The naming prefix the seed's resources share (``<name>-<environment>``, e.g.
    ``genai-dev``), from the root variables; None when the seed has no such variables."""
    variables = seed.get("variables") or {}
    name = (variables.get("name") or {}).get("value")
    environment = (variables.get("environment") or {}).get("value")
    if isinstance(name, str) and isinstance(environment, str) and name and environment:
        return f"{name}-{environment}"
    return None


def _renamer(token: str | None, replica: int) -> Callable[[Any], Any]:
    """Planned values of one replica: ``genai-dev`` -> ``genai-dev-r<i>`` in every string,
    so that replicas do not share bucket, role or endpoint names (rules that match
    resources by name then match within their own replica, as in a real plan)."""
    if not token:  # still a copy: the caller re-addresses what it gets
        return lambda value: orjson.loads(orjson.dumps(value))
    old, new = token.encode(), f"{token}-r{replica}".encode()
    return lambda value: orjson.loads(orjson.dumps(value).replace(old, new))


def replicate_modules(seed: Mapping[str, Any], replicas: int) -> dict[str, Any]:
    """The seed plan with its root module instantiated ``replicas`` times (see module doc)."""
    if replicas < 1:
        raise ValueError("replicas must be >= 1")
    prefixes = [f"module.{REPLICA_CALL}[{i}]" for i in range(replicas)]
    token = name_token(seed)
    renamers = [_renamer(token, i) for i in range(replicas)]
    doc: dict[str, Any] = {k: v for k, v in seed.items()}

    changes = []
    for prefix, rename in zip(prefixes, renamers):
        for rc in rename(seed.get("resource_changes") or []):
            rc["address"] = _prefixed(prefix, rc["address"])
            rc["module_address"] = _prefixed(prefix, rc.get("module_address", ""))
            if "previous_address" in rc:
                rc["previous_address"] = _prefixed(prefix, rc["previous_address"])
            changes.append(rc)
    doc["resource_changes"] = changes

    def replicated_root(root: Mapping[str, Any]) -> dict[str, Any]:
        return {"child_modules": [_readdress_value_module(rename(root), p) for p, rename in zip(prefixes, renamers)]}

    for key in ("planned_values",):
        if key in seed:
            doc[key] = {**seed[key], "outputs": {},
                        "root_module": replicated_root(seed[key].get("root_module") or {})}
    if isinstance(seed.get("prior_state"), dict) and "values" in seed["prior_state"]:
        values = seed["prior_state"]["values"]
        doc["prior_state"] = {**seed["prior_state"], "values": {
            **values, "outputs": {},
            "root_module": replicated_root(values.get("root_module") or {})}}
    if "relevant_attributes" in seed:
        doc["relevant_attributes"] = [{**a, "resource": _prefixed(p, a["resource"])}
                                      for p in prefixes for a in seed["relevant_attributes"]]
    if "checks" in seed:
        doc["checks"] = _replicated_checks(seed["checks"], prefixes)
    if "output_changes" in seed:
        doc["output_changes"] = {}  # the root outputs now live inside module.replica

    config = dict(seed.get("configuration") or {})
    root = config.get("root_module") or {}
    variables = root.get("variables") or {}
    call = {
        "source": f"./{REPLICA_CALL}",
        "count_expression": {"constant_value": replicas},
        "expressions": {name: {"references": [f"var.{name}"]} for name in variables},
        "module": root,
    }
    new_root: dict[str, Any] = {"module_calls": {REPLICA_CALL: call}}
    if variables:
        new_root["variables"] = variables
    config["root_module"] = new_root
    doc["configuration"] = config
    return doc


# --------------------------------------------------------------------------------------
# iam-s3: for_each keys


def _keys(count: int) -> list[str]:
    return [f"n{i:06d}" for i in range(count)]


def replicate_keys(template: Mapping[str, Any], keys: list[str]) -> dict[str, Any]:
    """The template plan with every instance keyed ``IAM_S3_TOKEN`` repeated once per key."""
    token = IAM_S3_TOKEN.encode()

    def expand(items: Iterable[Mapping[str, Any]], is_keyed: Callable[[Mapping[str, Any]], bool]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if not is_keyed(item):
                out.append(item)
                continue
            raw = orjson.dumps(item)
            out.extend(orjson.loads(raw.replace(token, key.encode())) for key in keys)
        return out

    def keyed(item: Mapping[str, Any]) -> bool:
        return item.get("index") == IAM_S3_TOKEN

    doc = copy.deepcopy(dict(template))
    doc["resource_changes"] = expand(template.get("resource_changes") or (), keyed)
    for section in (doc.get("planned_values"), (doc.get("prior_state") or {}).get("values")):
        if section and section.get("root_module"):
            section["root_module"]["resources"] = expand(section["root_module"].get("resources") or (), keyed)
    if "relevant_attributes" in doc:
        doc["relevant_attributes"] = expand(template["relevant_attributes"],
                                            lambda a: f'["{IAM_S3_TOKEN}"]' in a.get("resource", ""))
    if "names" in (doc.get("variables") or {}):
        doc["variables"]["names"] = {"value": keys}
    return doc


# --------------------------------------------------------------------------------------
# sizes, caching


def seed_plan(shape: str, seed: Path | None = None) -> Path:
    path = seed or (DEV_PLAN if shape == "landing-zone" else IAM_S3_TEMPLATE)
    if not path.is_file():
        raise SeedMissing(f"{path}: not there; run `make plan ENV=dev` first (or pass --seed PLAN)")
    return path


def seed_info(document: Mapping[str, Any], shape: str) -> tuple[int, int]:
    """(managed resources per unit, managed resources outside the units) of a seed."""
    managed = [rc for rc in document.get("resource_changes") or () if rc.get("mode", "managed") == "managed"]
    if shape == "landing-zone":
        return len(managed), 0
    keyed = sum(1 for rc in managed if rc.get("index") == IAM_S3_TOKEN)
    return keyed, len(managed) - keyed


def units_for(size: int, per_unit: int, fixed: int = 0) -> int:
    """Replicas (or keys) that give at least ``size`` managed resources (one at least)."""
    return max(1, math.ceil((size - fixed) / per_unit))


def build(shape: str, size: int, seed: Path | None = None, out_dir: Path = BENCH_DIR,
          units: int | None = None) -> Path:
    """The cached plan of ``shape`` with at least ``size`` resources (or exactly ``units``
    replicas/keys); generated when missing."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r} (one of {', '.join(SHAPES)})")
    source = seed_plan(shape, seed)
    raw = source.read_bytes()
    digest = hashlib.sha256(raw + GENERATOR_VERSION.encode()).hexdigest()[:12]
    document = orjson.loads(raw)
    per_unit, fixed = seed_info(document, shape)
    count = units if units is not None else units_for(size, per_unit, fixed)
    label = f"u{count}" if units is not None else str(size)
    target = out_dir / f"{shape}-{label}-{digest}.plan.json"
    if target.is_file():
        return target
    if shape == "landing-zone":
        generated = replicate_modules(document, count)
    else:
        generated = replicate_keys(document, _keys(count))
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_bytes(orjson.dumps(generated))
    partial.replace(target)
    for stale in out_dir.glob(f"{shape}-{label}-*.plan.json"):  # made from an older seed / generator
        if stale != target:
            stale.unlink()
    return target


def resource_count(path: Path) -> int:
    document = orjson.loads(path.read_bytes())
    return sum(1 for rc in document.get("resource_changes") or () if rc.get("mode", "managed") == "managed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=SHAPES, default="landing-zone")
    parser.add_argument("--size", type=int, action="append", help=f"resources (default: {', '.join(map(str, SIZES))})")
    parser.add_argument("--seed", type=Path, help="the plan to replicate (default: build/workload-dev.plan.json)")
    parser.add_argument("--out-dir", type=Path, default=BENCH_DIR, help="the cache (default: build/bench)")
    args = parser.parse_args(argv)
    try:
        for size in args.size or SIZES:
            path = build(args.shape, size, args.seed, args.out_dir)
            print(f"{args.shape:13} {size:>7} -> {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    except SeedMissing as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
