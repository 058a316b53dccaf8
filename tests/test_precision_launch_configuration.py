"""Issue 23 item 6: the IMDSv2 rule judges aws_launch_configuration
(tests/fixtures/tf/precision_launch_configuration). Before, a launch configuration without
http_tokens = "required" was never looked at."""
from __future__ import annotations

from precision_helpers import RULES, check, load, statuses


def test_launch_configuration_without_imdsv2_fails():
    assert "aws_launch_configuration" in RULES["LZ-SEC-018"].resource_types
    result = check(load("precision_launch_configuration"), ["LZ-SEC-018"])
    assert statuses(result, "LZ-SEC-018") == {"aws_launch_configuration.fail": "fail",
                                              "aws_launch_configuration.pass": "pass"}
