"""checkov beside the lens rules: its AWS checks, in-process, as findings of our own model.

`genai-lz check PLAN.json --checkov` calls :func:`run`: checkov's ``terraform_plan`` Runner
judges the same plan (the bytes whose sha256 the report records), offline, and every
checkov record becomes a :class:`~checks.model.Finding` with ``source = "checkov"``:

* rule id = the checkov id, title = its name, the resource address, the evaluated keys as
  the evidence path (their planned values, masked when sensitive, as the evidence value);
* pillar, lens best practices and severity come from ``policies/checkov.yaml``; a check
  that is not mapped is still reported, under the pillar ``other``, at the severity
  ``params.yaml`` sets in ``checkov.default_severity``;
* checkov ignores ``after_unknown``: a pass or a fail that rests on a value Terraform
  knows only after apply becomes ``unknown`` (unless the mapping says that the check only
  asks for the attribute to be set and the configuration refers to a resource of the
  plan: then it passes ``via`` that resource, as native rules do);
* a mapped check that names ``superseded_by: LZ-...`` is dropped when that native rule is
  loaded and judges the resource's type: the report keeps one finding, not two.

Fail closed: asked for, checkov either runs on the whole plan or :func:`run` raises
:class:`~checks.errors.ToolError` (exit 2) naming checkov and the cause. checkov is
imported here only, inside :func:`run` and :func:`catalog`, never by ``genai-lz check``
without ``--checkov``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from checks.errors import PolicyError, ToolError
from checks.forked import Forked, keep_until_exit, post
from checks.model import OTHER_PILLAR, PILLAR_TITLES, SEVERITIES, Finding, RuleMeta, Status
from checks.plan import Plan, Resource, _module_of
from checks.registry import FRAMEWORK_FILE, LENS_FILE, RULE_ID_RE, load_framework, load_lens
from checks.schema import POLICIES_DIR, load_yaml

__all__ = ["MAPPING_FILE", "OTHER_PILLAR", "CheckMapping", "CheckovMapping", "load_mapping", "run", "catalog",
           "checkov_version", "registry_checks", "reference_records", "LAST_TIMINGS",
           "Scan", "scan", "start", "Mapper", "findings_of"]

MAPPING_FILE = POLICIES_DIR / "checkov.yaml"
OTHER_TITLE = PILLAR_TITLES[OTHER_PILLAR]
SOURCE = "checkov"
PIN = "checkov==3.3.30"
REPO_URL = "https://github.com/bridgecrewio/checkov"
DEFAULT_SEVERITY = "low"

# Set while checkov is imported and runs. In-process, the plan Runner calls no platform API;
# these make sure nothing it reads from the environment turns one on, or changes how it
# reads the plan (EVAL_TF_PLAN_AFTER_UNKNOWN fills unknown values with a placeholder).
_ENV_SET = {
    "BC_SKIP_MAPPING": "TRUE",               # no download of the check-id mapping
    "CKV_GITHUB_CONFIG_FETCH_DATA": "False",  # no GitHub / GitLab configuration fetch
    "CKV_GITLAB_CONFIG_FETCH_DATA": "False",
}
_ENV_UNSET = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL", "EVAL_TF_PLAN_AFTER_UNKNOWN")

#: seconds of the parts of the last :func:`run` (import, adapt, graph build, resource checks,
#: graph checks, mapping), for --profile and the benchmarks
LAST_TIMINGS: dict[str, float] = {}

_STATUS = {"PASSED": Status.PASS, "FAILED": Status.FAIL, "SKIPPED": Status.NOT_APPLICABLE}
_STATUS_RANK = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2, Status.NOT_APPLICABLE: 3}
_PSEUDO_KEYS = frozenset({"resource_type"})


# --------------------------------------------------------------------------------------
# the mapping (policies/checkov.yaml)


@dataclass(frozen=True)
class CheckMapping:
    id: str
    resource_types: tuple[str, ...]
    pillar: str
    lens: tuple[str, ...]
    severity: str
    superseded_by: str | None = None
    reference_satisfies: bool = False
    remediation: str = ""
    reads: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()  # Well-Architected Framework ids where no lens best practice fits


@dataclass(frozen=True)
class CheckovMapping:
    """policies/checkov.yaml as read: the checks by id, the version it was verified on."""

    file: str
    sha256: str
    checkov_version: str
    checks: Mapping[str, CheckMapping]


@lru_cache(maxsize=None)
def load_mapping(path: str | Path | None = None) -> CheckovMapping:
    """Read and validate the mapping; a lens or framework id missing from its catalog, or one of
    another pillar than the check's, is a PolicyError."""
    file = Path(path) if path else MAPPING_FILE
    document = load_yaml(file, "checkov.schema.json")
    lens = load_lens()
    framework = load_framework()
    checks: dict[str, CheckMapping] = {}
    for check_id, entry in document["checks"].items():
        for key, catalog, name in (("lens", lens.best_practices, f"the lens catalog {LENS_FILE.name} ({lens.version})"),
                                   ("framework", framework.best_practices,
                                    f"the Well-Architected Framework catalog {FRAMEWORK_FILE.name}")):
            for bp in entry.get(key, ()):
                if bp not in catalog:
                    raise PolicyError(f"{file}: at checks.{check_id}.{key}: {bp} is not in {name}: use an id "
                                      f"listed there (or add the best practice to it)")
                if catalog[bp]["pillar"] != entry["pillar"]:
                    raise PolicyError(f"{file}: at checks.{check_id}.{key}: {bp} is a {catalog[bp]['pillar']} best "
                                      f"practice; the check is mapped to pillar {entry['pillar']}: align the pillar")
        superseded_by = entry.get("superseded_by")
        if superseded_by is not None and not RULE_ID_RE.match(superseded_by):  # pragma: no cover - schema
            raise PolicyError(f"{file}: at checks.{check_id}.superseded_by: {superseded_by!r} is not a rule id")
        checks[check_id] = CheckMapping(
            id=check_id,
            resource_types=tuple(entry["resource_types"]),
            pillar=entry["pillar"],
            lens=tuple(entry.get("lens", ())),
            framework=tuple(entry.get("framework", ())),
            severity=entry["severity"],
            superseded_by=superseded_by,
            reference_satisfies=bool(entry.get("reference_satisfies", False)),
            remediation=entry.get("remediation", ""),
            reads=tuple(entry.get("reads", ())),
        )
    return CheckovMapping(file=str(file), sha256=hashlib.sha256(file.read_bytes()).hexdigest(),
                    checkov_version=str(document["checkov_version"]), checks=checks)


