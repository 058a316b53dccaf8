"""Optional dependencies, imported where they are used, with the extra that installs them."""
from __future__ import annotations

import importlib.util
from types import ModuleType

from checks.errors import ToolError

AWS_EXTRA = "aws"            # boto3: prices refresh, TARGET=auto's credential lookup
EMULATOR_EXTRA = "emulator"  # moto[server] (and boto3): the local emulator, make demo


def boto3_module(purpose: str, extra: str = AWS_EXTRA) -> ModuleType:
    """``import boto3``, or a ToolError that says which extra to install for ``purpose``."""
    try:
        import boto3
    except ImportError:
        raise ToolError(f"boto3 is needed {purpose}: install it with "
                        f"pip install 'genai-landing-zone[{extra}]'") from None
    return boto3


def require_module(name: str, purpose: str, extra: str) -> None:
    """A ToolError naming the extra to install when ``name`` cannot be imported."""
    if importlib.util.find_spec(name) is None:
        raise ToolError(f"{name} is needed {purpose}: install it with pip install 'genai-landing-zone[{extra}]'")
