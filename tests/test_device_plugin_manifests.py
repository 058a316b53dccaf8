"""The Neuron and EFA device plugin and Cluster Autoscaler manifests shipped with modules/accelerated-compute.

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
    "Role": "rbac.authorization.k8s.io/v1",
    "RoleBinding": "rbac.authorization.k8s.io/v1",
    "DaemonSet": "apps/v1",
    "Deployment": "apps/v1",
}
WORKLOADS = ("DaemonSet", "Deployment")
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
        if doc["kind"] in ("ServiceAccount", "Role", "RoleBinding", *WORKLOADS):
            assert doc["metadata"]["namespace"] == "kube-system"


def test_the_expected_objects_are_shipped():
    assert [d["kind"] for d in load("neuron-device-plugin.yaml")] == ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet"]
    assert [d["kind"] for d in load("efa-device-plugin.yaml")] == ["DaemonSet"]
    assert [d["kind"] for d in load("cluster-autoscaler.yaml")] == [
        "ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "Deployment"]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: p.name)
def test_images_are_pinned(path):
    containers = [c for d in load(path.name) if d["kind"] in WORKLOADS for c in d["spec"]["template"]["spec"]["containers"]]
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


# --------------------------------------------------------------------------------------
# Cluster Autoscaler: what scales the non-production accelerator groups to zero and back

def autoscaler() -> dict[str, dict]:
    return {d["kind"]: d for d in load("cluster-autoscaler.yaml")}


def autoscaler_container() -> dict:
    return autoscaler()["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def module_default_kubernetes_version() -> str:
    variables = (REPO / "modules" / "accelerated-compute" / "variables.tf").read_text(encoding="utf-8")
    block = variables[variables.index('variable "kubernetes_version"'):]
    found = re.search(r'default\s*=\s*"([0-9]+\.[0-9]+)"', block)
    assert found, "modules/accelerated-compute kubernetes_version has no default"
    return found.group(1)


def test_autoscaler_image_matches_the_clusters_kubernetes_minor_version():
    image = autoscaler_container()["image"]
    assert image.startswith("registry.k8s.io/autoscaling/cluster-autoscaler:v")
    minor = ".".join(image.rsplit(":v", 1)[1].split(".")[:2])
    assert minor == module_default_kubernetes_version(), \
        "the cluster-autoscaler minor version must match the cluster's (kubernetes/autoscaler releases one per Kubernetes minor)"


def test_autoscaler_discovers_only_this_clusters_groups():
    container = autoscaler_container()
    args = container["command"]
    assert args[0] == "./cluster-autoscaler" and "--cloud-provider=aws" in args
    assert "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/$(CLUSTER_NAME)" in args
    assert "--balance-similar-node-groups" in args
    assert not any(a.startswith("--nodes=") for a in args), "--nodes conflicts with auto-discovery"
    assert "--skip-nodes-with-system-pods=false" not in args, "accelerator nodes run only DaemonSet pods of kube-system"
    env = {e["name"]: e["valueFrom"]["configMapKeyRef"] for e in container["env"]}
    main = (REPO / "modules" / "accelerated-compute" / "outputs.tf").read_text(encoding="utf-8")
    for name, key in (("CLUSTER_NAME", "cluster-name"), ("AWS_REGION", "region")):
        assert env[name] == {"name": "cluster-autoscaler-cluster", "key": key}
        assert f'"{key}"' in main, f"output cluster_autoscaler_configmap must write {key}"
    assert 'name = "cluster-autoscaler-cluster", namespace = "kube-system"' in main


def test_autoscaler_service_account_is_the_pod_identity_one_and_bound():
    docs = autoscaler()
    pod = docs["Deployment"]["spec"]["template"]["spec"]
    account = pod["serviceAccountName"]
    assert docs["ServiceAccount"]["metadata"] == {**docs["ServiceAccount"]["metadata"], "name": account, "namespace": "kube-system"}
    module = (REPO / "modules" / "accelerated-compute" / "cluster_autoscaler.tf").read_text(encoding="utf-8")
    assert f'service_account = "{account}"' in module and 'namespace       = "kube-system"' in module
    for binding in (docs["ClusterRoleBinding"], docs["RoleBinding"]):
        assert binding["roleRef"]["name"] == "cluster-autoscaler"
        assert {"kind": "ServiceAccount", "name": account, "namespace": "kube-system"} in binding["subjects"]
    rules = {(res, verb) for r in docs["ClusterRole"]["rules"] for res in r["resources"] for verb in r["verbs"]}
    assert {("pods/eviction", "create"), ("nodes", "update"), ("leases", "create")} <= rules
    assert not any("*" in r["verbs"] or "*" in r["resources"] for r in docs["ClusterRole"]["rules"])
    assert not any(t.get("key") == NEURON_TAINT for t in pod.get("tolerations", [])), \
        "the autoscaler runs on untainted system nodes, never on an accelerator node it may remove"
    assert pod["securityContext"]["runAsNonRoot"] is True
