"""Issue 23 item 2: aws_iam_policy_document composition (tests/fixtures/tf/precision_policy_composition).

A bucket policy built from a base document (the TLS-only Deny) through
``source_policy_documents``, with an ``override_policy_documents`` part; all three documents
are read at apply time (they name the bucket's ARN). Before, the TLS rule said unknown.
"""
from __future__ import annotations

from checks import rulekit
from precision_helpers import check, load, statuses


def test_composed_document_is_followed():
    plan = load("precision_policy_composition")
    doc = rulekit.policy_document(plan.get("aws_s3_bucket_policy.data"), "policy")
    assert doc.known and doc.via == "data.aws_iam_policy_document.combined"
    assert [st.get("Sid") for st in doc.statements] == ["DenyInsecureTransport", "Readers"]
    # the unknown bucket ARNs of the base document are traced to the planned bucket
    assert doc.resolved(0, "Resource")
    assert statuses(check(plan, ["LZ-SEC-019"]), "LZ-SEC-019") == {"aws_s3_bucket.data": "pass"}


def test_override_replaces_the_statement_of_the_same_sid():
    base = [{"Sid": "A", "Effect": "Deny"}, {"Sid": "", "Effect": "Allow"}]
    merged = rulekit.iam._merge_by_sid(base, [{"Sid": "A", "Effect": "Allow"}, {"Effect": "Deny"}])
    assert merged == [{"Sid": "A", "Effect": "Allow"}, {"Sid": "", "Effect": "Allow"}, {"Effect": "Deny"}]
