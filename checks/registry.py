"""Load rules from policy folders, explicitly, and validate their metadata.

A policy directory holds ``<pillar>/<RULE_ID>_<slug>/rule.py``; each ``rule.py`` defines
one function decorated with :func:`checks.rule` or :func:`checks.plan_rule`. The built-in
pack is ``policies/``; organisations add their own with ``--policies DIR``. A duplicate
rule id, an unknown pillar, a lens or framework id missing from its catalog, a rule that
names neither, or a folder that does not match its rule is a :class:`PolicyError` (exit 2).

Two catalogs live in policies/lens/: the Generative AI Lens (genai-lens.yaml, with the
evidence an auditor asks for per best practice) and the Well-Architected Framework best
practices the pack implements where no lens best practice fits (wa-framework.yaml).
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from checks.errors import PolicyError
from checks.model import APPLIES_TO, PILLARS, SEVERITIES, RuleMeta
from checks.schema import POLICIES_DIR, load_yaml

RULE_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
LENS_FILE = POLICIES_DIR / "lens" / "genai-lens.yaml"
FRAMEWORK_FILE = POLICIES_DIR / "lens" / "wa-framework.yaml"


@dataclass(frozen=True)
class Lens:
    """The Generative AI Lens catalog (policies/lens/): best practices as data."""

    name: str
    version: str
    url_template: str
    best_practices: Mapping[str, Mapping[str, Any]]
    questions: Mapping[str, Mapping[str, Any]]

    def url(self, bp_id: str) -> str:
        return self.url_template.format(id=bp_id, id_lower=bp_id.lower())

    def title(self, bp_id: str) -> str:
        return str(self.best_practices.get(bp_id, {}).get("title", bp_id))

    def evidence(self, bp_id: str) -> str:
        """What an auditor asks for beyond the plan (the catalog's evidence text), or ''."""
        return str(self.best_practices.get(bp_id, {}).get("evidence", ""))


@dataclass(frozen=True)
class Framework:
    """The Well-Architected Framework best practices the pack implements (policies/lens/)."""

    name: str
    version: str
    best_practices: Mapping[str, Mapping[str, Any]]

    def url(self, bp_id: str) -> str:
        return str(self.best_practices.get(bp_id, {}).get("url", ""))

    def title(self, bp_id: str) -> str:
        return str(self.best_practices.get(bp_id, {}).get("title", bp_id))


@lru_cache(maxsize=None)
def load_framework(path: str = str(FRAMEWORK_FILE)) -> Framework:
    document = load_yaml(path, "wa-framework.schema.json")
    return Framework(name=document["framework"], version=str(document["framework_version"]),
                     best_practices={bp["id"]: bp for bp in document["best_practices"]})


@lru_cache(maxsize=None)
def load_lens(path: str = str(LENS_FILE)) -> Lens:
    document = load_yaml(path, "lens.schema.json")
    bps = {bp["id"]: bp for bp in document["best_practices"]}
    return Lens(
        name=document["lens"],
        version=str(document["lens_version"]),
        url_template=document["url_template"],
        best_practices=bps,
        questions=document.get("questions", {}),
    )


def _rule_folders(root: Path) -> Iterable[Path]:
    for pillar_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if pillar_dir.name not in PILLARS:
            continue
        for folder in sorted(p for p in pillar_dir.iterdir() if p.is_dir() and (p / "rule.py").is_file()):
            yield folder


def _load_module(path: Path, index: int) -> Any:
    name = f"_lz_rules_{index}_{re.sub(r'[^A-Za-z0-9_]', '_', path.parent.name)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PolicyError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a broken rule file is a configuration error
        raise PolicyError(f"{path}: fails to load: {type(exc).__name__}: {exc}") from None
    return module


def validate_meta(meta: RuleMeta, folder: Path, lens: Lens, framework: Framework | None = None) -> None:
    where = f"{folder / 'rule.py'}"
    if not RULE_ID_RE.match(meta.id):
        raise PolicyError(f"{where}: rule id {meta.id!r} is not of the form LZ-SEC-001")
    if not folder.name.startswith(f"{meta.id}_"):
        raise PolicyError(f"{where}: folder name must start with '{meta.id}_' (the rule id and a slug)")
    if meta.pillar not in PILLARS:
        raise PolicyError(f"{where}: pillar {meta.pillar!r} is not one of {', '.join(PILLARS)}")
    if folder.parent.name != meta.pillar:
        raise PolicyError(f"{where}: a {meta.pillar} rule must live under {meta.pillar}/, not {folder.parent.name}/")
    if meta.severity not in SEVERITIES:
        raise PolicyError(f"{where}: severity {meta.severity!r} is not one of {', '.join(SEVERITIES)}")
    framework = framework or load_framework()
    if not meta.lens and not meta.framework:
        raise PolicyError(f"{where}: rule {meta.id} names no best practice: give lens=[...] (Generative AI Lens, "
                          f"{LENS_FILE.name}) or framework=[...] (Well-Architected Framework, {FRAMEWORK_FILE.name})")
    for bp in meta.lens:
        if bp not in lens.best_practices:
            raise PolicyError(f"{where}: lens id {bp} is not in the lens catalog {LENS_FILE.name} ({lens.version})")
    for bp in meta.framework:
        if bp not in framework.best_practices:
            raise PolicyError(f"{where}: framework id {bp} is not in the Well-Architected Framework catalog "
                              f"{FRAMEWORK_FILE.name}")
    if not meta.title.strip() or not meta.remediation.strip():
        raise PolicyError(f"{where}: rule {meta.id} needs a title and a remediation")
    if meta.applies_to not in APPLIES_TO:
        raise PolicyError(f"{where}: applies_to {meta.applies_to!r} is not one of {', '.join(APPLIES_TO)}")
    if meta.scope == "resource" and not meta.resource_types:
        raise PolicyError(f"{where}: per-resource rule {meta.id} names no resource_types")


def load_rules(directories: Iterable[Path | str] = (), include_builtin: bool = True) -> list[RuleMeta]:
    """Rules of the built-in pack and of each extra directory, sorted by id."""
    roots = ([POLICIES_DIR] if include_builtin else []) + [Path(d) for d in directories]
    lens = load_lens()
    framework = load_framework()
    rules: dict[str, RuleMeta] = {}
    index = 0
    for root in roots:
        if not root.is_dir():
            raise PolicyError(f"{root}: policy directory does not exist")
        found_any = False
        for folder in _rule_folders(root):
            found_any = True
            index += 1
            module = _load_module(folder / "rule.py", index)
            metas = [obj.__lz_rule__ for obj in vars(module).values() if hasattr(obj, "__lz_rule__")]
            if len(metas) != 1:
                raise PolicyError(f"{folder / 'rule.py'}: defines {len(metas)} rules; a rule folder holds exactly one")
            meta = replace(metas[0], folder=str(folder))
            validate_meta(meta, folder, lens, framework)
            if meta.id in rules:
                raise PolicyError(f"{folder}: duplicate rule id {meta.id} (also in {rules[meta.id].folder})")
            rules[meta.id] = meta
        if not found_any and root != POLICIES_DIR:
            raise PolicyError(f"{root}: no rule folders found (expected <pillar>/<RULE_ID>_<slug>/rule.py)")
    return [rules[k] for k in sorted(rules)]


def policy_pack_version() -> str:
    """The version of the built-in policy pack (policies/VERSION)."""
    try:
        return (POLICIES_DIR / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return "unversioned"
