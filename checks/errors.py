"""Errors the CLI turns into exit code 2 (bad input or configuration).

Every error carries one line that says what is wrong and what to do; `checks.cli`
is the only place that turns them into exit codes.
"""
from __future__ import annotations


class LzError(Exception):
    """Invalid input or configuration: exit code 2, one clear line on stderr."""

    exit_code = 2


class PlanError(LzError):
    """The plan file cannot be read or is not a Terraform plan JSON we understand."""


class PolicyError(LzError):
    """A rule folder, params, waivers or another policy data file is invalid."""


class DataFileError(PolicyError):
    """A YAML/JSON data file fails its JSON Schema: names the file, the path in it and the problem."""

    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file, self.path, self.problem = file, path, problem
        super().__init__(f"{file}: at {path or '(top level)'}: {problem}")


class ToolError(LzError):
    """An external tool (terraform, checkov, the emulator) is missing or failed."""
