"""Load a ``terraform show -json`` document once and index it for the rules.

* :func:`load` reads bytes (UTF-8, with or without BOM, UTF-16/32 with BOM or without),
  parses them, validates the envelope and the shape of each resource change with
  jsonschema, and builds a :class:`Plan`.
* A :class:`Plan` holds frozen :class:`Resource` objects, indexed by type and address,
  plus the configuration tree, so that rules can follow references between resources
  (which VPC an endpoint is in, which role a policy is attached to) even when the ids are
  unknown at plan time, through module variables and outputs.
* Deleted (and forgotten) resources are kept apart and never judged; replaced ones are
  judged on their planned values. A state document (``terraform show -json`` of a state,
  ``values`` instead of ``resource_changes``) is read as a plan with no changes.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from checks.errors import PlanError
from checks.files import DEFAULT_MAX_INPUT_SIZE, InputRefused, read_regular
from checks.schema import SUPPORTED_MAJOR_VERSIONS, validate_plan
from checks.values import UNKNOWN, Node, Scrubber, sensitive_values, split_path

T = TypeVar("T")

__all__ = ["Plan", "Resource", "load", "loads", "ROOT_ADDRESS", "SUPPORTED_MAJOR_VERSIONS"]

ROOT_ADDRESS = "(root module)"
_DELETE_ACTIONS = (("delete",), ("forget",))
_INDEX_RE = re.compile(r"\[[^\]]*\]")


# --------------------------------------------------------------------------------------
# reading and validating


def _decode(data: bytes, source: str) -> bytes | str:
    """Text of JSON bytes whatever the encoding Terraform or a shell redirect gave them.

    Plain UTF-8 stays bytes (the JSON parser reads and checks it directly, faster).
    """
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            data, chosen = data[len(bom):], encoding
            break
    else:
        if len(data) >= 2 and data[0] == 0 and data[1] != 0:
            chosen = "utf-16-be"
        elif len(data) >= 2 and data[0] != 0 and data[1] == 0:
            chosen = "utf-32-le" if len(data) >= 4 and data[2] == 0 and data[3] == 0 else "utf-16-le"
        else:
            return data
    try:
        return data.decode(chosen)
    except UnicodeDecodeError as exc:
        raise PlanError(f"{source}: not valid {chosen} text ({exc.reason} at byte {exc.start})") from None


def _parse(text: bytes | str, source: str) -> Any:
    import orjson

    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        reason = "not valid UTF-8 text" if "utf-8" in str(exc).lower() else f"not JSON ({exc})"
        raise PlanError(f"{source}: {reason}; produce it with `terraform show -json PLANFILE > plan.json`") from None


def read_input(path: str | Path, max_size: int = DEFAULT_MAX_INPUT_SIZE) -> bytes:
    """The plan file's bytes (see :func:`checks.files.read_regular`); :class:`PlanError` otherwise."""
    source = str(path)
    try:
        return read_regular(path, max_size)
    except FileNotFoundError:
        raise PlanError(f"{source}: no such file; run `make plan` or `terraform show -json PLANFILE > {source}`") from None
    except InputRefused as exc:
        hint = " (raise it with --max-input-size if this really is a plan)" if exc.too_big else ""
        raise PlanError(f"{source}: {exc}{hint}") from None
    except OSError as exc:
        raise PlanError(f"{source}: cannot read: {exc.strerror or exc}") from None


def load(path: str | Path, max_size: int = DEFAULT_MAX_INPUT_SIZE, validate: bool = True) -> "Plan":
    """Read and index a plan JSON file; :class:`PlanError` says what is wrong with it."""
    return loads(read_input(path, max_size), source=str(path), validate=validate)


def loads(data: bytes | str, source: str = "<plan>", validate: bool = True) -> "Plan":
    """Parse, validate and index a plan; ``plan.timings`` records each phase in seconds.

    ``validate=False`` skips the plan schema, only for a second reader of a plan that
    another load validates (checkov's worker process: the caller stops it when invalid)."""
    clock = time.perf_counter
    started = clock()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    sha256 = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise PlanError(f"{source}: the file is empty")
    document = _parse(_decode(raw, source), source)
    parsed = clock()
    if validate:
        validate_plan(document, source)
    if document.get("errored") is True:
        raise PlanError(f"{source}: Terraform marked this plan errored (`terraform plan` failed part way), so it does "
                        "not hold everything the configuration would do; fix the errors the plan run reported and "
                        "plan again")
    validated = clock()
    plan = Plan(document, source=source, sha256=sha256, size=len(raw))
    plan.timings = {"parse": parsed - started, "validate": validated - parsed, "index": clock() - validated}
    return plan


