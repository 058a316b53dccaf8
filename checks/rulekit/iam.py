"""IAM policy documents: statements (also when known only after apply), action patterns,
public principals."""
from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from checks.plan import Resource
from checks.rulekit.core import as_list, data_source, has_unknown, is_empty
from checks.schema import POLICIES_DIR, load_yaml
from checks.values import UNKNOWN

BLOCK_INDEX = "_statement_block"  # statement dicts built from a data source: its StatementBlock
MAX_COMPOSITION_DEPTH = 8


@dataclass(frozen=True)
class StatementBlock:
    """Where a statement built from an aws_iam_policy_document is written: the data source
    (a composed document's part keeps its own) and the index of its ``statement`` block."""

    doc: Resource
    index: int

    def references(self, key: str, types: Any = None) -> list[Resource]:
        return self.doc.references(f"statement.{self.index}.{key}", types)


def policy_statements(document: Any) -> list[dict[str, Any]] | None:
    """Statements of an IAM policy (JSON text or object), Action/Resource as lists.

    None when the document is unknown at plan time or is not a policy.
    """
    if document is UNKNOWN or document is None:
        return None
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, Mapping):
        return None
    statements = document.get("Statement", [])
    out: list[dict[str, Any]] = []
    for st in as_list(statements):
        if not isinstance(st, Mapping):
            continue
        item = dict(st)
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in item:
                item[key] = as_list(item[key])
        out.append(item)
    return out


@dataclass(frozen=True)
class PolicyDoc:
    """A policy as a rule sees it.

    ``statements`` is None when the document is unknown at plan time and no
    ``aws_iam_policy_document`` explains it. Elements of Action/Resource lists that are
    known only after apply are :data:`UNKNOWN`; ``resolved_unknowns`` holds (statement
    index, key) pairs whose unknown elements come from attributes of resources planned
    here (the ARN of a planned resource, never ``*``); for ``Condition`` it means the unknown
    condition values are such attributes. ``via`` is the data source address.
    """

    statements: list[dict[str, Any]] | None
    via: str | None = None
    source: Resource | None = None
    resolved_unknowns: frozenset[tuple[int, str]] = frozenset()
    managed: str | None = None  # the AWS managed policy's name when read from the data file

    @property
    def known(self) -> bool:
        return self.statements is not None

    def references(self, statement: Mapping[str, Any], key: str, types: Any = None) -> list[Resource]:
        """Planned resources the data source's expression for ``key`` (resources, principals...)
        of this statement refers to; empty for documents known at plan time."""
        block = statement.get(BLOCK_INDEX)
        return block.references(key, types) if isinstance(block, StatementBlock) else []

    def resolved(self, index: int, key: str) -> bool:
        """True when the unknown elements of statement ``index``'s ``key`` (Resource,
        Principal, ...) are attributes of resources planned here (ARNs, never ``*``)."""
        return (index, key) in self.resolved_unknowns


def _node_list(node: Any, key: str) -> list[Any] | None:
    value = node.get(key)
    if value is UNKNOWN:
        return [UNKNOWN]
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    return [UNKNOWN if node.is_unknown(f"{key}.{i}") else item for i, item in enumerate(items)]


def _composed_parts(doc: Resource, key: str, depth: int) -> list[dict[str, Any]] | None:
    """Statements of the documents listed at ``key`` (source_/override_policy_documents,
    source_json, override_json): parsed when known, else built from the aws_iam_policy_document
    data sources they refer to (a base document read at apply time). None when a part is
    known only after apply and comes from no document in the plan. Statements built from a
    data source keep their StatementBlock, so references are read where they are written."""
    value = doc.get(key)
    if value is UNKNOWN or (isinstance(value, list) and any(v is UNKNOWN or doc.is_unknown(f"{key}.{i}")
                                                              for i, v in enumerate(value))):
        parts = [d for d in doc.references(key, "aws_iam_policy_document") if d.mode == "data" and d is not doc]
        if not parts or depth >= MAX_COMPOSITION_DEPTH:
            return None
        statements: list[dict[str, Any]] = []
        for part in parts:
            built = _statements_from_data_source(part, depth + 1)
            if built is None:
                return None
            statements.extend(built[0])
        return statements
    statements = []
    for text in as_list(value):
        parsed = policy_statements(text)
        if parsed is None:
            return None
        statements.extend(parsed)
    return statements


