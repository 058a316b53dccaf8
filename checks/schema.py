"""JSON Schema validation of the plan envelope and of the project's data files.

Schemas live in ``policies/schemas/`` (the built-in pack, located by ``checks.resources``). Errors name the file, the path inside it and
what is wrong, in one line, so that a bad file is an exit-2 error a person can fix.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from checks.errors import DataFileError, LzError, PlanError
from checks.resources import builtin_policies

# the built-in rule pack and its data (policies/ of the repository, package checks._builtin
# when installed); every default data path derives from it
POLICIES_DIR = builtin_policies()
SCHEMAS_DIR = POLICIES_DIR / "schemas"


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    from jsonschema.validators import validator_for

    schema = json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _fast_validator(name: str) -> Any:
    """``schemas/<name>`` compiled to Python by fastjsonschema, or None when it cannot be.

    Validating 50,000 resource changes takes a tenth of a second where the jsonschema
    interpreter takes seconds, and a run does not pay jsonschema's import for valid data
    files; jsonschema still words the error when the fast check fails.
    """
    try:
        import fastjsonschema

        schema = json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8"))
        return fastjsonschema.compile(schema)
    except Exception:  # not installed, or a keyword it does not know: jsonschema alone
        return None


def _fast_valid(name: str, document: Any) -> bool:
    validate = _fast_validator(name)
    if validate is None:
        return False
    import fastjsonschema

    try:
        validate(document)
        return True
    except fastjsonschema.JsonSchemaException:
        return False


def json_path(parts: Any) -> str:
    """``["a", 0, "b"]`` -> ``a[0].b``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def first_error(name: str, document: Any) -> tuple[str, str] | None:
    """(path, message) of the most relevant schema error, or None when valid."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(name).iter_errors(document))
    if error is None:
        return None
    return json_path(error.absolute_path), error.message


def document_problem(name: str, document: Any) -> tuple[str, str] | None:
    """:func:`first_error`, with the compiled validator first (valid documents, the common
    case, never reach the slower interpreter that words the error)."""
    return None if _fast_valid(name, document) else first_error(name, document)


def validate_data(name: str, document: Any, file: str) -> None:
    """Validate a data file (params, waivers, prices, ...) against ``schemas/<name>``."""
    if _fast_valid(name, document):
        return
    problem = first_error(name, document)
    if problem is not None:
        raise DataFileError(file, *problem)


def load_json_document(path: str, schema: str, label: str, kind: str, missing: str,
                       quick_check: Callable[[Any], bool] | None = None) -> tuple[Any, bytes]:
    """The JSON document at ``path`` (and its bytes), valid against ``schemas/<schema>``; an
    LzError, whose line starts with ``label``, when the file is missing (``missing`` says where
    it comes from), unreadable, not JSON or not ``kind``. ``quick_check``: a faster test a caller
    trusts for the parts it reads; the schema words the error (and decides) only when it fails."""
    import orjson

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise LzError(f"{label}: no such file; {missing}") from None
    except OSError as exc:
        raise LzError(f"{label}: cannot read: {exc.strerror or exc}") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise LzError(f"{label}: not JSON ({exc})") from None
    if quick_check is not None and quick_check(document):
        return document, data
    problem = document_problem(schema, document)
    if problem is not None:
        where, message = problem
        raise LzError(f"{label}: not {kind}: at {where or '(top level)'}: {message}")
    return document, data


SUPPORTED_MAJOR_VERSIONS = ("0", "1")  # plan JSON format_version majors this tool reads


def validate_plan(document: Any, source: str) -> None:
    """Check that a document is a ``terraform show -json`` output we can read."""
    if not isinstance(document, dict):
        raise PlanError(f"{source}: not a Terraform plan: the top level is a JSON {type(document).__name__}, not an object")
    version = document.get("format_version")
    if isinstance(version, str) and "." in version:
        major = version.split(".", 1)[0]
        if major not in SUPPORTED_MAJOR_VERSIONS:
            raise PlanError(
                f"{source}: plan format_version {version} is not supported (this tool reads 0.x and 1.x); "
                "upgrade genai-lz or produce the plan with a Terraform that writes format 1.x"
            )
    if _fast_valid("plan.schema.json", document):
        return
    problem = first_error("plan.schema.json", document)
    if problem is not None:
        path, message = problem
        raise PlanError(
            f"{source}: not a Terraform plan JSON (`terraform show -json`): at {path or '(top level)'}: {message}"
        )


@lru_cache(maxsize=None)
def _yaml_loader() -> Any:
    """A safe YAML loader that keeps dates as text (schemas check their format)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc,valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


def load_yaml(path: Path | str, schema: str) -> Any:
    """Read a YAML data file and validate it; errors name the file."""
    import yaml

    from checks.files import InputRefused, read_regular

    file = str(path)
    try:
        text = read_regular(path, MAX_DATA_FILE_SIZE).decode("utf-8")
    except FileNotFoundError:
        raise DataFileError(file, "", "no such file") from None
    except InputRefused as exc:
        raise DataFileError(file, "", str(exc)) from None
    except OSError as exc:
        raise DataFileError(file, "", f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(file, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        document = yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise DataFileError(file, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    bad = _non_finite(document)
    if bad is not None:
        raise DataFileError(file, json_path(bad[0]), f"{bad[1]} is not a finite number (.inf and .nan are refused)")
    validate_data(schema, document, file)
    return document


MAX_DATA_FILE_SIZE = 64 * 1024 ** 2  # params, waivers, prices, usage: small hand-written files


def _non_finite(document: Any) -> tuple[list[str | int], float] | None:
    """(path, value) of the first infinite or NaN number in a data file, or None.

    YAML reads ``.inf`` and ``.nan`` as floats that JSON Schema's bounds cannot catch
    (NaN compares false with everything): refused here for every data file."""
    import math

    stack: list[tuple[list[str | int], Any]] = [([], document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return path, node
        if isinstance(node, dict):
            stack.extend((path + [str(k)], v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + [i], v) for i, v in enumerate(node))
    return None