# --------------------------------------------------------------------------------------
# checkov itself


def _checkov_env() -> contextlib.AbstractContextManager[None]:
    from checks.environ import overridden

    return overridden({**_ENV_SET, **{key: None for key in _ENV_UNSET}})


def _cannot_import(exc: Exception) -> ToolError:
    return ToolError(f"checkov cannot be imported ({type(exc).__name__}: {exc}); "
                     f"install the pinned version: pip install '{PIN}'")


def _import() -> tuple[Any, Any, str]:
    """(Runner, RunnerFilter, version) with every check of checkov loaded, or ToolError
    naming checkov and why it cannot load."""
    try:
        with _checkov_env():
            from checks.integrations import checkov_fast

            checkov_fast.load_everything()  # the package inits the fast path deferred, if it did
            from checkov.common.bridgecrew.platform_integration import bc_integration
            from checkov.runner_filter import RunnerFilter
            from checkov.terraform.plan_runner import Runner
            from checkov.version import version
    except Exception as exc:  # ImportError, or anything checkov raises while importing
        raise _cannot_import(exc) from None
    bc_integration.skip_download = True  # belt and braces: no platform download in-process
    return Runner, RunnerFilter, str(version)


@contextlib.contextmanager
def _importing() -> Iterator[None]:
    """While inside: checkov is imported as the fast path imports it (its environment, the
    packages it never uses deferred); anything raised becomes a ToolError naming checkov."""
    try:
        from checks.integrations.checkov_lazy import deferred_packages, lazy_hcl_parser

        with _checkov_env(), deferred_packages(), lazy_hcl_parser():
            yield
    except Exception as exc:  # ImportError, or anything checkov raises while importing
        raise _cannot_import(exc) from None


def _preload() -> None:
    """Import the parts of checkov every plan's scan needs (the checks follow the plan's
    resource types: :func:`_import_for`), or ToolError."""
    with _importing():
        from checks.integrations import checkov_fast

        checkov_fast.preload()


def _import_for(document: Mapping[str, Any], checks: bool = True) -> tuple[Any, str, dict[str, Any] | None]:
    """(RunnerFilter, version, index) with the checks ``document`` needs loaded (only those,
    when checkov is not loaded yet: :func:`checks.integrations.checkov_fast.prepare`; not yet
    with ``checks=False``: :func:`_load_checks`), or ToolError."""
    with _importing():
        from checkov.runner_filter import RunnerFilter
        from checkov.version import version

        from checks.integrations import checkov_fast

        index = checkov_fast.prepare(document, checks)
    return RunnerFilter, str(version), index


def _load_checks(document: Mapping[str, Any], index: dict[str, Any] | None) -> None:
    """Import the check modules for the resource types of ``document``, or ToolError."""
    with _importing():
        from checks.integrations import checkov_fast

        checkov_fast.load_checks(index, document)


def checkov_version() -> str:
    """The installed checkov version (imports checkov)."""
    return _import()[2]


# A specific ARN (never "*") standing in for the ARN of a resource planned in this
# configuration, which AWS assigns only at creation.
PLANNED_ARN = "arn:aws:genai-lz:::known-after-apply"