def _merge_by_sid(base: list[dict[str, Any]], overriding: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``overriding`` statements replace those of ``base`` with the same non-empty Sid (the
    aws_iam_policy_document rule for source and override documents); the others are added."""
    merged = list(base)
    for st in overriding:
        sid = st.get("Sid")
        same = next((i for i, b in enumerate(merged) if sid and b.get("Sid") == sid), None)
        if same is None:
            merged.append(st)
        else:
            merged[same] = st
    return merged


def _statements_from_data_source(doc: Resource, depth: int = 0
                                 ) -> tuple[list[dict[str, Any]], frozenset[tuple[int, str]]] | None:
    """The statements of an aws_iam_policy_document read at apply time, composed as the
    provider composes them: source documents, then this document's statement blocks
    (replacing source statements of the same Sid), then override documents (replacing
    statements of the same Sid)."""
    sources: list[dict[str, Any]] = []
    overrides: list[dict[str, Any]] = []
    for key, into in (("source_policy_documents", sources), ("source_json", sources),
                      ("override_policy_documents", overrides), ("override_json", overrides)):
        part = _composed_parts(doc, key, depth)
        if part is None:
            return None
        into.extend(part)
    own: list[dict[str, Any]] = []
    for i, block in enumerate(doc.blocks("statement")):
        st: dict[str, Any] = {"Effect": block.get("effect") or "Allow", BLOCK_INDEX: StatementBlock(doc, i)}
        sid = block.get("sid")
        if isinstance(sid, str) and sid:
            st["Sid"] = sid
        for key, name in (("actions", "Action"), ("not_actions", "NotAction"),
                          ("resources", "Resource"), ("not_resources", "NotResource")):
            items = _node_list(block, key)
            if items is not None:
                st[name] = items
        for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals: dict[str, list[Any]] = {}
            for p in block.blocks(key):
                principals.setdefault(p.get("type") or "AWS", []).extend(_node_list(p, "identifiers") or [])
            if principals:
                st[name] = "*" if principals == {"*": ["*"]} else principals
        conditions: dict[str, dict[str, Any]] = {}
        for c in block.blocks("condition"):
            conditions.setdefault(c.get("test") or "", {})[c.get("variable") or ""] = _node_list(c, "values") or []
        if conditions:
            st["Condition"] = conditions
        own.append(st)
    statements = _merge_by_sid(_merge_by_sid(sources, own), overrides)
    resolved: set[tuple[int, str]] = set()
    for index, st in enumerate(statements):
        for name, key in (("Resource", "resources"), ("NotResource", "not_resources"),
                          ("Principal", "principals"), ("NotPrincipal", "not_principals")):
            if not has_unknown(st.get(name)):
                continue
            origin = st.get(BLOCK_INDEX)
            if isinstance(origin, StatementBlock) and origin.references(key):
                resolved.add((index, name))
        written = st.get("Condition")
        if isinstance(written, Mapping) and has_unknown(
                {k: v for values in written.values() for k, v in values.items()}):
            origin = st.get(BLOCK_INDEX)
            if isinstance(origin, StatementBlock) and origin.references("condition"):
                resolved.add((index, "Condition"))
    return statements, frozenset(resolved)


def policy_document(resource: Resource, path: str) -> PolicyDoc:
    """The policy at ``path``: parsed when known, else read from the data source it comes from."""
    value = resource.get(path)
    if value is not UNKNOWN:
        return PolicyDoc(policy_statements(value) if not is_empty(value) else [])
    doc = data_source(resource, path, "aws_iam_policy_document")
    if doc is not None:
        built = _composed_statements(doc)
        if built is not None:
            return PolicyDoc(list(built[0]), via=doc.address, source=doc, resolved_unknowns=built[1])
    return PolicyDoc(None)


def _composed_statements(doc: Resource) -> tuple[list[dict[str, Any]], frozenset[tuple[int, str]]] | None:
    """:func:`_statements_from_data_source` once per data source and plan (many policies and
    rules read the same aws_iam_policy_document; callers get a copy of the list)."""
    if doc.plan is None:
        return _statements_from_data_source(doc)
    return doc.plan.memo(f"rulekit:policy-document:{doc.address}", lambda _plan: _statements_from_data_source(doc))


IAM_POLICY_PATHS: dict[str, tuple[str, ...]] = {
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
}


def iam_policy_paths(resource: Resource) -> list[str]:
    """Where the identity policies of an IAM resource are: ``policy`` or each inline_policy."""
    if resource.type == "aws_iam_role":
        return [f"inline_policy.{i}.policy" for i, _ in enumerate(resource.blocks("inline_policy"))]
    return list(IAM_POLICY_PATHS.get(resource.type, ()))


def covers(pattern: Any, action: str) -> bool:
    """True when the IAM action pattern grants ``action`` (case-insensitive ``*`` and ``?`` wildcards)."""
    return isinstance(pattern, str) and fnmatch.fnmatchcase(action.lower(), pattern.lower())


def grants_whole_service(statement: Mapping[str, Any], service: str) -> bool | None:
    """Does an Allow statement grant every action of ``service`` (``svc:*``, ``*``, NotAction)?

    None when an unknown action element leaves it open.
    """
    probe = f"{service}:Zz0probeEveryAction"
    if "NotAction" in statement:
        excluded = statement["NotAction"]
        if any(a is UNKNOWN for a in excluded):
            return None
        return not any(covers(a, probe) for a in excluded)
    actions = statement.get("Action", ())
    if any(covers(a, probe) for a in actions):
        return True
    return None if any(a is UNKNOWN for a in actions) else False


def is_allow(statement: Mapping[str, Any]) -> bool:
    return str(statement.get("Effect", "Allow")).lower() == "allow"


def is_wildcard_resource(resources: Iterable[Any]) -> bool:
    return any(r == "*" for r in resources)


def public_principal(statement: Mapping[str, Any], doc: PolicyDoc | None = None, index: int = -1) -> bool | None:
    """Is the statement's Principal everyone (``*``, ``{"AWS": "*"}``)? None when unknown
    elements of it are not traced to resources of the plan. A missing Principal (identity
    policy) is not public."""
    principal = statement.get("Principal")
    if principal is None:
        return False
    if principal == "*":
        return True
    values = [v for vs in principal.values() for v in as_list(vs)] if isinstance(principal, Mapping) else as_list(principal)
    if any(v == "*" for v in values):
        return True
    if any(v is UNKNOWN for v in values) and not (doc is not None and doc.resolved(index, "Principal")):
        return None
    return False


# Condition keys that narrow WHO may act (principals of one account / organization / named
# principals) or on WHOSE resources; a condition on any other key (aws:SecureTransport,
# aws:RequestedRegion, aws:SourceVpce, ...) leaves "anyone, anything" as wide as it was.
SCOPING_CONDITION_KEYS = (
    "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn",
    "aws:userid", "aws:username", "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths",
)


def _positive_operator(operator: str) -> bool:
    """StringEquals, ForAnyValue:StringLike, ArnEquals...: an operator that requires a match
    (not a Not* operator, not Null)."""
    base = operator.split(":")[-1].lower().removesuffix("ifexists")
    return "not" not in base and base != "null"


def condition_scopes(statement: Mapping[str, Any], keys: Iterable[str] = SCOPING_CONDITION_KEYS) -> bool | None:
    """Does the statement's Condition require a match on one of ``keys`` (case-insensitive)
    with a value that is not a bare wildcard? None when such a condition has a value known
    only after apply (it may be ``*``). A statement without a Condition scopes nothing."""
    wanted = {k.lower() for k in keys}
    conditions = statement.get("Condition")
    if not isinstance(conditions, Mapping):
        return False
    undecided = False
    for operator, block in conditions.items():
        if not isinstance(block, Mapping) or not _positive_operator(str(operator)):
            continue
        for key, values in block.items():
            if str(key).lower() not in wanted:
                continue
            items = as_list(values)
            if any(v is UNKNOWN for v in items):
                undecided = True
            elif items and not any(v in ("*", "") for v in items):
                return True
    return None if undecided else False


# --------------------------------------------------------------------------------------
# identity policies, AWS managed policies attached by ARN included

AWS_MANAGED_POLICIES_FILE = POLICIES_DIR / "data" / "aws_managed_policies.yaml"

# where each attaching resource names the policy ARN(s) it attaches
MANAGED_POLICY_ARN_PATHS: dict[str, str] = {
    "aws_iam_role_policy_attachment": "policy_arn",
    "aws_iam_user_policy_attachment": "policy_arn",
    "aws_iam_group_policy_attachment": "policy_arn",
    "aws_iam_policy_attachment": "policy_arn",
    "aws_iam_role": "managed_policy_arns",
    "aws_iam_role_policy_attachments_exclusive": "policy_arns",
    "aws_iam_user_policy_attachments_exclusive": "policy_arns",
    "aws_iam_group_policy_attachments_exclusive": "policy_arns",
    "aws_ssoadmin_managed_policy_attachment": "managed_policy_arn",
}
INLINE_POLICY_PATHS: dict[str, str] = {**{t: "policy" for t in IAM_POLICY_PATHS},
                                       "aws_ssoadmin_permission_set_inline_policy": "inline_policy"}
# every resource type that grants identity permissions the IAM rules judge
IDENTITY_POLICY_TYPES: tuple[str, ...] = tuple(dict.fromkeys(
    [*IAM_POLICY_PATHS, "aws_iam_role", *INLINE_POLICY_PATHS, *MANAGED_POLICY_ARN_PATHS]))


@dataclass(frozen=True)
class ManagedPolicies:
    """The AWS managed policies known by content (policies/data/aws_managed_policies.yaml)."""

    checked: str
    statements: Mapping[str, tuple[dict[str, Any], ...]]

    def lookup(self, arn: str) -> tuple[str, list[dict[str, Any]]] | None:
        """(name, statements) for the ARN of a listed AWS managed policy, else None."""
        name = aws_managed_policy_name(arn)
        found = self.statements.get(name) if name else None
        return (name, [dict(st) for st in found]) if name and found is not None else None


@lru_cache(maxsize=4)
def managed_policies(path: str = str(AWS_MANAGED_POLICIES_FILE)) -> ManagedPolicies:
    document = load_yaml(path, "aws_managed_policies.schema.json")
    known = {}
    for name, policy in document["policies"].items():
        known[f"{policy['path']}{name}"] = tuple(dict(st) for st in policy["statements"])
    return ManagedPolicies(str(document["checked"]), known)


def aws_managed_policy_name(arn: Any) -> str | None:
    """``arn:aws:iam::aws:policy/job-function/X`` -> ``/job-function/X``; None for other ARNs."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or parts[4] != "aws" or not parts[5].startswith("policy/"):
        return None
    return "/" + parts[5][len("policy/"):]


def identity_policies(resource: Resource) -> list[tuple[str, PolicyDoc]]:
    """The identity policies ``resource`` grants, as (attribute path, document) pairs.

    Inline documents (``policy``, a role's ``inline_policy`` blocks, a permission set's
    ``inline_policy``) are read as :func:`policy_document` reads them. AWS managed policies
    attached by ARN are read from the data file (``PolicyDoc.managed`` names them); AWS
    managed policies not listed there and customer managed policies (judged as the
    ``aws_iam_policy`` that defines them) are left out. An ARN known only after apply that
    refers to no policy in the plan is an unknown document (``statements`` None).
    """
    found: list[tuple[str, PolicyDoc]] = []
    if resource.type == "aws_iam_role":
        found.extend((p, policy_document(resource, p)) for p in iam_policy_paths(resource))
    elif resource.type in INLINE_POLICY_PATHS:
        path = INLINE_POLICY_PATHS[resource.type]
        found.append((path, policy_document(resource, path)))
    arn_path = MANAGED_POLICY_ARN_PATHS.get(resource.type)
    if arn_path is None:
        return found
    value = resource.get(arn_path)
    if value is UNKNOWN:
        if not resource.references(arn_path, "aws_iam_policy"):
            found.append((arn_path, PolicyDoc(None)))
        return found
    known = managed_policies()
    for i, arn in enumerate(as_list(value)):
        path = arn_path if isinstance(value, str) else f"{arn_path}.{i}"
        if arn is UNKNOWN or (arn is None and isinstance(value, list)):
            if not resource.references(arn_path, "aws_iam_policy"):
                found.append((path, PolicyDoc(None)))
            continue
        hit = known.lookup(arn)
        if hit is not None:
            name, statements = hit
            found.append((path, PolicyDoc(statements, managed=f"{name.lstrip('/')} (AWS managed policy, content as of "
                                                                f"{known.checked})")))
    return found


def role_policy_documents(role: Resource) -> list[PolicyDoc]:
    """The identity policies a planned IAM role has, each read by :func:`identity_policies`:
    the role's own (inline_policy blocks, managed_policy_arns), the aws_iam_role_policy
    resources on it, and what the aws_iam_role_policy_attachment resources on it attach (AWS
    managed policies by ARN, planned aws_iam_policy resources). Attachments and inline
    policies are found through configuration references. A document known only after apply
    that comes from nothing in the plan is returned unknown (``statements`` None)."""
    docs = [doc for _, doc in identity_policies(role)]
    for inline in role.referenced_by("aws_iam_role_policy", "role"):
        docs.extend(doc for _, doc in identity_policies(inline))
    for attachment in role.referenced_by("aws_iam_role_policy_attachment", "role"):
        docs.extend(doc for _, doc in identity_policies(attachment))
        docs.extend(policy_document(p, "policy") for p in attachment.references("policy_arn", "aws_iam_policy"))
    return docs
