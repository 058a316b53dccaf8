"""Where an operation runs, and the AWS SDK environment of each place.

Targets: ``aws`` (the usual AWS credential chain, untouched), ``local`` (the emulator, see
:mod:`checks.ops.emulator`) and ``offline`` (fake credentials, no network: plans only, for
checks). ``auto`` = aws when AWS credentials are configured, else local when the emulator
runs, else offline.
"""
from __future__ import annotations

import os

from checks.errors import ToolError
from checks.ops import emulator
from checks.optional import boto3_module


def resolve_target(requested: str) -> str:
    if requested != "auto":
        return requested
    if aws_credentials_configured():
        return "aws"
    return "local" if emulator.status() else "offline"


def aws_credentials_configured() -> bool:
    """True when the usual AWS credential chain finds credentials (without a long wait on
    an instance metadata service that is not there)."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        return False  # an emulator environment is not a real account
    boto3 = boto3_module("to look for AWS credentials (TARGET=auto); or choose TARGET=aws|local|offline")
    from botocore.exceptions import BotoCoreError
    from botocore.session import Session

    session = Session()
    session.set_config_variable("metadata_service_timeout", 1)
    session.set_config_variable("metadata_service_num_attempts", 1)
    try:
        return boto3.session.Session(botocore_session=session).get_credentials() is not None
    except BotoCoreError:
        return False


def target_env(target: str) -> dict[str, str | None]:
    """The AWS SDK environment of a target (aws: the caller's own, untouched)."""
    if target == "offline":
        return emulator.offline_env()
    if target == "local":
        running = emulator.status()
        if running is None:
            raise ToolError("the local emulator is not running: start it with `make emulator-up` (or run `make demo`)")
        return emulator.emulator_env(running)
    return {}
