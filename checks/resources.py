"""Where the built-in rule pack and its data are, and where the organisation's own are.

The built-in pack (``policies/`` in the repository: rule folders, lens catalog, params,
waivers, prices, usage defaults, schemas, checkov mapping, IAM supplement, data files)
ships inside the distribution as the package ``checks._builtin``: pyproject.toml maps the
folder onto that package, so a wheel carries it and an editable install
(``pip install -e .``) reads the repository's ``policies/`` live. :func:`builtin_policies`
is the one function that locates it, through :mod:`importlib.resources`; every default
path (``checks.schema.POLICIES_DIR`` and what derives from it) comes from it.

The organisation's data overrides the built-in defaults per run: ``--params``,
``--waivers``, ``--prices``, ``--usage``, ``--policies``, or a ``genai-lz.yaml`` in the
working directory that names the same files (read by ``checks.cli``; a flag wins).
"""
from __future__ import annotations

import atexit
import contextlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from checks.errors import PolicyError

BUILTIN_PACKAGE = "checks._builtin"


@lru_cache(maxsize=1)
def builtin_policies() -> Path:
    """The directory of the built-in rule pack, from the installed package ``checks._builtin``.

    Rules are loaded by path (their folder names are not identifiers), so the pack must be
    a directory on disk: ``as_file`` gives the installed one itself, or, for a package
    imported from a zip, an extracted copy kept until the process exits.
    """
    try:
        root = resources.files(BUILTIN_PACKAGE)
    except ModuleNotFoundError:
        raise PolicyError(
            f"the built-in rule pack (package {BUILTIN_PACKAGE}) is not installed: in a checkout run `make setup` "
            "(pip install -e '.[dev]') again, elsewhere `pip install genai-landing-zone`; running checks/ from the "
            "source folder without installing it does not find the pack") from None
    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return Path(stack.enter_context(resources.as_file(root)))
