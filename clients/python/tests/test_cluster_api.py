"""RayClusterApi against the local control plane and our operator (real Ray on the local node)."""

from __future__ import annotations

import logging
from typing import Any, Dict

import pytest

from conftest import eventually
from python_client import kuberay_cluster_api
from python_client.utils import kuberay_cluster_builder

pytestmark = pytest.mark.cluster


def unschedulable(name: str, ns: str) -> Dict[str, Any]:
    """A head-only cluster whose head asks for more CPU than the node has: it stays Pending, runs no Ray."""
    cluster = (
        kuberay_cluster_builder.ClusterBuilder()
        .build_meta(name=name, k8s_namespace=ns, labels={"purpose": "pending"})
        .build_head(cpu_requests="900", cpu_limits="900")
        .get_cluster()
    )
    return cluster


def test_create_get_list_patch_delete(namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    api = kuberay_cluster_api.RayClusterApi()
    body = unschedulable("crud", namespace)
    created = api.create_ray_cluster(body=body, k8s_namespace=namespace)
    assert created["metadata"]["name"] == "crud" and created["metadata"]["uid"]

    got = api.get_ray_cluster(name="crud", k8s_namespace=namespace)
    assert got["metadata"]["uid"] == created["metadata"]["uid"]
    assert got["spec"]["headGroupSpec"]["template"]["spec"]["containers"][0]["name"] == "ray-head"

    other = unschedulable("other", namespace)
    other["metadata"]["labels"] = {"purpose": "other"}
    assert api.create_ray_cluster(body=other, k8s_namespace=namespace) is not None
    everything = api.list_ray_clusters(k8s_namespace=namespace)
    assert sorted(c["metadata"]["name"] for c in everything["items"]) == ["crud", "other"]
    selected = api.list_ray_clusters(k8s_namespace=namespace, label_selector="purpose=pending")
    assert [c["metadata"]["name"] for c in selected["items"]] == ["crud"]
    thread = api.list_ray_clusters(k8s_namespace=namespace, label_selector="purpose=other", async_req=True)
    assert [c["metadata"]["name"] for c in thread.get()["items"]] == ["other"]

    # A partial patch (JSON merge patch) ...
    assert api.patch_ray_cluster(name="crud", ray_patch={"metadata": {"labels": {"patched": "yes"}}}, k8s_namespace=namespace) is True
    assert api.get_ray_cluster("crud", namespace)["metadata"]["labels"] == {"purpose": "pending", "patched": "yes"}
    # ... and the whole object edited, as KubeRay's README does. The body carries the resourceVersion it was read
    # at, so a status write by the operator in between makes the patch a 409 conflict (logged, False): read again
    # and retry, as a user of that pattern must.
    for _ in range(10):
        whole = api.get_ray_cluster("crud", namespace)
        whole["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] = "1"
        if api.patch_ray_cluster(name="crud", ray_patch=whole, k8s_namespace=namespace):
            break
        assert "(409)" in caplog.text, caplog.text
    else:
        raise AssertionError("the whole-object patch conflicted 10 times in a row")
    assert api.get_ray_cluster("crud", namespace)["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] == "1"

    # The operator writes a status; get_ray_cluster_status returns it.
    status = api.get_ray_cluster_status(name="crud", k8s_namespace=namespace, timeout=120, delay_between_attempts=1)
    assert isinstance(status, dict) and status, status
    assert status.get("state") != "ready"

    deleted = api.delete_ray_cluster(name="crud", k8s_namespace=namespace)
    assert deleted is not None and deleted.get("kind") in ("Status", "RayCluster")
    eventually(lambda: api.list_ray_clusters(k8s_namespace=namespace, label_selector="purpose=pending")["items"] == [],
               60, "the deleted cluster to be gone")


def test_errors_return_none_or_false_with_the_api_server_message(namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    api = kuberay_cluster_api.RayClusterApi()
    with caplog.at_level(logging.ERROR):
        assert api.get_ray_cluster(name="ghost", k8s_namespace=namespace) is None
    assert 'rayclusters.ray.io "ghost" not found (404)' in caplog.text

    assert api.create_ray_cluster(body=unschedulable("twice", namespace), k8s_namespace=namespace) is not None
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.create_ray_cluster(body=unschedulable("twice", namespace), k8s_namespace=namespace) is None
    assert "already exists" in caplog.text and "(409)" in caplog.text

    bad = unschedulable("bad", namespace)
    bad["spec"]["headGroupSpec"]["rayStartParams"] = "not-a-map"
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.create_ray_cluster(body=bad, k8s_namespace=namespace) is None
    assert "spec.headGroupSpec.rayStartParams" in caplog.text and "(422)" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.patch_ray_cluster(name="ghost", ray_patch={"metadata": {"labels": {"a": "b"}}}, k8s_namespace=namespace) is False
        assert api.delete_ray_cluster(name="ghost", k8s_namespace=namespace) is None
        assert api.get_ray_cluster_status(name="ghost", k8s_namespace=namespace, timeout=5, delay_between_attempts=1) is None
        assert api.wait_until_ray_cluster_running(name="ghost", k8s_namespace=namespace, timeout=5, delay_between_attempts=1) is False
    assert "raycluster `ghost` failed to patch" in caplog.text
    assert "already deleted" in caplog.text
    assert caplog.text.count('"ghost" not found') >= 3

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.list_ray_clusters(k8s_namespace=namespace, label_selector="a in in") is None
    assert "(400)" in caplog.text


def test_wait_until_running_times_out_on_a_pending_cluster(namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    api = kuberay_cluster_api.RayClusterApi()
    assert api.create_ray_cluster(body=unschedulable("pending", namespace), k8s_namespace=namespace) is not None
    with caplog.at_level(logging.INFO):
        assert api.wait_until_ray_cluster_running(name="pending", k8s_namespace=namespace, timeout=6, delay_between_attempts=2) is False
    assert "raycluster pending is not running yet" in caplog.text


def test_wait_until_running_with_a_real_ray_head(namespace: str) -> None:
    """The Director's basic cluster (a head only), unchanged, becomes ready on the local node with real Ray."""
    api = kuberay_cluster_api.RayClusterApi()
    cluster = kuberay_cluster_builder.Director().build_basic_cluster(name="basic", k8s_namespace=namespace)
    assert cluster is not None
    assert api.create_ray_cluster(body=cluster, k8s_namespace=namespace) is not None
    assert api.wait_until_ray_cluster_running(name="basic", k8s_namespace=namespace, timeout=600, delay_between_attempts=5) is True
    status = api.get_ray_cluster_status(name="basic", k8s_namespace=namespace)
    assert status["state"] == "ready"
    assert status["head"]["podIP"]
    assert any(c["type"] == "HeadPodReady" and c["status"] == "True" for c in status.get("conditions", []))
    assert api.delete_ray_cluster(name="basic", k8s_namespace=namespace) is not None
