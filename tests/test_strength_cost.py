"""Cost boundaries and multiples no other test tries (issue 21): a node group with several
instance types (the maximum uses the dearest, wherever it is listed), a 730-hour month
(720 h hides the day count: 720 / 24 = 30)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from checks import cost, plan as plan_module
from cost_plans_helpers import change, plan

PRICES = """
version: "strength"
currency: USD
region: us-east-1
prices:
  - {key: "ec2:inf2.xlarge", unit: hour, price: 0.75, region: us-east-1, currency: USD, effective_date: "2026-01-01", source: "issue 21 strength test"}
  - {key: "ec2:inf2.8xlarge", unit: hour, price: 2.00, region: us-east-1, currency: USD, effective_date: "2026-01-01", source: "issue 21 strength test"}
  - {key: "ec2:trn1.2xlarge", unit: hour, price: 1.00, region: us-east-1, currency: USD, effective_date: "2026-01-01", source: "issue 21 strength test"}
  - {key: "bedrock:amazon.titan-text-express-v1:input", unit: 1k-tokens, price: 0.001, region: us-east-1, currency: USD, effective_date: "2026-01-01", source: "issue 21 strength test"}
  - {key: "bedrock:amazon.titan-text-express-v1:output", unit: 1k-tokens, price: 0.002, region: us-east-1, currency: USD, effective_date: "2026-01-01", source: "issue 21 strength test"}
"""

USAGE = """
version: 1
bedrock:
  - {model: amazon.titan-text-express-v1, input_tokens_per_day: 1000000, output_tokens_per_day: 500000}
"""


def _params(hours: int | None) -> dict:
    settings = {"spot_discount": 0.6, "budget_fit_threshold": 0.8, "worst_case_budget_multiple": 2}
    return {"cost": settings if hours is None else {**settings, "hours_per_month": hours}}


@pytest.fixture
def prices(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text(PRICES, encoding="utf-8")
    return cost.load_prices(path)


def _group(types: list[str], desired: int, max_size: int, capacity: str = "ON_DEMAND") -> plan_module.Plan:
    after = {"node_group_name": "g", "capacity_type": capacity, "instance_types": types,
             "scaling_config": [{"desired_size": desired, "min_size": 0, "max_size": max_size}]}
    return plan_module.loads(json.dumps(plan([change("aws_eks_node_group.g", "aws_eks_node_group", after)])))


@pytest.mark.parametrize("types", [
    ["inf2.xlarge", "inf2.8xlarge"],
    ["inf2.xlarge", "inf2.8xlarge", "trn1.2xlarge"],   # the dearest in the middle
    ["trn1.2xlarge", "inf2.xlarge", "inf2.8xlarge"],   # the dearest last
])
def test_the_maximum_of_a_node_group_uses_its_dearest_type(prices, types):
    """Planned: desired x the first listed type (what EKS launches first); maximum: max_size x
    the dearest type the group may scale into."""
    est = cost.estimate(_group(types, desired=1, max_size=3), _params(730), prices)
    (line,) = est.lines
    first = {"inf2.xlarge": Decimal("0.75"), "trn1.2xlarge": Decimal("1.00")}[types[0]]
    assert line.status == cost.PRICED
    assert line.planned == first * 730
    assert line.maximum == Decimal("2.00") * 3 * 730 == Decimal("4380.00")
    assert "max 3 x inf2.8xlarge x 730 h" in line.description


def test_spot_maximum_is_on_demand_of_the_dearest(prices):
    est = cost.estimate(_group(["inf2.8xlarge", "inf2.xlarge"], desired=2, max_size=4, capacity="SPOT"),
                        _params(730), prices)
    (line,) = est.lines
    assert line.planned == Decimal("2.00") * 2 * 730 * Decimal("0.4")   # 1168.00
    assert line.maximum == Decimal("2.00") * 4 * 730


def test_a_730_hour_month_has_30_42_days_of_tokens(tmp_path, prices):
    usage = tmp_path / "usage.yaml"
    usage.write_text(USAGE, encoding="utf-8")
    empty = plan_module.loads(json.dumps(plan([])))
    est = cost.estimate(empty, _params(730), prices, cost.load_usage(usage))
    (line,) = [l for l in est.lines if l.address == "usage.bedrock[amazon.titan-text-express-v1]"]
    # input 1,000 K x $0.001 + output 500 K x $0.002 = $2.00 a day, x 730 / 24 days
    assert line.planned == Decimal("30.42") + Decimal("30.42")
    assert "x 30.42 days" in line.description
    assert any("token usage runs 30.42 days a month" in a for a in est.to_dict()["assumptions"])
    at_720 = cost.estimate(empty, _params(720), prices, cost.load_usage(usage))
    assert [l.planned for l in at_720.lines if l.type == "bedrock_on_demand"] == [Decimal("60.00")]


def test_the_default_month_is_730_hours(prices):
    """No params cost.hours_per_month: 8,760 h / 12 = 730 h, for instances and tokens alike."""
    est = cost.estimate(_group(["trn1.2xlarge"], desired=1, max_size=1), _params(None), prices)
    (line,) = est.lines
    assert line.planned == line.maximum == Decimal("730.00")
    assert est.to_dict()["hours_per_month"] == 730