# --------------------------------------------------------------------------------------
# resources


def _strip_indexes(address: str) -> str:
    return _INDEX_RE.sub("", address) if "[" in address else address


@dataclass(frozen=True, eq=False, slots=True)
class Resource:
    """One resource instance as it will be after apply (immutable)."""

    address: str
    type: str
    name: str
    mode: str
    module_address: str
    index: Any
    provider_name: str
    actions: tuple[str, ...]
    node: Node = field(repr=False)
    before: Any = field(default=None, repr=False)
    plan: "Plan | None" = field(default=None, repr=False, compare=False)

    # -- identity --------------------------------------------------------------------
    @property
    def config_module(self) -> str:
        """The module path without instance keys (``module.a.module.b``)."""
        return _strip_indexes(self.module_address)

    @property
    def config_address(self) -> str:
        """Address of the resource block in the configuration (no instance keys)."""
        prefix = "data." if self.mode == "data" else ""
        local = f"{prefix}{self.type}.{self.name}"
        module = self.config_module
        return f"{module}.{local}" if module else local

    @property
    def is_replaced(self) -> bool:
        return "delete" in self.actions and "create" in self.actions

    @property
    def provider(self) -> str:
        """Short provider name: ``aws`` for registry.terraform.io/hashicorp/aws."""
        return self.provider_name.rsplit("/", 1)[-1]

    # -- values ----------------------------------------------------------------------
    def get(self, path: str | Sequence[str | int], default: Any = None) -> Any:
        """Planned value at ``path``; :data:`UNKNOWN` only for values the configuration sets.

        A value that is unknown at plan time but not set in the configuration is one the
        provider computes (an id, an ARN, a default): it is reported as not set.
        """
        value = self.node.get(path, default)
        if value is UNKNOWN and not self._configured(path):
            return default
        return value

    def is_unknown(self, path: str | Sequence[str | int] = "") -> bool:
        return self.node.is_unknown(path) and self._configured(path)

    def is_sensitive(self, path: str | Sequence[str | int] = "") -> bool:
        return self.node.is_sensitive(path)

    def is_set(self, path: str | Sequence[str | int]) -> bool:
        value = self.get(path)
        return value is not UNKNOWN and value not in (None, "", [], {})

    def blocks(self, path: str | Sequence[str | int]) -> list[Node]:
        return self.node.blocks(path)

    def masked(self, path: str | Sequence[str | int] = "") -> Any:
        return self.node.masked(path)

    @property
    def values(self) -> Mapping[str, Any]:
        """The raw planned values (read only by convention: do not mutate)."""
        return self.node.value if isinstance(self.node.value, dict) else {}

    @property
    def tags(self) -> Mapping[str, Any] | Any:
        """Effective tags (``tags_all`` with provider default_tags, else ``tags``).

        :data:`UNKNOWN` when the tags are known only after apply.
        """
        for key in ("tags_all", "tags"):
            value = self.node.get(key)
            if value is UNKNOWN:
                if self._configured("tags"):
                    return UNKNOWN
                continue
            if isinstance(value, dict) and value:
                return value
        return {}

    @property
    def taggable(self) -> bool:
        return "tags" in self.values or "tags_all" in self.values

    # -- configuration and references -----------------------------------------------
    @property
    def expressions(self) -> Mapping[str, Any] | None:
        """The configuration expressions of this resource block (None if not in the plan)."""
        if self.plan is None:
            return None
        return self.plan.config_expressions(self)

    def is_configured(self, path: str | Sequence[str | int]) -> bool:
        """True when the configuration sets ``path`` (nested blocks included).

        A value unknown at plan time is the configuration's (``unknown``) when this is
        true, and a provider-computed default (read as not set) when it is false. An
        attribute set as a whole (``vpc_config = {...}``, a reference) counts for all
        below it. Dynamic blocks are missing from the plan's configuration: a block that
        is absent there but partly unknown in the planned values counts as configured.
        True when the plan carries no configuration for the resource.
        """
        node: Any = self.expressions
        if node is None:
            return True
        walked: list[str | int] = []
        for key in split_path(path):
            if isinstance(key, int):
                walked.append(key)
                continue
            items = node if isinstance(node, list) else [node]
            if any(isinstance(i, dict) and ("references" in i or "constant_value" in i) for i in items):
                return True  # the whole attribute comes from one expression
            found = [i[key] for i in items if isinstance(i, dict) and key in i]
            walked.append(key)
            if not found:
                return _is_structure(self.node.unknown, walked)
            node = found[0] if len(found) == 1 else [f for sub in found for f in (sub if isinstance(sub, list) else [sub])]
        if self.plan is not None and isinstance(node, dict) and self.plan.is_null_variable(self.config_module, node):
            return False  # `x = var.x` with var.x null: the argument is left to the provider
        return True

    _configured = is_configured

    def references(self, path: str | Sequence[str | int], type: str | Iterable[str] | None = None) -> list["Resource"]:
        """Resources the configuration expression at ``path`` refers to (through modules)."""
        if self.plan is None:
            return []
        return self.plan.references(self, path, type)

    def referenced_by(self, type: str | Iterable[str], path: str | Sequence[str | int] | None = None) -> list["Resource"]:
        """Resources of ``type`` whose expression (at ``path``, or anywhere) refers to this one."""
        if self.plan is None:
            return []
        return self.plan.referrers(self, type, path)


