"""The cost estimate: the issue's worked example to the cent, capacity columns, usage, errors."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from checks import cost, plan as plan_module
from checks.errors import DataFileError
from cost_plans_helpers import budget, change, config, node_group, plan, ref, write

PARAMS = {"cost": {"hours_per_month": 720, "spot_discount": 0.6, "budget_fit_threshold": 0.8,
                   "worst_case_budget_multiple": 2}}

EXAMPLE_PRICES = """
version: "test"
currency: USD
region: us-east-1
prices:
  - {key: "sagemaker:ml.inf1.xlarge", unit: hour, price: 0.228, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
  - {key: "bedrock:amazon.titan-text-express-v1:input", unit: 1k-tokens, price: 0.0024, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
  - {key: "bedrock:amazon.titan-text-express-v1:output", unit: 1k-tokens, price: 0.0024, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
  - {key: "s3:standard-gb-month", unit: gb-month, price: 0.023, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
  - {key: "egress:internet-gb", unit: gb, price: 0.09, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
  - {key: "glue:dpu-hour", unit: dpu-hour, price: 0.44, region: us-east-1, currency: USD, effective_date: "2024-01-01", source: "issue 9 worked example"}
"""

EXAMPLE_USAGE = """
version: 1
bedrock:
  - {model: amazon.titan-text-express-v1, input_tokens_per_day: 2000000, output_tokens_per_day: 1000000}
items:
  - {name: "S3 storage (model artifacts)", quantity: 10000, price_key: "s3:standard-gb-month"}
  - {name: "data egress", quantity: 1000, price_key: "egress:internet-gb"}
  - {name: "Glue ETL", quantity: 20, price_key: "glue:dpu-hour"}
"""


def endpoints_plan(count: int = 3, itype: str = "ml.inf1.xlarge", max_capacity: int | None = None) -> dict:
    changes, resources = [], []
    for i in range(count):
        changes.append(change(f"aws_sagemaker_endpoint_configuration.cfg[{i}]", "aws_sagemaker_endpoint_configuration",
                              {"name": f"pilot-{i}", "production_variants": [
                                  {"variant_name": "AllTraffic", "instance_type": itype, "initial_instance_count": 1}]},
                              index=i))
        changes.append(change(f"aws_sagemaker_endpoint.ep[{i}]", "aws_sagemaker_endpoint",
                              {"name": f"pilot-{i}"}, index=i, unknown={"endpoint_config_name": True}))
    resources.append(config("aws_sagemaker_endpoint.ep", "aws_sagemaker_endpoint", "ep",
                            {"endpoint_config_name": ref(
                                                         "aws_sagemaker_endpoint_configuration.cfg")}))
    resources.append(config("aws_sagemaker_endpoint_configuration.cfg", "aws_sagemaker_endpoint_configuration", "cfg", {}))
    if max_capacity is not None:
        changes.append(change("aws_appautoscaling_target.ep", "aws_appautoscaling_target",
                              {"service_namespace": "sagemaker", "max_capacity": max_capacity, "min_capacity": 1},
                              unknown={"resource_id": True}))
        resources.append(config("aws_appautoscaling_target.ep", "aws_appautoscaling_target", "ep",
                                {"resource_id": ref("aws_sagemaker_endpoint.ep[0].name", "aws_sagemaker_endpoint.ep")}))
    return plan(changes, resources)


@pytest.fixture
def example(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text(EXAMPLE_PRICES)
    usage = tmp_path / "usage.yaml"
    usage.write_text(EXAMPLE_USAGE)
    plan_file = write(tmp_path / "pilot.plan.json", endpoints_plan())
    return plan_file, prices, usage


def test_worked_example_to_the_cent(example):
    plan_file, prices, usage = example
    est = cost.estimate(plan_module.load(plan_file), PARAMS, cost.load_prices(prices), cost.load_usage(usage))
    by_address = {l.address: l for l in est.lines}
    endpoints = [by_address[f"aws_sagemaker_endpoint.ep[{i}]"] for i in range(3)]
    assert all(l.status == cost.PRICED for l in endpoints)
    assert sum(l.planned for l in endpoints) == Decimal("492.48")
    assert by_address["usage.bedrock[amazon.titan-text-express-v1]"].planned == Decimal("216.00")
    items = {l.address.split(" ", 1)[1]: l.planned for l in est.lines if l.type == "usage_item"}
    assert items == {"S3 storage (model artifacts)": Decimal("230.00"), "data egress": Decimal("90.00"),
                     "Glue ETL": Decimal("8.80")}
    assert est.planned == Decimal("1037.28")
    data = est.to_dict()
    assert data["totals"]["planned"] == 1037.28 and data["totals"]["maximum"] == 1037.28
    assert data["hours_per_month"] == 720 and data["hours_per_month_source"] == "params cost.hours_per_month"
    assert data["totals"]["complete"] is True


def test_worked_example_through_the_cli(example, cli):
    plan_file, prices, usage = example
    run = cli("cost", plan_file, "--prices", prices, "--usage", usage, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    # the repository's params: a month is 730 hours (AWS's convention), 30.42 days of tokens
    assert data["hours_per_month"] == 730
    assert data["totals"]["planned"] == 1047.12  # 3 x 0.228 x 730 + (2M + 1M tokens/day) x 730/24 x 0.0024/1K + 328.80
    table = cli("cost", plan_file, "--prices", prices, "--usage", usage)
    assert "TOTAL planned $1,047.12" in table.out
    assert "$166.44" in table.out  # one endpoint: 0.228 x 730


def test_hours_per_month_parameter_changes_the_figures(example):
    plan_file, prices, usage = example
    params = {"cost": {**PARAMS["cost"], "hours_per_month": 730}}
    est = cost.estimate(plan_module.load(plan_file), params, cost.load_prices(prices), cost.load_usage(usage))
    endpoint = next(l for l in est.lines if l.address == "aws_sagemaker_endpoint.ep[0]")
    assert endpoint.planned == Decimal("166.44")  # 0.228 x 730
    assert est.to_dict()["hours_per_month"] == 730


def test_autoscaling_max_capacity_fills_the_maximum_column(tmp_path):
    p = plan_module.loads(json.dumps(endpoints_plan(count=1, itype="ml.g4dn.xlarge", max_capacity=4)))
    est = cost.estimate(p, PARAMS)
    line = next(l for l in est.lines if l.type == "aws_sagemaker_endpoint")
    assert line.planned == Decimal("530.21")  # 0.7364 x 720
    assert line.maximum == Decimal("2120.83")  # 4 x 0.7364 x 720


def test_node_groups_planned_max_spot_and_usage_hours(tmp_path):
    doc = plan([node_group("infer", "inf2.xlarge", 1, 2),
                node_group("train", "trn1.32xlarge", 0, 4, capacity="SPOT"),
                node_group("batch", "trn1.2xlarge", 1, 2, capacity="SPOT")])
    usage = tmp_path / "usage.yaml"
    usage.write_text("version: 1\nresources:\n  aws_eks_node_group.train:\n    hours_per_month: 100\n    instances: 2\n")
    est = cost.estimate(plan_module.loads(json.dumps(doc)), PARAMS, usage=cost.load_usage(usage))
    lines = {l.address: l for l in est.lines}
    infer, train, batch = lines["aws_eks_node_group.infer"], lines["aws_eks_node_group.train"], lines["aws_eks_node_group.batch"]
    assert (infer.planned, infer.maximum) == (Decimal("545.90"), Decimal("1091.81"))
    # SPOT at 40 % of on-demand planned (2 instances x 100 h); maximum at on-demand, full month
    assert train.planned == Decimal("1720.00") and train.maximum == Decimal("61920.00")
    assert batch.planned == Decimal("387.00")  # 1.34375 x 720 x 0.4
    assert any("SPOT" in a for a in est.assumptions)


def test_missing_price_is_not_priced_never_zero():
    doc = plan([node_group("gpu", "p3dn.24xlarge", 1, 1)])
    est = cost.estimate(plan_module.loads(json.dumps(doc)), PARAMS)
    line = est.lines[0]
    assert line.status == cost.NOT_PRICED and line.planned is None and "ec2:p3dn.24xlarge" in line.reason
    assert est.to_dict()["totals"]["complete"] is False


def test_unknown_capacity_is_not_priced():
    rc = node_group("x", "inf2.xlarge", 1, 2)
    rc["change"]["after"]["scaling_config"][0]["max_size"] = None
    rc["change"]["after_unknown"] = {"scaling_config": [{"max_size": True}]}
    est = cost.estimate(plan_module.loads(json.dumps(plan([rc]))), PARAMS)
    assert est.lines[0].status == cost.NOT_PRICED and "after apply" in est.lines[0].reason


def test_interface_endpoint_per_az_from_referenced_subnets_and_usage_lines():
    changes = [
        change("aws_subnet.private[0]", "aws_subnet", {"cidr_block": "10.0.0.0/24"}, index=0),
        change("aws_subnet.private[1]", "aws_subnet", {"cidr_block": "10.0.1.0/24"}, index=1),
        change("aws_vpc_endpoint.bedrock", "aws_vpc_endpoint", {"vpc_endpoint_type": "Interface"},
               unknown={"subnet_ids": True}),
        change("aws_vpc_endpoint.s3", "aws_vpc_endpoint", {"vpc_endpoint_type": "Gateway"}),
        change("aws_nat_gateway.this", "aws_nat_gateway", {}),
        change("aws_kms_key.this", "aws_kms_key", {}),
        change("aws_eks_cluster.this", "aws_eks_cluster", {"name": "c"}),
        change("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group", {"name": "app"}),
        change("aws_iam_role.x", "aws_iam_role", {"name": "x"}),
        change("aws_lambda_function.f", "aws_lambda_function", {"function_name": "f"}),
    ]
    resources = [config("aws_vpc_endpoint.bedrock", "aws_vpc_endpoint", "bedrock",
                        {"subnet_ids": ref("aws_subnet.private[*].id", "aws_subnet.private")})]
    est = cost.estimate(plan_module.loads(json.dumps(plan(changes, resources))), PARAMS)
    lines = {l.address: l for l in est.lines}
    assert lines["aws_vpc_endpoint.bedrock"].planned == Decimal("14.40")  # 2 AZ x 0.01 x 720
    assert lines["aws_vpc_endpoint.s3"].status == cost.FREE
    assert lines["aws_nat_gateway.this"].planned == Decimal("32.40")
    assert lines["aws_kms_key.this"].planned == Decimal("1.00")
    assert lines["aws_eks_cluster.this"].planned == Decimal("72.00")
    assert lines["aws_cloudwatch_log_group.app"].status == cost.USAGE_REQUIRED
    assert lines["aws_iam_role.x"].status == cost.FREE
    assert lines["aws_lambda_function.f"].status == cost.NOT_PRICED
    data = est.to_dict()
    assert any("No usage file" in n for n in data["notes"])
    assert data["free"] == {"aws_iam_role": 1, "aws_subnet": 2, "aws_vpc_endpoint": 1}


def test_usage_per_type_and_glob(tmp_path):
    changes = [change("module.b.aws_s3_bucket.logs", "aws_s3_bucket", {"bucket": "l"}, module="module.b"),
               change("aws_s3_bucket.data", "aws_s3_bucket", {"bucket": "d"}),
               change("aws_cloudwatch_log_group.app", "aws_cloudwatch_log_group", {"name": "app"}),
               change("aws_nat_gateway.this", "aws_nat_gateway", {})]
    usage = tmp_path / "u.yaml"
    usage.write_text("version: 1\nresources:\n  'module.b.*':\n    storage_gb: 1000\n"
                     "types:\n  aws_s3_bucket: {storage_gb: 10}\n  aws_cloudwatch_log_group: {ingest_gb: 4}\n"
                     "  aws_nat_gateway: {processed_gb: 100}\n")
    est = cost.estimate(plan_module.loads(json.dumps(plan(changes))), PARAMS, usage=cost.load_usage(usage))
    lines = {l.address: l for l in est.lines}
    assert lines["module.b.aws_s3_bucket.logs"].planned == Decimal("23.00")
    assert lines["aws_s3_bucket.data"].planned == Decimal("0.23")
    assert lines["aws_cloudwatch_log_group.app"].planned == Decimal("2.00")
    assert lines["aws_nat_gateway.this"].planned == Decimal("36.90")  # 32.40 + 100 x 0.045
    modules = {m["module"]: m["planned"] for m in est.modules()}
    assert modules == {"module.b": 23.0, "(root module)": 39.13}


def test_budgets_known_unknown_and_ignored():
    changes = [budget("ok", 1500), budget("later", 0, unknown=True),
               change("aws_budgets_budget.usage", "aws_budgets_budget",
                      {"budget_type": "USAGE", "time_unit": "MONTHLY", "limit_amount": "5", "limit_unit": "GB"})]
    budgets = cost.monthly_cost_budgets(plan_module.loads(json.dumps(plan(changes))))
    assert [(b.address, b.limit) for b in budgets] == [("aws_budgets_budget.ok", Decimal("1500")),
                                                       ("aws_budgets_budget.later", None)]


def test_estimate_is_computed_once_per_plan():
    p = plan_module.loads(json.dumps(plan([node_group("a", "inf2.xlarge", 1, 1)])))
    first = cost.estimate_for(p, PARAMS)
    assert cost.estimate_for(p, PARAMS) is first


@pytest.mark.parametrize("text,path,problem", [
    ("version: x\ncurrency: USD\nregion: us-east-1\nprices: []\n", "prices", "should be non-empty"),
    ("version: '1'\ncurrency: USD\nregion: us-east-1\nprices:\n  - {key: 'ec2:a.b', unit: hour, price: -1, region: us-east-1, "
     "currency: USD, effective_date: '2024-01-01', source: 'https://x.example'}\n", "prices[0].price", "less than or equal"),
    ("version: '1'\ncurrency: USD\nregion: us-east-1\nprices:\n  - {key: 'ec2:a.b', unit: hour, price: 1, region: us-east-1, "
     "currency: USD, effective_date: '2024-01-01', source: 'https://x.example'}\n"
     "  - {key: 'ec2:a.b', unit: hour, price: 2, region: us-east-1, "
     "currency: USD, effective_date: '2024-01-01', source: 'https://x.example'}\n", "prices[1].key", "duplicate"),
])
def test_malformed_prices_name_file_path_problem(tmp_path, text, path, problem):
    f = tmp_path / "prices.yaml"
    f.write_text(text)
    with pytest.raises(DataFileError) as err:
        cost.load_prices(f)
    assert err.value.file == str(f) and err.value.path == path and problem in err.value.problem


def test_malformed_usage_is_exit_2_naming_file_and_path(example, cli, tmp_path):
    plan_file, prices, _ = example
    bad = tmp_path / "usage.yaml"
    bad.write_text("version: 1\ntypes:\n  aws_s3_bucket:\n    storage_gb: lots\n")
    run = cli("cost", plan_file, "--prices", prices, "--usage", bad)
    assert run.code == 2
    assert str(bad) in run.err and "types.aws_s3_bucket.storage_gb" in run.err and "not of type 'number'" in run.err
    bad_prices = tmp_path / "p.yaml"
    bad_prices.write_text("version: '1'\ncurrency: USD\nregion: us-east-1\nprices: []\n")
    run = cli("check", plan_file, "--no-builtin", "--prices", bad_prices, "-q")
    assert run.code == 2 and f"{bad_prices}: at prices: " in run.err and "non-empty" in run.err


def test_shipped_prices_and_usage_example_are_valid():
    book = cost.load_prices()
    assert book.get("ec2:trn1.32xlarge", "us-east-1").price == Decimal("21.50")
    for entry in book.entries.values():
        assert entry.source and entry.effective_date
    usage = cost.load_usage(Path(cost.POLICIES_DIR / "usage.example.yaml"))
    assert usage.provided and usage.bedrock


def _own_rules(tmp_path):
    import shutil

    target = tmp_path / "pack" / "cost_optimization"
    target.mkdir(parents=True)
    for folder in (cost.POLICIES_DIR / "cost_optimization").glob("LZ-COST-1*"):
        shutil.copytree(folder, target / folder.name)
    return tmp_path / "pack"


def test_worst_case_rule_fails_the_gate_naming_the_node_group(tmp_path, cli):
    doc = plan([budget("workload", 10000), node_group("training", "trn1.32xlarge", 0, 4, capacity="SPOT")])
    plan_file = write(tmp_path / "trn.plan.json", doc)
    out = tmp_path / "report.json"
    run = cli("check", plan_file, "--no-builtin", "--policies", _own_rules(tmp_path), "--output", out)
    assert run.code == 1, run.err
    assert "LZ-COST-102" in run.err
    report = json.loads(out.read_text())
    worst = next(f for f in report["findings"] if f["rule_id"] == "LZ-COST-102")
    assert worst["status"] == "fail" and worst["address"] == "aws_budgets_budget.workload"
    assert "aws_eks_node_group.training alone is $62,780.00/month" in worst["message"]  # 4 x 21.50 x 730
    assert "$10,000.00" in worst["message"]
    assert report["cost"]["totals"] == {"planned": 0.0, "maximum": 62780.0, "fixed_run_rate": 0.0, "complete": True}
    fit = next(f for f in report["findings"] if f["rule_id"] == "LZ-COST-101")
    assert fit["status"] == "pass"


def test_cost_rules_unknown_when_the_budget_limit_is_unknown(tmp_path, cli):
    doc = plan([budget("later", 0, unknown=True), node_group("infer", "inf2.xlarge", 1, 1)])
    plan_file = write(tmp_path / "u.plan.json", doc)
    out = tmp_path / "report.json"
    cli("check", plan_file, "--no-builtin", "--policies", _own_rules(tmp_path), "--output", out, "-q")
    statuses = {f["rule_id"]: f["status"] for f in json.loads(out.read_text())["findings"]}
    assert statuses == {"LZ-COST-101": "unknown", "LZ-COST-102": "unknown"}


def test_reports_carry_the_cost_section(tmp_path, cli, example):
    from jsonschema import Draft202012Validator

    from checks.report import cost_section

    plan_file, prices, usage = example
    out = tmp_path / "reports"
    run = cli("check", plan_file, "--no-builtin", "--prices", prices, "--usage", usage,
              "--format", "json", "--format", "markdown", "--output", out, "-q")
    assert run.code == 0, run.err
    report = json.loads((out / "report.json").read_text())
    schema = json.loads((cost.POLICIES_DIR / "schemas" / "report.schema.json").read_text())
    Draft202012Validator(schema).validate(report)
    assert report["cost"]["totals"]["planned"] == 1047.12
    md = (out / "report.md").read_text()
    assert "## Monthly cost estimate" in md and "**Planned $1,047.12**" in md and "730 h a month" in md
    page = cost_section.html(report["cost"])
    assert page.count("<svg") == 1 and "<rect" in page and "Assumptions" in page and "$1,047.12" in page


PRICING_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pricing"


class _FakePricing:
    """A pricing client whose GetProducts pages are stored responses (the API's real shape)."""

    def __init__(self, responses):
        self.responses = responses
        self.calls = []

    def get_paginator(self, name):
        assert name == "get_products"
        client = self

        class Paginator:
            def paginate(self, **kwargs):
                client.calls.append(kwargs)
                return [client.responses.get(kwargs["ServiceCode"], {"PriceList": []})]

        return Paginator()


def test_parse_price_list_reads_the_real_getproducts_shape():
    response = json.loads((PRICING_FIXTURES / "get_products_ec2_inf2.json").read_text())
    assert all(isinstance(item, str) for item in response["PriceList"])  # JSON strings, as the API returns
    spec = cost._refresh_spec("ec2:inf2.xlarge", "us-east-1")
    assert spec[0] == "AmazonEC2"
    assert cost.parse_price_list(response["PriceList"], spec[2]) == (Decimal("0.7582"), "2025-11-01", "Hrs")
    other = json.loads((PRICING_FIXTURES / "get_products_nat_s3.json").read_text())
    s3 = cost._refresh_spec("s3:standard-gb-month", "us-east-1")
    assert cost.parse_price_list(other["PriceList"], s3[2])[0] == Decimal("0.023")  # first tier, not the cheapest


def test_refresh_prices_rebuilds_keeps_and_leaves_out(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "version: '1'\ncurrency: USD\nregion: us-east-1\nprices:\n"
        "  - {key: 'ec2:inf2.xlarge', unit: hour, price: 0.5, region: us-east-1, currency: USD, effective_date: '2024-01-01', source: 'https://old.example'}\n"
        "  - {key: 'nat:hour', unit: hour, price: 0.04, region: us-east-1, currency: USD, effective_date: '2024-01-01', source: 'https://old.example'}\n"
        "  - {key: 'glue:dpu-hour', unit: dpu-hour, price: 0.44, region: us-east-1, currency: USD, effective_date: '2024-01-01', source: 'https://old.example'}\n"
        "  - {key: 'kms:key', unit: month, price: 1, region: us-east-1, currency: USD, effective_date: '2024-01-01', source: 'https://old.example'}\n")
    stored = [json.loads((PRICING_FIXTURES / name).read_text())["PriceList"]
              for name in ("get_products_ec2_inf2.json", "get_products_nat_s3.json")]
    client = _FakePricing({"AmazonEC2": {"FormatVersion": "aws_v1", "PriceList": stored[0] + stored[1]}})
    document, messages = cost.refresh_prices(cost.load_prices(prices), "us-east-1", client, "2026-11-25")
    from checks.schema import validate_data

    validate_data("prices.schema.json", document, "refreshed")
    entries = {e["key"]: e for e in document["prices"]}
    assert entries["ec2:inf2.xlarge"]["price"] == 0.7582 and entries["ec2:inf2.xlarge"]["effective_date"] == "2025-11-01"
    assert "GetProducts" in entries["ec2:inf2.xlarge"]["source"]
    assert entries["nat:hour"]["price"] == 0.045
    assert entries["glue:dpu-hour"]["source"] == "https://old.example"  # not refreshable: kept
    assert entries["kms:key"]["price"] == 1.0  # no price returned: kept, reported
    assert any("kms:key" in m for m in messages)
    ec2_call = next(c for c in client.calls if c["ServiceCode"] == "AmazonEC2" and
                    {"Type": "TERM_MATCH", "Field": "instanceType", "Value": "inf2.xlarge"} in c["Filters"])
    assert {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"} in ec2_call["Filters"]


def test_prices_refresh_without_credentials_is_exit_2(cli, monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    run = cli("prices", "refresh", "--region", "us-east-1")
    assert run.code == 2 and "credentials" in run.err
