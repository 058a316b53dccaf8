"""Shared fixtures: the repository layout and helpers to run the CLI in-process."""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
POLICIES = REPO / "policies"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def run_cli(*argv: str) -> CliRun:
    """Run `genai-lz ARGV` in this process and capture what it prints."""
    from checks.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return CliRun(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
