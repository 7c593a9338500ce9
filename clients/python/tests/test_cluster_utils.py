"""ClusterUtils on plain dicts (no cluster)."""

from __future__ import annotations

import copy
import logging
from typing import Any, Dict

import pytest

from python_client import constants
from python_client.utils import kuberay_cluster_utils
from python_client.utils.kuberay_cluster_utils import ClusterUtils, InvalidClusterSpecError

utils = ClusterUtils()


def small_cluster() -> Dict[str, Any]:
    cluster = utils.populate_meta({}, name="c1", k8s_namespace="ns1", labels={"team": "a"}, ray_version="2.52.0")
    cluster, ok = utils.populate_ray_head(
        cluster,
        ray_image="rayproject/ray:2.52.0",
        service_type="ClusterIP",
        cpu_requests="1",
        memory_requests="1G",
        cpu_limits="2",
        memory_limits="2G",
        ray_start_params={"block": "true"},
    )
    assert ok
    group, ok = utils.populate_worker_group(
        "workers", "rayproject/ray:2.52.0", ["/bin/bash", "-lc"], "busybox:1.28", "1", "1G", "2", "2G", 1, 0, 3, {}
    )
    assert ok and group is not None
    cluster["spec"]["workerGroupSpecs"] = [group]
    return cluster


def test_populate_meta_sets_the_wire_names() -> None:
    cluster = utils.populate_meta({}, name="my-cluster", k8s_namespace="team", labels={"a": "b"}, ray_version="2.9.0")
    assert cluster == {
        "apiVersion": "ray.io/v1",
        "kind": "RayCluster",
        "metadata": {"name": "my-cluster", "namespace": "team", "labels": {"a": "b"}},
        "spec": {"rayVersion": "2.9.0"},
    }
    assert constants.GROUP == "ray.io" and constants.CLUSTER_VERSION == constants.JOB_VERSION == "v1"
    assert (constants.CLUSTER_PLURAL, constants.JOB_PLURAL) == ("rayclusters", "rayjobs")
    assert (constants.CLUSTER_KIND, constants.JOB_KIND) == ("RayCluster", "RayJob")


@pytest.mark.parametrize("name", ["Upper", "a", "-lead", "trail-", "has_underscore", "x" * 64])
def test_populate_meta_refuses_an_invalid_name_naming_the_field(name: str) -> None:
    with pytest.raises(InvalidClusterSpecError, match="metadata.name"):
        utils.populate_meta({}, name=name, k8s_namespace="default", labels=None, ray_version="2.9.0")
    # KubeRay raises AssertionError there: code catching that still works.
    with pytest.raises(AssertionError):
        utils.populate_meta({}, name=name, k8s_namespace="default", labels=None, ray_version="2.9.0")


def test_head_has_kuberay_ports_resources_and_log_volume() -> None:
    cluster = small_cluster()
    head = cluster["spec"]["headGroupSpec"]
    assert head["serviceType"] == "ClusterIP"
    assert head["rayStartParams"] == {"block": "true"}
    container = head["template"]["spec"]["containers"][0]
    assert container["name"] == "ray-head"
    assert [(p["name"], p["containerPort"]) for p in container["ports"]] == [
        ("gcs-server", 6379),
        ("dashboard", 8265),
        ("client", 10001),
    ]
    assert container["resources"] == {"requests": {"cpu": "1", "memory": "1G"}, "limits": {"cpu": "2", "memory": "2G"}}
    assert container["volumeMounts"] == [{"mountPath": "/tmp/ray", "name": "ray-logs"}]
    assert head["template"]["spec"]["volumes"] == [{"name": "ray-logs", "emptyDir": {}}]


def test_head_with_a_missing_value_fails_and_logs_the_field(caplog: pytest.LogCaptureFixture) -> None:
    cluster = utils.populate_meta({}, name="c1", k8s_namespace="ns", labels=None, ray_version="2.9.0")
    with caplog.at_level(logging.ERROR):
        out, ok = utils.populate_ray_head(cluster, "img", "ClusterIP", "", "1G", "1", "1G", {"block": "true"})
    assert not ok and out is cluster and "headGroupSpec" not in cluster["spec"]
    assert "cpu_requests is empty" in caplog.text


