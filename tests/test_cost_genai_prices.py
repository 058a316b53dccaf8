"""Cost estimate of what the landing zone plans: 730-hour months, flat alarm prices, guardrail
text units, Bedrock provisioned throughput, SageMaker Inferentia/Trainium hosting, the 2025
P4d/P5 prices and the default usage file of a plan's environment."""
from __future__ import annotations

from decimal import Decimal

import pytest

from checks import cost, plan as plan_module
from checks.schema import load_yaml
from cost_plans_helpers import change, plan

PRICES = cost.load_prices()


def _estimate(doc: dict, usage: cost.Usage | None = None, params: dict | None = None) -> cost.Estimate:
    return cost.estimate(plan_module.loads(__import__("json").dumps(doc)), params or {}, PRICES, usage)


def _line(est: cost.Estimate, address: str) -> cost.Line:
    return next(l for l in est.lines if l.address == address)


def test_a_month_is_730_hours_by_default_and_in_the_repository_params():
    assert cost.Settings.from_params({}).hours_per_month == 730
    params = load_yaml(cost.POLICIES_DIR / "params.yaml", "params.schema.json")
    assert cost.Settings.from_params(params).hours_per_month == 730


def test_an_hourly_resource_is_priced_for_730_hours():
    doc = plan([change("aws_eks_cluster.c", "aws_eks_cluster", {"name": "c"})])
    line = _line(_estimate(doc), "aws_eks_cluster.c")
    assert line.planned == Decimal("73.00")  # 0.10 x 730


@pytest.mark.parametrize("period, expected, key", [
    (300, Decimal("0.10"), "cloudwatch:alarm-standard"),
    (60, Decimal("0.10"), "cloudwatch:alarm-standard"),
    (10, Decimal("0.30"), "cloudwatch:alarm-high-resolution"),
])
def test_an_alarm_is_priced_flat_per_alarm_month(period, expected, key):
    doc = plan([change("aws_cloudwatch_metric_alarm.a", "aws_cloudwatch_metric_alarm",
                       {"alarm_name": "a", "period": period, "metric_name": "Errors"})])
    line = _line(_estimate(doc), "aws_cloudwatch_metric_alarm.a")
    assert line.status == cost.PRICED and line.planned == expected and line.price_keys == [key]


def _guardrail(pii: bool = True) -> dict:
    after = {"name": "g", "content_policy_config": [{"filters_config": [{"type": "HATE"}]}],
             "word_policy_config": [{"managed_word_lists_config": [{"type": "PROFANITY"}]}],
             "sensitive_information_policy_config": [{"pii_entities_config": [{"type": "EMAIL"}]}] if pii else []}
    return change("aws_bedrock_guardrail.g", "aws_bedrock_guardrail", after)


def test_a_guardrail_is_priced_per_text_unit_of_each_paid_policy():
    usage = cost.Usage(file="u.yaml", resources={"aws_bedrock_guardrail.g": {"text_units_per_month": 300000}})
    line = _line(_estimate(plan([_guardrail()]), usage), "aws_bedrock_guardrail.g")
    # 300 x 1K text units x ($0.15 content filter + $0.10 sensitive information); word filters are free
    assert line.status == cost.PRICED and line.planned == Decimal("75.00")
    assert line.price_keys == ["bedrock-guardrail:content-filter", "bedrock-guardrail:sensitive-information"]
    only_content = _line(_estimate(plan([_guardrail(pii=False)]), usage), "aws_bedrock_guardrail.g")
    assert only_content.planned == Decimal("45.00")


def test_a_guardrail_without_text_units_asks_for_them():
    line = _line(_estimate(plan([_guardrail()])), "aws_bedrock_guardrail.g")
    assert line.status == cost.USAGE_REQUIRED and "text_units_per_month" in line.reason


def test_provisioned_throughput_is_model_units_times_the_hourly_price_all_month():
    doc = plan([change("aws_bedrock_provisioned_model_throughput.pt", "aws_bedrock_provisioned_model_throughput",
                       {"provisioned_model_name": "pt", "model_units": 2, "commitment_duration": "OneMonth",
                        "model_arn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1"})])
    line = _line(_estimate(doc), "aws_bedrock_provisioned_model_throughput.pt")
    assert line.status == cost.PRICED and line.planned == Decimal("26864.00")  # 2 x 18.40 x 730
    assert line.price_keys == ["bedrock-pt:amazon.titan-text-express-v1:1-month"] and line.capacity


def test_sagemaker_inferentia_and_trainium_hosting_and_2025_gpu_prices_are_listed():
    for key in ("sagemaker:ml.inf2.xlarge", "sagemaker:ml.inf2.8xlarge", "sagemaker:ml.trn1.2xlarge",
                "sagemaker:ml.trn1.32xlarge"):
        assert PRICES.get(key, "us-east-1") is not None, key
    # after the June 2025 P4d/P5 on-demand price reduction (was $98.32 and $32.77)
    assert PRICES.get("ec2:p5.48xlarge", "us-east-1").price == Decimal("55.04")
    assert PRICES.get("ec2:p4d.24xlarge", "us-east-1").price == Decimal("21.96")


def _env_plan(environment: str | None) -> dict:
    doc = plan([_guardrail()])
    if environment is not None:
        doc["variables"] = {"environment": {"value": environment}}
    return doc


def test_the_default_usage_file_of_the_plans_environment_prices_bedrock_tokens(tmp_path):
    est = _estimate(_env_plan("dev"))
    assert est.usage.provided and est.usage.file.endswith("policies/usage/dev.yaml")
    tokens = [l for l in est.lines if l.type == "bedrock_on_demand"]
    assert tokens and all(l.status == cost.PRICED for l in tokens)
    assert sum(l.planned for l in tokens) > Decimal("100")
    assert any("dev.yaml" in a for a in est.assumptions)


def test_an_explicit_usage_file_wins_and_no_environment_means_no_default(tmp_path):
    explicit = tmp_path / "u.yaml"
    explicit.write_text("version: 1\n", encoding="utf-8")
    est = _estimate(_env_plan("dev"), cost.load_usage(explicit))
    assert est.usage.file == str(explicit) and not [l for l in est.lines if l.type == "bedrock_on_demand"]
    assert not _estimate(_env_plan(None)).usage.provided
    assert not _estimate(_env_plan("../../etc")).usage.provided
    assert not _estimate(_env_plan("staging")).usage.provided  # no policies/usage/staging.yaml


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_default_usage_files_validate_and_name_approved_models(env):
    usage = cost.load_usage(cost.DEFAULT_USAGE_DIR / f"{env}.yaml")
    params = load_yaml(cost.POLICIES_DIR / "params.yaml", "params.schema.json")
    approved = {str(m) for m in params["approved_model_ids"]}
    models = {entry["model"] for entry in usage.bedrock}
    assert models and models <= approved
    for model in models:
        assert PRICES.get(f"bedrock:{model}:input", "us-east-1") is not None