# --------------------------------------------------------------------------------------
# the plan


class Plan:
    """A validated plan, indexed by type and address, with references resolved on demand."""

    def __init__(self, document: Mapping[str, Any], source: str = "<plan>", sha256: str = "", size: int = 0) -> None:
        self.document = document
        self.source = source
        # provider source -> the version that ran (the lock file), when the caller knows it
        self.selected_providers: dict[str, str] = {}
        self.sha256 = sha256
        self.size = size
        self.timings: dict[str, float] = {}
        self.format_version: str = str(document.get("format_version", ""))
        self.terraform_version: str = str(document.get("terraform_version") or "unknown")
        self.resources: list[Resource] = []
        self.deleted: list[Resource] = []
        self.data_sources: list[Resource] = []
        self._by_type: dict[str, list[Resource]] = {}
        self._by_address: dict[str, Resource] = {}
        self._by_config: dict[str, list[Resource]] = {}
        self._ref_cache: dict[tuple[str, tuple[str | int, ...]], tuple[tuple[str, Any], ...]] = {}
        self._segments_cache: dict[str, tuple[tuple[str, str], ...]] = {}
        self._instance_groups: dict[tuple[int, int], dict[tuple[tuple[str, str], ...], list[Resource]]] = {}
        self._index_groups: dict[int, dict[Any, list[Resource]]] = {}
        self._keep_alive: list[Sequence[Resource]] = []  # lists keyed by id() above must outlive the cache
        self._referrer_cache: dict[tuple[str, str], dict[str, list[Resource]]] = {}
        self._memo: dict[str, Any] = {}
        self._build()

    def without(self, addresses: Iterable[str]) -> "Plan":
        """This plan without the resources at ``addresses``: the engine re-runs a plan rule
        on it when one resource made the rule raise, so the others keep their findings."""
        drop = set(addresses)
        document = dict(self.document)
        if document.get("resource_changes") is not None:
            document["resource_changes"] = [rc for rc in document["resource_changes"] if rc["address"] not in drop]
        for key in ("values", "planned_values"):
            values = document.get(key)
            if isinstance(values, dict) and isinstance(values.get("root_module"), dict):
                document[key] = {**values, "root_module": _filter_module(values["root_module"], drop)}
        plan = Plan(document, source=self.source, sha256=self.sha256, size=self.size)
        plan.selected_providers = dict(self.selected_providers)
        plan.__dict__["scrubber"] = self.scrubber  # the secrets of the whole plan
        return plan

    def memo(self, key: str, build: Callable[["Plan"], T]) -> T:
        """``build(self)`` computed once per plan and key: the one per-plan cache that rule
        helpers (lookups built for large plans) and the cost estimate share."""
        if key not in self._memo:
            self._memo[key] = build(self)
        found: T = self._memo[key]
        return found

    # -- building --------------------------------------------------------------------
    def _build(self) -> None:
        changes = self.document.get("resource_changes")
        if changes is not None:
            self.kind = "plan"
            _check_consistent(self.document, changes, self.source)
            for rc in changes:
                self._add_change(rc)
        else:
            self.kind = "state"
            values = self.document.get("values") or self.document.get("planned_values") or {}
            for res in _walk_value_modules(values.get("root_module") or {}):
                self._add(res, res.get("values"), {}, res.get("sensitive_values") or {}, ("no-op",), None)

    def _add_change(self, rc: Mapping[str, Any]) -> None:
        change = rc.get("change") or {}
        actions = tuple(change.get("actions") or ("no-op",))
        after = change.get("after")
        if actions in _DELETE_ACTIONS:
            after = change.get("before")
        self._add(
            rc,
            after,
            change.get("after_unknown") or {},
            change.get("after_sensitive") or {},
            actions,
            change.get("before"),
        )

    def _add(self, rc: Mapping[str, Any], after: Any, unknown: Any, sensitive: Any,
             actions: tuple[str, ...], before: Any) -> None:
        address = rc["address"]
        module_address = rc.get("module_address") or module_of(address)
        resource = Resource(
            address=address,
            type=rc["type"],
            name=rc.get("name", ""),
            mode=rc.get("mode", "managed"),
            module_address=module_address,
            index=rc.get("index"),
            provider_name=rc.get("provider_name", ""),
            actions=actions,
            node=Node(after if after is not None else {}, unknown, sensitive),
            before=before,
            plan=self,
        )
        if actions in _DELETE_ACTIONS:
            self.deleted.append(resource)
            return
        if resource.mode == "data":  # judged by no rule, but references may lead to it
            self.data_sources.append(resource)
            self._by_config.setdefault(resource.config_address, []).append(resource)
            return
        if address in self._by_address:  # a malformed plan repeating an address: keep the first
            return
        self.resources.append(resource)
        self._by_address[address] = resource
        self._by_type.setdefault(resource.type, []).append(resource)
        self._by_config.setdefault(resource.config_address, []).append(resource)

    # -- queries -----------------------------------------------------------------------
    def of_type(self, *types: str) -> list[Resource]:
        """Managed resources (not deleted) of the given types, in plan order."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        found: list[Resource] = []
        for t in types:
            found.extend(self._by_type.get(t, ()))
        return found

    def has_type(self, *types: str) -> bool:
        return any(self._by_type.get(t) for t in types)

    def get(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    @property
    def types(self) -> list[str]:
        return sorted(self._by_type)

    def __len__(self) -> int:
        return len(self.resources)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    @property
    def provider_versions(self) -> dict[str, str]:
        """Provider source -> the version that ran when known (``selected_providers``, from
        the lock file), else the version or constraint the configuration records."""
        config = self.document.get("configuration") or {}
        found: dict[str, str] = {}
        for key, provider in (config.get("provider_config") or {}).items():
            name = provider.get("full_name") or provider.get("name") or key
            found[name] = (self.selected_providers.get(name) or provider.get("version")
                           or provider.get("version_constraint") or "unspecified")
        return dict(sorted(found.items()))

    # -- sensitive values ------------------------------------------------------------
    @cached_property
    def scrubber(self) -> Scrubber:
        """Every value the plan marks sensitive, anywhere in it: the one scrubber the engine
        passes every finding through (see :class:`checks.values.Scrubber`)."""
        try:
            return Scrubber(_plan_secrets(self.document))
        except RecursionError:
            raise PlanError(f"{self.source}: sensitive values nested too deeply to be masked; no Terraform plan "
                            "nests that deep") from None

    # -- configuration ---------------------------------------------------------------
    @cached_property
    def _config_modules(self) -> dict[str, Mapping[str, Any]]:
        """Module path (no instance keys, '' for root) -> module configuration block."""
        modules: dict[str, Mapping[str, Any]] = {}
        root = (self.document.get("configuration") or {}).get("root_module")
        if not isinstance(root, dict):
            return modules
        stack: list[tuple[str, Mapping[str, Any]]] = [("", root)]
        while stack:
            path, module = stack.pop()
            modules[path] = module
            for name, call in (module.get("module_calls") or {}).items():
                child = call.get("module") if isinstance(call, dict) else None
                if isinstance(child, dict):
                    stack.append((f"{path}.module.{name}" if path else f"module.{name}", child))
        return modules

    @cached_property
    def _config_resources(self) -> dict[str, Mapping[str, Any]]:
        """Configuration address (no instance keys) -> resource block configuration."""
        found: dict[str, Mapping[str, Any]] = {}
        for path, module in self._config_modules.items():
            for res in module.get("resources") or ():
                local = res.get("address") or f"{res.get('type')}.{res.get('name')}"
                found[f"{path}.{local}" if path else local] = res
        return found

    def config_expressions(self, resource: Resource) -> Mapping[str, Any] | None:
        block = self._config_resources.get(resource.config_address)
        if block is None:
            return None
        return block.get("expressions") or {}

    def is_null_variable(self, module: str, expression: Any, depth: int = 0) -> bool:
        """True when ``expression`` (in configuration module ``module``) is exactly one input
        variable whose value is null: a root variable planned as null, or a module variable
        the call leaves unset with a null default (or sets to null, or to such a variable of
        its own caller). Modules pass optional arguments this way; the provider then applies
        its default, as when the argument is absent."""
        refs = expression.get("references") if isinstance(expression, dict) else None
        if "constant_value" in (expression or {}) and isinstance(expression, dict):
            return expression["constant_value"] is None
        if not isinstance(refs, list) or len(refs) != 1 or not isinstance(refs[0], str) or depth > 16:
            return False
        parts = refs[0].split(".")
        if len(parts) != 2 or parts[0] != "var":
            return False
        name = parts[1]
        if not module:
            variable = (self.document.get("variables") or {}).get(name)
            return isinstance(variable, dict) and "value" in variable and variable["value"] is None
        parent, _, call_name = module.rpartition(".module.") if ".module." in module else ("", "", module[len("module."):])
        call = (self._config_modules.get(parent) or {}).get("module_calls", {}).get(call_name) or {}
        given = (call.get("expressions") or {}).get(name)
        if given is not None:
            return self.is_null_variable(parent, given, depth + 1)
        declared = ((self._config_modules.get(module) or {}).get("variables") or {}).get(name)
        return isinstance(declared, dict) and "default" in declared and declared["default"] is None

    def module_source(self, module_address: str) -> str | None:
        """The ``source`` of the module call at ``module_address`` (instance keys allowed)."""
        path = _strip_indexes(module_address)
        if not path:
            return None
        parent, _, name = path.rpartition(".module.") if ".module." in path else ("", "", path[len("module."):])
        call = (self._config_modules.get(parent) or {}).get("module_calls", {}).get(name)
        return call.get("source") if isinstance(call, dict) else None

    @property
    def module_addresses(self) -> list[str]:
        return sorted({r.module_address for r in self.resources})

    # -- references ----------------------------------------------------------------------
    def references(self, resource: Resource, path: str | Sequence[str | int],
                   type: str | Iterable[str] | None = None) -> list[Resource]:
        """Resources the configuration expression at ``path`` of ``resource`` refers to.

        References are followed through module variables and outputs. Among the instances
        of a referenced block, those in the referrer's own module instances are chosen
        (``module.a["x"]`` refers to ``module.a["x"]``'s resources, not ``module.a["y"]``'s),
        a literal index picks one instance (``aws_subnet.s[0]``), and an index taken from
        ``each.key`` / ``count.index`` picks the instance with the referrer's own key.
        """
        keys = split_path(path)
        cache_key = (resource.config_address, keys)
        targets = self._ref_cache.get(cache_key)
        if targets is None:
            expression = _expression_at(self.config_expressions(resource), keys)
            targets = tuple(sorted(set(self._resolve_expression(resource.config_module, expression, set())),
                                   key=lambda t: (t[0], repr(t[1]))))
            self._ref_cache[cache_key] = targets
        types = {type} if isinstance(type, str) else (set(type) if type is not None else None)
        found: list[Resource] = []
        for config_address, index in targets:
            instances = self._by_config.get(config_address)
            if not instances:
                continue
            candidates = self._same_module_instances(resource, instances)
            if index is _SAME_KEY:
                keyed = self._by_index(candidates).get(resource.index) if resource.index is not None else None
                candidates = keyed or candidates
            elif index is not None:
                candidates = self._by_index(candidates).get(index, ())
            for candidate in candidates:
                if (types is None or candidate.type in types) and candidate not in found:
                    found.append(candidate)
        return found

    def _by_index(self, instances: Sequence[Resource]) -> dict[Any, list[Resource]]:
        """Instances of one block by their count/for_each key, built once per list."""
        groups = self._index_groups.get(id(instances))
        if groups is None:
            groups = {}
            for r in instances:
                groups.setdefault(r.index, []).append(r)
            self._index_groups[id(instances)] = groups
            self._keep_alive.append(instances)
        return groups

    def _module_segments(self, module_address: str) -> tuple[tuple[str, str], ...]:
        segments = self._segments_cache.get(module_address)
        if segments is None:
            segments = tuple((m.group(1), m.group(2) or "") for m in _MODULE_SEGMENT_RE.finditer(module_address))
            self._segments_cache[module_address] = segments
        return segments

    def _same_module_instances(self, referrer: Resource, instances: Sequence[Resource]) -> Sequence[Resource]:
        if len(instances) == 1:
            return instances
        mine = self._module_segments(referrer.module_address)
        theirs = self._module_segments(instances[0].module_address)
        shared = 0
        while shared < min(len(mine), len(theirs)) and mine[shared][0] == theirs[shared][0]:
            shared += 1
        if shared == 0:
            return instances
        # instances grouped by their first `shared` module instance keys, built once per block
        key = (id(instances), shared)
        groups = self._instance_groups.get(key)
        if groups is None:
            groups = {}
            for r in instances:
                groups.setdefault(self._module_segments(r.module_address)[:shared], []).append(r)
            self._instance_groups[key] = groups
        return groups.get(mine[:shared], ())

    def referrers(self, target: Resource, type: str | Iterable[str],
                  path: str | Sequence[str | int] | None = None) -> list[Resource]:
        """Resources of ``type`` that refer to ``target`` (at ``path`` or in any expression)."""
        types = [type] if isinstance(type, str) else list(type)
        found: list[Resource] = []
        path_key = ".".join(str(p) for p in split_path(path)) if path is not None else "*"
        for t in types:
            index = self._referrer_cache.get((t, path_key))
            if index is None:
                index = {}
                for res in self._by_type.get(t, ()):
                    paths = [split_path(path)] if path is not None else _expression_paths(self.config_expressions(res))
                    seen: set[str] = set()
                    for p in paths:
                        for ref in self.references(res, p):
                            if ref.address not in seen:
                                seen.add(ref.address)
                                index.setdefault(ref.address, []).append(res)
                self._referrer_cache[(t, path_key)] = index
            found.extend(index.get(target.address, ()))
        return found

    def local_stops(self, resource: Resource, path: str | Sequence[str | int]) -> list[str]:
        """The configuration modules (no instance keys, '' for root) where the reference trace
        of the expression at ``path`` ends at a ``local.`` value: plan JSON does not record
        the expressions of local values, so references cannot be followed past them."""
        expression = _expression_at(self.config_expressions(resource), split_path(path))
        stops: list[str] = []
        for _ in self._resolve_expression(resource.config_module, expression, set(), stops):
            pass
        return sorted(set(stops))

    def local_guess(self, resource: Resource, path: str | Sequence[str | int], type: str) -> list[Resource]:
        """Where the trace at ``path`` ends at local values: the resources of ``type`` in the
        modules of those locals, in the module instances the referrer shares. One resource is
        the only candidate the local can be built from (``local.vpc_id = try(aws_vpc.this[0].id,
        "")``); several mean the guess is ambiguous; none that it leads outside the plan."""
        found: list[Resource] = []
        for module in self.local_stops(resource, path):
            for instances in self._by_config.values():  # the stored lists: _same_module_instances caches by id()
                if instances and instances[0].type == type and instances[0].config_module == module:
                    found.extend(r for r in self._same_module_instances(resource, instances) if r not in found)
        return found

    def _resolve_expression(self, module: str, expression: Any, seen: set[tuple[str, str]],
                            stops: list[str] | None = None) -> Iterator[tuple[str, Any]]:
        refs = list(_references_in(expression))
        keyed = any(_bare(r.split(".", 1)[0]) in ("each", "count") for r in refs)
        targets = [t for ref in refs for t in self._resolve_reference(module, ref, seen, keyed, stops)]
        # Terraform lists `aws_s3_bucket.b["x"].id`, `aws_s3_bucket.b["x"]` and the bare
        # `aws_s3_bucket.b`: the bare form is the same reference, not every instance.
        indexed = {address for address, index in targets if index is not None}
        yield from (t for t in targets if t[1] is not None or t[0] not in indexed)

    def _resolve_reference(self, module: str, ref: str, seen: set[tuple[str, str]],
                           keyed: bool = False, stops: list[str] | None = None) -> Iterator[tuple[str, Any]]:
        """Yield (configuration address, instance index) pairs a reference leads to.

        The index is a literal key, ``_SAME_KEY`` (the referrer's own key) or None (all).
        """
        if (module, ref) in seen:
            return
        seen.add((module, ref))
        parts = _split_reference(ref)
        first = _bare(parts[0])
        if first == "local" and stops is not None:
            stops.append(module)
        if first in ("local", "each", "count", "path", "self", "terraform"):
            return
        if first == "var" and len(parts) >= 2:
            if not module:
                return
            parent, _, call_name = module.rpartition(".module.") if ".module." in module else ("", "", module[len("module."):])
            call = (self._config_modules.get(parent) or {}).get("module_calls", {}).get(call_name) or {}
            expression = (call.get("expressions") or {}).get(_bare(parts[1]))
            yield from self._resolve_expression(parent, expression, seen, stops)
            return
        if first == "module" and len(parts) >= 3:
            child_name = _bare(parts[1])
            child = f"{module}.module.{child_name}" if module else f"module.{child_name}"
            outputs = (self._config_modules.get(child) or {}).get("outputs") or {}
            output = outputs.get(_bare(parts[2])) or {}
            yield from self._resolve_expression(child, output.get("expression"), seen, stops)
            return
        if first == "data" and len(parts) >= 3:
            name_part = parts[2]
            local = f"data.{parts[1]}.{_bare(name_part)}"
        elif len(parts) >= 2:
            name_part = parts[1]
            local = f"{first}.{_bare(name_part)}"
        else:
            return
        index = _literal_index(name_part)
        if index is None and keyed:
            index = _SAME_KEY
        yield (f"{module}.{local}" if module else local), index


_SAME_KEY: Any = type("_SameKey", (), {"__repr__": lambda self: "<same key>"})()
_MODULE_SEGMENT_RE = re.compile(r'module\.([^.\[]+)(\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?')


def _literal_index(part: str) -> Any:
    """``s[0]`` -> 0, ``s["a"]`` -> "a", ``s[count.index]`` / ``s`` -> None."""
    if "[" not in part or not part.endswith("]"):
        return None
    inner = part[part.index("[") + 1:-1]
    if inner.isdigit():
        return int(inner)
    if len(inner) >= 2 and inner[0] == inner[-1] == '"':
        return inner[1:-1].replace('\\"', '"')
    return None


def _is_structure(unknown: Any, path: Sequence[str | int]) -> bool:
    """True when after_unknown at ``path`` is a block structure rather than ``true``: the
    mark of a dynamic block with unknown content, not of a provider-computed value."""
    node = unknown
    for key in path:
        if isinstance(node, list):
            node = node[key] if isinstance(key, int) and key < len(node) else (node[0] if len(node) == 1 else None)
            if isinstance(key, int):
                continue
        if isinstance(node, dict):
            node = node.get(key)
        else:
            return False
    return isinstance(node, (dict, list)) and bool(node)


def _bare(part: str) -> str:
    """``cfg[count.index]`` -> ``cfg``."""
    return part.split("[", 1)[0]


def _split_reference(ref: str) -> list[str]:
    """``aws_x.cfg[count.index].name`` -> ``["aws_x", "cfg[count.index]", "name"]``: dots
    inside index brackets (or quoted keys) do not split."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(ref):
        if ch == '"' and (i == 0 or ref[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and ch == "[":
            depth += 1
        elif not quoted and ch == "]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0 and not quoted:
            parts.append(ref[start:i])
            start = i + 1
    parts.append(ref[start:])
    return parts


def module_of(address: str) -> str:
    """``module.a["x"].aws_vpc.this`` -> ``module.a["x"]`` (for plans without module_address)."""
    parts: list[str] = []
    rest = address
    while rest.startswith("module."):
        m = re.match(r'module\.[^.\[]+(\[(?:"[^"]*"|[^\]]*)\])?\.', rest)
        if not m:
            break
        parts.append(m.group(0)[:-1])
        rest = rest[m.end():]
    return ".".join(parts)


# The old private name, still imported by checks/integrations/checkov_bridge.py (reworked on
# another branch); use module_of. Remove once the bridge imports module_of.
_module_of = module_of


def _check_consistent(document: Mapping[str, Any], changes: Sequence[Mapping[str, Any]], source: str) -> None:
    """Refuse a plan whose parts disagree, so that it is never judged on less than it holds.

    An address listed twice in ``resource_changes``, or a managed resource in
    ``planned_values`` that ``resource_changes`` does not list (an empty
    ``resource_changes`` beside planned resources is the extreme case), is a plan edited
    by hand or cut short: :class:`PlanError` (exit 2), never a pass.
    """
    seen: set[str] = set()
    for rc in changes:
        address = rc["address"]
        if address in seen:
            raise PlanError(f"{source}: resource_changes lists {address!r} more than once; a plan Terraform writes "
                            "never does: produce it again with `terraform show -json PLANFILE`")
        seen.add(address)
    planned = (document.get("planned_values") or {}).get("root_module")
    if not planned:
        return
    missing = [res["address"] for res in _walk_value_modules(planned)
               if res.get("mode", "managed") == "managed" and res["address"] not in seen]
    if missing:
        raise PlanError(f"{source}: planned_values holds {len(missing)} resource(s) that resource_changes does not "
                        f"list (first: {missing[0]!r}); the plan's parts disagree and it cannot be judged: produce it "
                        "again with `terraform show -json PLANFILE`")


def _plan_secrets(document: Mapping[str, Any]) -> Iterator[Any]:
    """Every value marked sensitive anywhere in a plan or state document: planned and prior
    values of each change (drift too), the value modules (planned, prior, state), sensitive
    outputs and the values of variables the configuration declares sensitive."""
    for key in ("resource_changes", "resource_drift", "output_changes"):
        items = document.get(key) or ()
        changes = items.values() if isinstance(items, dict) else items
        for item in changes:
            if not isinstance(item, dict):
                continue
            change = item.get("change") if key != "output_changes" else item
            if not isinstance(change, dict):
                continue
            for side in ("after", "before"):
                tree = change.get(f"{side}_sensitive")
                if tree:
                    yield from sensitive_values(change.get(side), tree)
    prior = document.get("prior_state") or {}
    for values in (document.get("planned_values"), document.get("values"), prior.get("values")):
        if not isinstance(values, dict):
            continue
        for res in _walk_value_modules(values.get("root_module") or {}):
            tree = res.get("sensitive_values")
            if tree:
                yield from sensitive_values(res.get("values"), tree)
        for output in (values.get("outputs") or {}).values():
            if isinstance(output, dict) and output.get("sensitive") is True:
                yield from sensitive_values(output.get("value"), True)
    declared = ((document.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    given = document.get("variables") or {}
    for name, spec in declared.items():
        if isinstance(spec, dict) and spec.get("sensitive") is True and isinstance(given.get(name), dict):
            yield from sensitive_values(given[name].get("value"), True)


def _filter_module(module: Mapping[str, Any], drop: set[str]) -> dict[str, Any]:
    return {**module,
            "resources": [r for r in module.get("resources") or () if r.get("address") not in drop],
            "child_modules": [_filter_module(c, drop) for c in module.get("child_modules") or ()]}


def _walk_value_modules(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    stack = [module]
    while stack:
        current = stack.pop()
        yield from current.get("resources") or ()
        stack.extend(reversed(current.get("child_modules") or []))


def _expression_at(expressions: Mapping[str, Any] | None, keys: Sequence[str | int]) -> Any:
    """The configuration expression(s) at ``keys``; nested blocks (lists of blocks) at any
    depth are searched in every block instance (a list of the matches is returned)."""
    nodes: list[Any] = [expressions]
    for key in keys:
        step: list[Any] = []
        for node in nodes:
            if isinstance(key, int):
                if isinstance(node, list) and key < len(node):
                    step.append(node[key])
                continue
            for item in (node if isinstance(node, list) else [node]):
                if isinstance(item, dict) and key in item:
                    step.append(item[key])
        nodes = step
        if not nodes:
            return None
    return nodes[0] if len(nodes) == 1 else nodes


def _references_in(expression: Any) -> Iterator[str]:
    if isinstance(expression, dict):
        refs = expression.get("references")
        if isinstance(refs, list):
            yield from (r for r in refs if isinstance(r, str))
            return
        if "constant_value" in expression:
            return
        for value in expression.values():
            if isinstance(value, (dict, list)):
                yield from _references_in(value)
    elif isinstance(expression, list):
        for item in expression:
            yield from _references_in(item)


def _expression_paths(expressions: Mapping[str, Any] | None) -> list[tuple[str, ...]]:
    return [(key,) for key in (expressions or {})]