@dataclass(frozen=True)
class Completion:
    """An IAM policy known only after apply that its aws_iam_policy_document decides."""

    path: str
    text: str
    via: str


def _document_json(doc: Any) -> str | None:
    """The policy JSON of a document read from its data source; None when anything other
    than ARNs of planned resources is unknown."""
    from checks import rulekit
    from checks.values import UNKNOWN

    statements = []
    for i, statement in enumerate(doc.statements):
        clean: dict[str, Any] = {}
        for key, value in statement.items():
            if key == rulekit.BLOCK_INDEX:
                continue
            if value is UNKNOWN or rulekit._has_unknown(value):
                if value is UNKNOWN:
                    return None
                if key in ("Resource", "NotResource") and doc.resolved(i, key):
                    value = [PLANNED_ARN if v is UNKNOWN else v for v in value]
                elif key == "Condition" and doc.references(statement, "condition"):
                    value = {test: {var: [PLANNED_ARN if v is UNKNOWN else v for v in rulekit.as_list(vals)]
                                    for var, vals in variables.items()} for test, variables in value.items()}
                else:
                    return None
            clean[key] = value
        statements.append(clean)
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def _completions(plan: Plan) -> dict[str, Completion]:
    """Resource address -> the policy checkov should judge in place of an unknown one.

    checkov treats a value unknown at plan time as absent; the native rules read such a
    policy from the aws_iam_policy_document it comes from. Handing checkov that document
    (with planned resources' ARNs as specific placeholder ARNs) lets its IAM checks decide
    instead of reporting unknown.
    """
    from checks import rulekit
    from checks.values import UNKNOWN

    found: dict[str, Completion] = {}
    for resource in plan.of_type(*rulekit.IAM_POLICY_PATHS):
        if resource.get("policy") is not UNKNOWN:
            continue
        doc = rulekit.policy_document(resource, "policy")
        text = _document_json(doc) if doc.known and doc.via else None
        if text is not None:
            found[resource.address] = Completion("policy", text, str(doc.via))
    return found


