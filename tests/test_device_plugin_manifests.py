"""The Neuron and EFA device plugin manifests shipped with modules/accelerated-compute.

Without the Neuron device plugin no pod can request aws.amazon.com/neuron, without the EFA
device plugin none can request vpc.amazonaws.com/efa. They are Kubernetes objects applied
after the cluster exists (`kubectl apply -k modules/accelerated-compute/manifests`); these
tests check that the files are valid objects, that the images are pinned, and that the
DaemonSets land on the nodes the landing zone plans (taint, instance types).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from test_landing_zone_gate import _landing_zone_plan

MANIFESTS = REPO / "modules" / "accelerated-compute" / "manifests"
NEURON_TAINT = "aws.amazon.com/neuron"
# Neuron docs: trn1.32xlarge 8 EFA devices, trn1n.32xlarge 16; trn2.48xlarge 16.
EFA_TYPES = {"trn1.32xlarge", "trn1n.32xlarge", "trn2.48xlarge"}
API_VERSIONS = {
    "ServiceAccount": "v1",
    "ClusterRole": "rbac.authorization.k8s.io/v1",
    "ClusterRoleBinding": "rbac.authorization.k8s.io/v1",
    "DaemonSet": "apps/v1",
}
# name[:port]/path:tag, the tag a version (no latest), or a digest.
PINNED_IMAGE = re.compile(r"^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+(:v?[0-9]+(\.[0-9]+){1,3}(-[0-9A-Za-z.]+)?|@sha256:[0-9a-f]{64})$")


def load(name: str) -> list[dict]:
    with (MANIFESTS / name).open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def manifest_files() -> list[Path]:
    return sorted(p for p in MANIFESTS.glob("*.yaml") if p.name != "kustomization.yaml")


def daemonset(name: str) -> dict:
    return next(d for d in load(name) if d["kind"] == "DaemonSet")


def instance_types(ds: dict) -> set[str]:
    terms = ds["spec"]["template"]["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    return {v for term in terms for e in term["matchExpressions"] if e["key"] == "node.kubernetes.io/instance-type" for v in e["values"]}


def test_kustomization_applies_every_manifest():
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text(encoding="utf-8"))
    assert kustomization["kind"] == "Kustomization"
    assert sorted(kustomization["resources"]) == [p.name for p in manifest_files()]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_every_document_is_a_kubernetes_object(path):
    docs = load(path.name)
    assert docs
    for doc in docs:
        assert doc["kind"] in API_VERSIONS, doc["kind"]
        assert doc["apiVersion"] == API_VERSIONS[doc["kind"]]
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", doc["metadata"]["name"])
        if doc["kind"] in ("ServiceAccount", "DaemonSet"):
            assert doc["metadata"]["namespace"] == "kube-system"


def test_the_expected_objects_are_shipped():
    assert [d["kind"] for d in load("neuron-device-plugin.yaml")] == ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet"]
    assert [d["kind"] for d in load("efa-device-plugin.yaml")] == ["DaemonSet"]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_images_are_pinned(path):
    containers = [c for d in load(path.name) if d["kind"] == "DaemonSet" for c in d["spec"]["template"]["spec"]["containers"]]
    assert containers
    for container in containers:
        image = container["image"]
        assert PINNED_IMAGE.match(image), f"{path.name}: image {image!r} is not pinned to a version or digest"
        assert not image.endswith(":latest")
        assert container.get("imagePullPolicy") != "Always"


@pytest.mark.parametrize("name", ["neuron-device-plugin.yaml", "efa-device-plugin.yaml"])
def test_daemonset_is_consistent_and_tolerates_the_neuron_taint(name):
    ds = daemonset(name)
    spec = ds["spec"]
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    tolerations = spec["template"]["spec"]["tolerations"]
    assert any(t["key"] == NEURON_TAINT and t["operator"] == "Exists" and t["effect"] == "NoSchedule" for t in tolerations), \
        "the accelerator nodes are tainted: a plugin that does not tolerate the taint never runs where it is needed"
    mounts = {m["mountPath"] for c in spec["template"]["spec"]["containers"] for m in c["volumeMounts"]}
    assert "/var/lib/kubelet/device-plugins" in mounts, "a device plugin registers through the kubelet's socket directory"


def test_module_taints_the_nodes_with_the_key_the_plugins_tolerate():
    main = (REPO / "modules" / "accelerated-compute" / "main.tf").read_text(encoding="utf-8")
    assert f'key = "{NEURON_TAINT}"' in main and '"NO_SCHEDULE"' in main


def test_neuron_plugin_service_account_is_bound_to_its_role():
    docs = {d["kind"]: d for d in load("neuron-device-plugin.yaml")}
    ds_account = docs["DaemonSet"]["spec"]["template"]["spec"]["serviceAccountName"]
    binding = docs["ClusterRoleBinding"]
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": docs["ClusterRole"]["metadata"]["name"]}
    assert {"kind": "ServiceAccount", "name": ds_account, "namespace": "kube-system"} in binding["subjects"]
    assert docs["ServiceAccount"]["metadata"]["name"] == ds_account
    rules = {(r["resources"][0], v) for r in docs["ClusterRole"]["rules"] for v in r["verbs"]}
    assert ("nodes/status", "patch") in rules, "the plugin updates the node's allocatable Neuron resources"
    assert not any("*" in r["verbs"] or "*" in r["resources"] for r in docs["ClusterRole"]["rules"])


def test_efa_plugin_runs_on_every_efa_instance_type():
    assert instance_types(daemonset("efa-device-plugin.yaml")) >= EFA_TYPES


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_neuron_plugin_runs_on_every_accelerator_type_the_workload_plans(env):
    plan = _landing_zone_plan("workload", env)
    planned_types = {
        t
        for r in plan["resource_changes"]
        if r["type"] == "aws_eks_node_group" and r["index"] in ("inference", "training")
        for t in r["change"]["after"]["instance_types"]
    }
    assert planned_types
    missing = planned_types - instance_types(daemonset("neuron-device-plugin.yaml"))
    assert not missing, f"the Neuron device plugin would not run on {sorted(missing)}"
