"""Issue 23 item 1: references through ``local.`` values (tests/fixtures/tf/precision_locals).

The terraform-aws-modules/vpc pattern: ``local.vpc_id = try(aws_vpc.this[0].id, "")`` and
subnets with ``vpc_id = local.vpc_id``. Plan JSON does not record local values, so before,
"no subnet refers to this VPC" failed a VPC with three subnets in three AZs. Now the trace
resolves to the only VPC of the module instance, and is unknown (never fail) when the module
holds several.
"""
from __future__ import annotations

import copy

from checks import rulekit
from precision_helpers import check, document, from_document, load, messages, statuses


def test_subnets_through_local_vpc_id_are_traced():
    plan = load("precision_locals")
    vpc = plan.get("module.vpc.aws_vpc.this[0]")
    found = rulekit.referrers(vpc, "aws_subnet", "vpc_id")
    assert found.traced == [] and len(found.inferred) == 3
    assert {s.module_address for s in found.inferred} == {"module.vpc"}  # not module.vpc_b's subnet
    result = check(plan, ["LZ-REL-001"])
    assert statuses(result, "LZ-REL-001") == {"module.vpc.aws_vpc.this[0]": "pass",
                                              "module.vpc_b.aws_vpc.this[0]": "fail"}  # 1 AZ: a real finding
    assert "through local.vpc_id" in messages(result, "LZ-REL-001")["module.vpc.aws_vpc.this[0]"]


def test_trace_that_stops_at_an_ambiguous_local_is_unknown_not_fail():
    doc = document("precision_locals")
    vpc = next(rc for rc in doc["resource_changes"] if rc["address"] == "module.vpc.aws_vpc.this[0]")
    twin = copy.deepcopy(vpc)
    twin.update(address="module.vpc.aws_vpc.this[1]", index=1)
    doc["resource_changes"].append(twin)
    result = check(from_document(doc), ["LZ-REL-001"])
    got = statuses(result, "LZ-REL-001")
    assert got["module.vpc.aws_vpc.this[0]"] == "unknown" and got["module.vpc.aws_vpc.this[1]"] == "unknown"