def _completed_document(plan: Plan, completions: Mapping[str, Completion]) -> dict[str, Any]:
    """A copy of the plan document with the completed policies filled in (only the
    touched resource entries are copied)."""
    document = dict(plan.document)
    changes = []
    for rc in document.get("resource_changes") or ():
        done = completions.get(rc.get("address"))
        if done is not None:
            change = dict(rc["change"])
            change["after"] = {**(change.get("after") or {}), done.path: done.text}
            unknown = change.get("after_unknown")
            if isinstance(unknown, dict):
                change["after_unknown"] = {k: v for k, v in unknown.items() if k != done.path}
            rc = {**rc, "change": change}
        changes.append(rc)
    document["resource_changes"] = changes

    def patch(module: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(module)
        out["resources"] = [
            {**r, "values": {**(r.get("values") or {}), completions[r["address"]].path: completions[r["address"]].text}}
            if r.get("address") in completions else r
            for r in module.get("resources") or ()
        ]
        if module.get("child_modules"):
            out["child_modules"] = [patch(child) for child in module["child_modules"]]
        return out

    planned = document.get("planned_values")
    if isinstance(planned, dict) and isinstance(planned.get("root_module"), dict):
        document["planned_values"] = {**planned, "root_module": patch(planned["root_module"])}
    return document


@contextlib.contextmanager
def _plan_file(plan: Plan, completions: Mapping[str, Completion] | None = None) -> Iterator[str]:
    """A path to the exact plan bytes the report's sha256 names, as UTF-8 JSON checkov reads.

    The plan's own file when it is plain UTF-8 and unchanged since it was loaded; otherwise
    (a BOM, UTF-16, a file changed or gone, a plan loaded from memory) the parsed document.
    """
    source = Path(plan.source)
    try:
        data = source.read_bytes() if source.is_file() else None
    except OSError:
        data = None
    if not completions and data is not None and hashlib.sha256(data).hexdigest() == plan.sha256 \
            and data.lstrip()[:1] == b"{":
        yield str(source.resolve())
        return
    document = _completed_document(plan, completions) if completions else plan.document
    with tempfile.TemporaryDirectory(prefix="genai-lz-checkov-") as tmp:
        path = Path(tmp) / f"{source.stem or 'plan'}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        yield str(path)


@dataclass(frozen=True)
class CheckError:
    check_id: str
    address: str | None  # the resource the check raised on (None when it cannot be told)
    error: str


class _CheckErrors(logging.Handler):
    """While checkov runs, the root logger's only handler: it keeps checkov's "Failed to run
    check X on FILE:TYPE.NAME" records (with the exception and the resource address read
    from the failing frame) and drops every other record, so nothing reaches stderr."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.errors: list[CheckError] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if not message.startswith("Failed to run check "):
            return
        check_id = message.split()[4] if len(message.split()) > 4 else "checkov"
        exc = record.exc_info[1] if record.exc_info else None
        address = None
        tb = record.exc_info[2] if record.exc_info else None
        while tb is not None and address is None:  # check.run(entity_configuration=...) holds the address
            config = tb.tb_frame.f_locals.get("entity_configuration")
            if isinstance(config, Mapping) and isinstance(config.get("__address__"), str):
                address = config["__address__"]
            tb = tb.tb_next
        error = f"{type(exc).__name__}: {exc}" if exc is not None else message
        self.errors.append(CheckError(check_id, address, error))


@contextlib.contextmanager
def _captured_check_errors() -> Iterator[_CheckErrors]:
    root = logging.getLogger()
    handler = _CheckErrors()
    saved, saved_level = root.handlers[:], root.level
    root.handlers = [handler]
    root.setLevel(min(saved_level or logging.WARNING, logging.WARNING))
    try:
        yield handler
    finally:
        root.handlers = saved
        root.setLevel(saved_level)


def _error_findings(errors: Sequence[CheckError], mapping: CheckovMapping, plan: Plan,
                    default_severity: str) -> list[Finding]:
    """An unknown finding per check that raised, on the resource it raised on, with the error."""
    findings = []
    for err in errors:
        entry = mapping.checks.get(err.check_id)
        resource = plan.get(err.address) if err.address else None
        address = err.address or "(root module)"
        findings.append(Finding(
            rule_id=err.check_id, title=f"checkov {err.check_id}", pillar=entry.pillar if entry else OTHER_PILLAR,
            lens=entry.lens if entry else (), severity=entry.severity if entry else default_severity,
            address=address, resource_type=resource.type if resource is not None else _type_of(address),
            module=resource.module_address if resource is not None else _module_of(address),
            status=Status.UNKNOWN, message=f"checkov {err.check_id} could not decide: it raised {err.error}",
            source=SOURCE, framework=entry.framework if entry else (),
            remediation=(entry.remediation if entry else "") or
            f"checkov {err.check_id} failed on this resource: judge it by hand, or report the error to checkov"))
    return findings


def _runner_filter(RunnerFilter: Any) -> Any:
    return RunnerFilter(framework=["terraform_plan"], download_external_modules=False,
                        show_progress_bar=False, run_image_referencer=False)


def _scan(plan: Plan, completions: Mapping[str, Completion] | None = None,
          early: Callable[[list[Any], str], None] | None = None) -> tuple[list[Any], str]:
    """checkov's records on the plan, and its version; ToolError when it cannot judge it.

    checkov's checks run on the plan document already loaded (:mod:`checks.integrations.checkov_fast`):
    the same records as checkov's plan Runner (:func:`reference_records`) with less work.
    ``early(records, version)``: the leading records, while the rest are still checked.
    """
    from checks.integrations import checkov_fast

    started = time.perf_counter()
    document = _completed_document(plan, completions) if completions else plan.document
    RunnerFilter, version, index = _import_for(document, checks=False)  # the check modules: in the scan
    imported = time.perf_counter()
    timings: dict[str, float] = {}
    with _checkov_env():
        try:
            records, resources = checkov_fast.scan(
                document, str(Path(plan.source)), _runner_filter(RunnerFilter), index, timings,
                load_checks=lambda: _load_checks(document, index),
                early=None if early is None else (lambda leading: early(leading, version)))
        except Exception as exc:  # a crash inside checkov must not pass silently
            raise ToolError(f"checkov {version} failed on {plan.source}: {type(exc).__name__}: {exc}") from None
    LAST_TIMINGS.clear()
    LAST_TIMINGS.update({"import": imported - started, **timings})
    if len(plan) and not resources:
        raise ToolError(f"checkov {version} read no resources from {plan.source} although it has {len(plan)}; "
                        "checkov reads the planned_values of a `terraform show -json` plan (not a state)")
    return records, version


def reference_records(plan: Plan, completions: Mapping[str, Completion] | None = None) -> tuple[list[Any], str]:
    """checkov's records from its own plan Runner, reading the plan file: the reference the
    fast path (:func:`_scan`) is tested against (tests/test_checkov_fast.py). Not used by
    ``genai-lz check``."""
    Runner, RunnerFilter, version = _import()
    with _plan_file(plan, completions) as path, _checkov_env():
        try:
            report = Runner().run(root_folder=None, files=[path], runner_filter=_runner_filter(RunnerFilter))
        except Exception as exc:  # a crash inside checkov must not pass silently
            raise ToolError(f"checkov {version} failed on {plan.source}: {type(exc).__name__}: {exc}") from None
    reports = report if isinstance(report, list) else [report]
    errors = sorted({str(e) for r in reports for e in (r.parsing_errors or ())})
    if errors:
        raise ToolError(f"checkov {version} could not parse {plan.source} ({', '.join(errors)})")
    if len(plan) and not any(r.resources for r in reports):
        raise ToolError(f"checkov {version} read no resources from {plan.source} although it has {len(plan)}; "
                        "checkov reads the planned_values of a `terraform show -json` plan (not a state)")
    records = [rec for r in reports for rec in (*r.failed_checks, *r.passed_checks, *r.skipped_checks)]
    return records, version


@lru_cache(maxsize=1)
def _check_index() -> dict[str, tuple[str, str]]:
    """checkov id -> (name, source path in checkov's repository), from the loaded registries."""
    _import()  # every check loaded
    import checkov
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    index: dict[str, tuple[str, str]] = {}
    for registry in (resource_registry, data_registry, provider_registry):
        for checks in registry.checks.values():
            for check in checks:
                index.setdefault(check.id, (check.name, type(check).__module__.replace(".", "/") + ".py"))
    graph = get_graph_checks_registry("terraform")
    if not graph.checks:
        graph.load_checks()
    root = Path(checkov.__file__).resolve().parent.parent
    for check in graph.checks:
        path = getattr(check, "check_path", "") or ""
        relative = os.path.relpath(path, root) if path else ""
        index.setdefault(check.id, (check.name, relative.replace(os.sep, "/")))
    return index


def registry_checks() -> dict[str, dict[str, Any]]:
    """Every terraform check of the installed checkov: id -> name, resource types, kind.

    The registry walk the mapping test compares policies/checkov.yaml with.
    """
    _import()
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.data.registry import data_registry
    from checkov.terraform.checks.provider.registry import provider_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    found: dict[str, dict[str, Any]] = {}
    for kind, registry in (("resource", resource_registry), ("data", data_registry), ("provider", provider_registry)):
        for resource_type, checks in registry.checks.items():
            for check in checks:
                entry = found.setdefault(check.id, {"name": check.name, "resource_types": set(), "kind": kind})
                entry["resource_types"].add(resource_type)
    graph = get_graph_checks_registry("terraform")
    if not graph.checks:
        graph.load_checks()
    for check in graph.checks:
        entry = found.setdefault(check.id, {"name": check.name, "resource_types": set(), "kind": "graph"})
        entry["resource_types"].update(check.resource_types)
    return found


def _help_uri(check_id: str, version: str, guideline: str | None, source: str | None = None) -> str:
    if guideline:
        return guideline
    source = source or _check_index().get(check_id, ("", ""))[1]
    return f"{REPO_URL}/blob/{version}/{source}" if source else f"{REPO_URL}/tree/{version}"


# --------------------------------------------------------------------------------------
# records -> findings


def _key_path(key: str) -> tuple[str | int, ...]:
    """checkov's ``ingress/[0]/cidr_blocks`` -> ``("ingress", 0, "cidr_blocks")``.

    Cut at the first wildcard or JSONPath filter (``rule/*/status``,
    ``policy/Statement[?(@.Effect == Allow)]/Action[*]``): the prefix is what the plan has.
    """
    parts: list[str | int] = []
    for part in str(key).split("/"):
        if not part:
            continue
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            parts.append(int(part[1:-1]))
            continue
        name, bracket, _ = part.partition("[")
        if name and name != "*" and not name.startswith(("?", "@", "$")):
            parts.append(name)
        if bracket or not name or name == "*" or name.startswith(("?", "@", "$")):
            break
    return tuple(parts)


def _dotted(path: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in path)


def _type_of(address: str) -> str:
    """``module.a["x"].aws_s3_bucket.b[0]`` -> ``aws_s3_bucket``; a provider -> ``provider``."""
    module = _module_of(address)
    local = address[len(module) + 1:] if module else address
    if local.startswith("data."):
        local = local[len("data."):]
    head = local.split(".", 1)[0]
    return head if "." in local and head.startswith(tuple("abcdefghijklmnopqrstuvwxyz")) and "_" in head else "provider"


def _verdict(record: Any) -> Status:
    result = record.check_result.get("result")
    name = getattr(result, "name", str(result)).upper()
    return _STATUS.get(name, Status.UNKNOWN)


def _read_paths(resource: Resource, patterns: Sequence[str]) -> list[tuple[str | int, ...]]:
    """The mapping's ``reads`` patterns (``ingress.*.cidr_blocks.*``) as the concrete paths
    of ``resource``'s planned values; ``*`` stands for every element of a list."""
    found: list[tuple[str | int, ...]] = []
    for pattern in patterns:
        paths: list[tuple[str | int, ...]] = [()]
        for part in pattern.split("."):
            step: list[tuple[str | int, ...]] = []
            for path in paths:
                if part != "*":
                    step.append((*path, part))
                    continue
                value = resource.node.get(path) if path else None
                if isinstance(value, list):
                    step += [(*path, i) for i in range(len(value))]
                elif resource.is_unknown(path):  # the whole list is known only after apply
                    step.append(path)
            paths = step
        found += paths
    return found


def _by_via(completions: Mapping[str, Completion] | None) -> dict[str, list[Completion]]:
    """The completed policies by the document they were read from."""
    found: dict[str, list[Completion]] = {}
    for completion in (completions or {}).values():
        found.setdefault(completion.via, []).append(completion)
    return found


def _to_finding(record: Any, entry: CheckMapping | None, resource: Resource | None, default_severity: str,
                version: str, completions: Mapping[str, Completion] | None = None,
                by_via: Mapping[str, list[Completion]] | None = None) -> Finding:
    status = _verdict(record)
    keys = [k for k in (_key_path(k) for k in record.check_result.get("evaluated_keys") or ()) if k
            and not (len(k) == 1 and k[0] in _PSEUDO_KEYS)]
    keys = list(dict.fromkeys(keys))
    if not keys and entry and entry.reads and resource is not None and status in (Status.PASS, Status.FAIL):
        # checkov named no key: judge by what the check reads (policies/checkov.yaml `reads`)
        read = _read_paths(resource, entry.reads)
        keys = [k for k in read if resource.is_unknown(k)]
    dotted = [_dotted(k) for k in keys]
    verdict = {Status.PASS: "passed", Status.FAIL: "failed"}.get(status, status.value)
    message = f"checkov {verdict}" + (f" (evaluated: {', '.join(dotted)})" if dotted else "")
    via = None
    if status is Status.NOT_APPLICABLE:
        comment = record.check_result.get("suppress_comment")
        message = "skipped by checkov" + (f": {comment}" if comment else "")
    elif status is Status.UNKNOWN:
        message = f"checkov reported {record.check_result.get('result')!s}"
    elif resource is not None:
        unknown = [k for k in keys if resource.is_unknown(k)]
        done = (completions or {}).get(resource.address)
        consumers = (by_via if by_via is not None else _by_via(completions)).get(resource.address, ())
        if done is not None and unknown and all(_dotted(k).split(".")[0] == done.path for k in unknown):
            via = done.via
            message = (f"checkov {verdict} on the policy read from {via} (known only after apply; ARNs of "
                       "resources planned here stand in as specific ARNs)")
            unknown = []
        elif consumers and unknown and resource.mode == "data":
            status = Status.NOT_APPLICABLE
            message = f"judged on the policies built from this document ({consumers[0].via} is known only after apply)"
            unknown = []
        if unknown:
            targets = [resource.references(k) for k in unknown] if entry and entry.reference_satisfies else []
            names = ", ".join(_dotted(k) for k in unknown)
            if targets and all(targets):
                status, via = Status.PASS, targets[0][0].address
                message = (f"{names} is known only after apply and refers to {via}, planned in this configuration "
                           f"(checkov {verdict} without the value)")
            else:
                status = Status.UNKNOWN
                message = (f"{names} is known only after apply; cannot decide at plan time "
                           f"(checkov {verdict} without the value)")
    value: Any = None
    if resource is not None and keys:
        values = {d: resource.masked(k) for d, k in zip(dotted, keys)}
        value = values[dotted[0]] if len(values) == 1 else values
    address = str(record.resource)
    help_uri = _help_uri(record.check_id, version, getattr(record, "guideline", None), getattr(record, "source", None))
    remediation = (entry.remediation if entry and entry.remediation else "") or \
        f"Fix what checkov {record.check_id} asks for ({record.check_name.strip()}): {help_uri}"
    return Finding(
        rule_id=record.check_id,
        title=str(record.check_name).strip(),
        pillar=entry.pillar if entry else OTHER_PILLAR,
        lens=entry.lens if entry else (),
        severity=entry.severity if entry else default_severity,
        address=address,
        resource_type=resource.type if resource is not None else _type_of(address),
        module=resource.module_address if resource is not None else _module_of(address),
        status=status,
        message=message,
        path=", ".join(dotted) or None,
        value=value,
        via=via,
        source=SOURCE,
        remediation=remediation,
        framework=entry.framework if entry else (),
    )


@dataclass
class Scan:
    """checkov's records on a plan, before they are mapped to findings: what :func:`scan`
    gives (in a worker process, :func:`start`), and :func:`findings_of` reads."""

    records: list[Any]
    version: str
    completions: dict[str, Completion]
    errors: list[CheckError]
    timings: dict[str, float]
    sha256: str = ""  # of the plan scanned (a worker reads the file again: it must be the same plan)


def scan(plan: Plan, reference: bool = False, early: Callable[[Scan], None] | None = None) -> Scan:
    """checkov's records on the plan; ``reference=True`` takes them from checkov's own plan
    Runner (the slow path the equality test compares the fast one with).

    ``early``: called with a Scan of the leading records (the resource checks') when the
    rest (the graph checks') still runs in a worker; the Scan returned holds them all."""
    completions = _completions(plan)
    LAST_TIMINGS.clear()
    with _captured_check_errors() as captured:  # a check that raises: an unknown finding, stderr clean
        if reference:
            records, version = reference_records(plan, completions)
        else:
            records, version = _scan(plan, completions, None if early is None else (
                lambda leading, version: early(Scan(leading, version, completions, [], {}, plan.sha256))))
    return Scan(records, version, completions, list(captured.errors), dict(LAST_TIMINGS), plan.sha256)


def start(load_plan: Callable[[], Plan]) -> Forked[Scan]:
    """:func:`scan` of the plan ``load_plan()`` gives, begun in a worker process: checkov is
    imported and run there while the caller loads the same plan and runs the lens rules.
    ``.result()`` is the :class:`Scan`; ``.parts()`` gives the early Scan of its leading
    records first (see :class:`Mapper`); ``.close()`` stops it."""
    def work() -> Scan:
        started = time.perf_counter()
        _preload()  # what every plan needs, before the plan is read
        preloaded = time.perf_counter()
        plan = load_plan()
        loaded = time.perf_counter()
        done = scan(plan, early=post)
        keep_until_exit(plan)  # the worker's exit frees it
        done.timings = {"import": preloaded - started + done.timings.get("import", 0.0),
                        "plan load": loaded - preloaded,
                        **{k: v for k, v in done.timings.items() if k != "import"}}
        return done

    return Forked(work, "checkov")


def run(plan: Plan, params: Mapping[str, Any], rules: Sequence[RuleMeta],
        mapping_file: str | Path | None = None, reference: bool = False) -> tuple[list[Finding], dict[str, Any]]:
    """Run checkov on the plan; (findings, evidence) for ``engine.check(extra_findings=...)``.

    ``reference=True`` takes the records from checkov's own plan Runner (the slow path the
    equality test compares the fast one with)."""
    return findings_of(scan(plan, reference), plan, params, rules, mapping_file)


class Mapper:
    """checkov's records on one plan mapped to findings, possibly in parts: the early
    :class:`Scan` of the leading records while the rest are checked (:meth:`add`), then the
    whole Scan, of which only the records not added yet are mapped (:meth:`finish`)."""

    def __init__(self, plan: Plan, params: Mapping[str, Any], rules: Sequence[RuleMeta],
                 mapping_file: str | Path | None = None) -> None:
        self.plan = plan
        self.mapping = load_mapping(str(mapping_file) if mapping_file else None)
        self.default_severity = (params.get("checkov") or {}).get("default_severity", DEFAULT_SEVERITY)
        if self.default_severity not in SEVERITIES:  # pragma: no cover - params schema
            raise PolicyError(f"params checkov.default_severity {self.default_severity!r} is not one of "
                              f"{', '.join(SEVERITIES)}")
        self.native_types = {meta.id: set(meta.resource_types) for meta in rules}
        self.by_address = {r.address: r for r in (*plan.resources, *plan.data_sources)}
        self.chosen: dict[tuple[str, str], Finding] = {}
        self.superseded: dict[str, dict[str, Any]] = {}
        self.added = 0  # records mapped so far: the leading records of the whole Scan
        self.early_seconds = 0.0

    def _same_plan(self, done: Scan) -> None:
        plan = self.plan
        if done.sha256 and plan.sha256 and done.sha256 != plan.sha256:
            raise ToolError(f"{plan.source} changed while it was checked (checkov read a plan with sha256 "
                            f"{done.sha256[:12]}…, the lens rules one with {plan.sha256[:12]}…): run the check "
                            "again once the file is written")

    def add(self, part: Scan) -> None:
        """Map the records of an early Scan: the next leading records of the whole."""
        started = time.perf_counter()
        self._same_plan(part)
        self._map(part, part.records)
        self.early_seconds += time.perf_counter() - started

    def _map(self, done: Scan, records: Sequence[Any]) -> None:
        by_via = _by_via(done.completions)
        for record in records:
            entry = self.mapping.checks.get(record.check_id)
            resource = self.by_address.get(str(record.resource))
            finding = _to_finding(record, entry, resource, self.default_severity, done.version, done.completions,
                                  by_via)
            if entry and entry.superseded_by in self.native_types and \
                    finding.resource_type in self.native_types[entry.superseded_by]:
                note = self.superseded.setdefault(record.check_id, {"by": entry.superseded_by, "records": 0})
                note["records"] += 1
                continue
            key = (finding.rule_id, finding.address)
            kept = self.chosen.get(key)  # a check reported twice on one resource: keep the worse verdict
            if kept is None or _STATUS_RANK[finding.status] < _STATUS_RANK[kept.status]:
                self.chosen[key] = finding
        self.added += len(records)

    def finish(self, done: Scan) -> tuple[list[Finding], dict[str, Any]]:
        """The findings and the evidence of the whole Scan ``done``."""
        self._same_plan(done)
        mapping = self.mapping
        mapped = time.perf_counter()
        if self.added > len(done.records):
            raise ToolError(f"checkov's worker sent {self.added} leading records, then a scan of "
                            f"{len(done.records)}: rerun the check")
        self._map(done, done.records[self.added:])
        chosen = self.chosen
        for finding in _error_findings(done.errors, mapping, self.plan, self.default_severity):
            chosen.setdefault((finding.rule_id, finding.address), finding)
        findings = [chosen[k] for k in sorted(chosen)]
        LAST_TIMINGS.clear()
        LAST_TIMINGS.update(done.timings)
        if done.timings:  # the fast path's parts (the reference Runner's are not timed)
            if self.early_seconds:
                LAST_TIMINGS["mapping (early)"] = self.early_seconds
            LAST_TIMINGS["mapping"] = time.perf_counter() - mapped
        unmapped = sorted({f.rule_id for f in findings if f.pillar == OTHER_PILLAR})
        evidence = {
            "checkov": {
                "version": done.version,
                "pinned": PIN,
                "framework": "terraform_plan",
                "mapping_file": mapping.file,
                "mapping_sha256": mapping.sha256,
                "mapping_verified_with": mapping.checkov_version,
                "checks_mapped": len(mapping.checks),
                "records": len(done.records),
                "findings": len(findings),
                "unmapped_checks": unmapped,
                "unmapped_severity": self.default_severity,
                "superseded": dict(sorted(self.superseded.items())),
                "policies_read_from_documents": len(done.completions),
                "check_errors": len(done.errors),
            }
        }
        return findings, evidence


def findings_of(done: Scan, plan: Plan, params: Mapping[str, Any], rules: Sequence[RuleMeta],
                mapping_file: str | Path | None = None) -> tuple[list[Finding], dict[str, Any]]:
    """The findings and the evidence of a :class:`Scan` of ``plan``."""
    return Mapper(plan, params, rules, mapping_file).finish(done)


def catalog(mapping_file: str | Path | None = None) -> list[dict[str, Any]]:
    """The mapped checks as catalog rows (the keys of RuleMeta.to_dict(), source 'checkov')."""
    mapping = load_mapping(str(mapping_file) if mapping_file else None)
    version = _import()[2]
    index = _check_index()
    rows = []
    for check_id in sorted(mapping.checks, key=_natural):
        entry = mapping.checks[check_id]
        name = index.get(check_id, (f"(not in checkov {version})", ""))[0].strip()
        help_uri = _help_uri(check_id, version, None)
        rationale = (f"checkov {check_id} ({version}), mapped by policies/checkov.yaml onto "
                     + " and ".join(part for part in (
                         f"the Generative AI Lens ({', '.join(entry.lens)})" if entry.lens else "",
                         f"the Well-Architected Framework ({', '.join(entry.framework)})" if entry.framework else "")
                         if part) + ".")
        if entry.superseded_by:
            rationale += f" Superseded by the native rule {entry.superseded_by} when it is loaded."
        rows.append({
            "id": check_id,
            "title": name,
            "pillar": entry.pillar,
            "lens": list(entry.lens),
            "framework": list(entry.framework),
            "severity": entry.severity,
            "resource_types": list(entry.resource_types),
            "scope": "resource",
            "applies_to": "any",
            "source": SOURCE,
            "remediation": entry.remediation or f"Fix what checkov {check_id} asks for: {help_uri}",
            "rationale": rationale,
        })
    return rows


def _natural(check_id: str) -> tuple[str, int]:
    prefix, _, number = check_id.rpartition("_")
    return (prefix, int(number) if number.isdigit() else 0)


def describe(check_id: str, mapping_file: str | Path | None = None) -> dict[str, Any] | None:
    """One checkov check for `genai-lz explain`: its title, guideline link and checkov
    version, and our mapping (pillar, lens, severity) or None when policies/checkov.yaml does
    not map it. None when the installed checkov has no such check and the mapping does not
    name it either."""
    mapping = load_mapping(str(mapping_file) if mapping_file else None)
    version = _import()[2]
    index = _check_index()
    if check_id not in index and check_id not in mapping.checks:
        return None
    entry = mapping.checks.get(check_id)
    return {
        "id": check_id,
        "title": index.get(check_id, (f"(not in checkov {version})", ""))[0].strip(),
        "url": _help_uri(check_id, version, None),
        "checkov_version": str(version),
        "mapping_file": str(mapping.file),
        "mapped": None if entry is None else {
            "pillar": entry.pillar, "lens": list(entry.lens), "framework": list(entry.framework),
            "severity": entry.severity,
            "resource_types": list(entry.resource_types), "superseded_by": entry.superseded_by,
            "remediation": entry.remediation,
        },
    }


def write_index(path: Path | None = None) -> Path:
    """(Re)write checks/integrations/checkov_index.json from the installed checkov (after a
    version bump): ``python -m checks.integrations.checkov_bridge``."""
    from checks.integrations import checkov_fast

    _import()
    target = path or checkov_fast.INDEX_FILE
    target.write_text(json.dumps(checkov_fast.build_index(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":  # python -m checks.integrations.checkov_bridge: rewrite the checkov index
    print(write_index())