def test_head_before_meta_fails(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        _, ok = utils.populate_ray_head({"x": 1}, "img", "ClusterIP", "1", "1G", "1", "1G", {"block": "true"})
    assert not ok
    assert "populate_meta" in caplog.text


def test_worker_group_shape() -> None:
    group = small_cluster()["spec"]["workerGroupSpecs"][0]
    assert (group["groupName"], group["replicas"], group["minReplicas"], group["maxReplicas"]) == ("workers", 1, 0, 3)
    container = group["template"]["spec"]["containers"][0]
    assert container["name"] == "ray-worker"
    assert container["command"] == ["/bin/bash", "-lc"]
    assert container["lifecycle"] == {"preStop": {"exec": {"command": ["/bin/sh", "-c", "ray stop"]}}}


def test_worker_group_refuses_bad_counts_and_names() -> None:
    args: Dict[str, Any] = dict(
        ray_image="img", ray_command=["bash"], init_image="busybox", cpu_requests="1", memory_requests="1G",
        cpu_limits="1", memory_limits="1G", ray_start_params={},
    )
    with pytest.raises(InvalidClusterSpecError, match="maxReplicas: 1 is less than minReplicas 2"):
        utils.populate_worker_group("ws", replicas=1, min_replicas=2, max_replicas=1, **args)
    with pytest.raises(InvalidClusterSpecError, match="replicas: -1"):
        utils.populate_worker_group("ws", replicas=-1, min_replicas=0, max_replicas=1, **args)
    with pytest.raises(InvalidClusterSpecError, match="groupName"):
        utils.populate_worker_group("Bad_Name", replicas=1, min_replicas=0, max_replicas=1, **args)
    group, ok = utils.populate_worker_group("ws", replicas=1, min_replicas=0, max_replicas=0, **args)
    assert (group, ok) == (None, False)


def test_update_worker_group_replicas() -> None:
    cluster = small_cluster()
    out, ok = utils.update_worker_group_replicas(cluster, group_name="workers", max_replicas=4, min_replicas=1, replicas=2)
    assert ok and out is cluster
    group = cluster["spec"]["workerGroupSpecs"][0]
    assert (group["replicas"], group["minReplicas"], group["maxReplicas"]) == (2, 1, 4)
    # Scaling to zero is allowed.
    _, ok = utils.update_worker_group_replicas(cluster, group_name="workers", max_replicas=4, min_replicas=0, replicas=0)
    assert ok and cluster["spec"]["workerGroupSpecs"][0]["replicas"] == 0
    _, ok = utils.update_worker_group_replicas(cluster, group_name="nope", max_replicas=4, min_replicas=1, replicas=2)
    assert not ok
    with pytest.raises(InvalidClusterSpecError, match="spec.workerGroupSpecs"):
        utils.update_worker_group_replicas({"spec": {}}, group_name="w", max_replicas=1, min_replicas=0, replicas=1)


def test_update_worker_group_resources_first_named_and_all_containers() -> None:
    cluster = small_cluster()
    containers = cluster["spec"]["workerGroupSpecs"][0]["template"]["spec"]["containers"]
    containers.append({"name": "sidecar", "image": "busybox"})
    _, ok = utils.update_worker_group_resources(cluster, "workers", "3", "3G", "4", "4G")
    assert ok
    assert containers[0]["resources"] == {"requests": {"cpu": "3", "memory": "3G"}, "limits": {"cpu": "4", "memory": "4G"}}
    assert "resources" not in containers[1]
    _, ok = utils.update_worker_group_resources(cluster, "workers", "5", "5G", "6", "6G", container_name="sidecar")
    assert ok and containers[1]["resources"]["limits"] == {"cpu": "6", "memory": "6G"}
    assert containers[0]["resources"]["limits"]["cpu"] == "4"
    _, ok = utils.update_worker_group_resources(cluster, "workers", "7", "7G", "8", "8G", container_name="all_containers")
    assert ok and all(c["resources"]["requests"] == {"cpu": "7", "memory": "7G"} for c in containers)
    _, ok = utils.update_worker_group_resources(cluster, "workers", "7", "7G", "8", "8G", container_name="ghost")
    assert not ok
    _, ok = utils.update_worker_group_resources(cluster, "other", "7", "7G", "8", "8G")
    assert not ok


def test_duplicate_and_delete_worker_group() -> None:
    cluster = small_cluster()
    _, ok = utils.duplicate_worker_group(cluster, "workers", "workers-2")
    assert ok
    groups = cluster["spec"]["workerGroupSpecs"]
    assert [g["groupName"] for g in groups] == ["workers", "workers-2"]
    groups[1]["replicas"] = 9
    assert groups[0]["replicas"] == 1, "the duplicate is a deep copy"
    _, ok = utils.duplicate_worker_group(cluster, "missing", "other")
    assert not ok
    _, ok = utils.delete_worker_group(cluster, "workers")
    assert ok and [g["groupName"] for g in groups] == ["workers-2"]
    _, ok = utils.delete_worker_group(cluster, "workers")
    assert not ok


def test_edits_keep_input_of_other_groups_untouched() -> None:
    cluster = small_cluster()
    before = copy.deepcopy(cluster)
    utils.update_worker_group_replicas(cluster, "missing", 1, 0, 1)
    assert cluster == before


@pytest.mark.parametrize(
    "name,valid_name,valid_label",
    [("ab", True, True), ("a.b-c", True, True), ("a_b", False, True), ("A", False, False), ("a", False, False), ("x" * 63, True, True), ("x" * 64, False, False)],
)
def test_is_valid_name_and_label(name: str, valid_name: bool, valid_label: bool) -> None:
    assert utils.is_valid_name(name) is valid_name
    assert utils.is_valid_label(name) is valid_label


def test_module_exposes_kuberay_names() -> None:
    assert kuberay_cluster_utils.ClusterUtils is ClusterUtils
