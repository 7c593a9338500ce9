"""What the builder and the Director produce is accepted by the ray.io/v1 CRD (server-side dry run: the API
server validates and defaults it, nothing is stored)."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from python_client import constants
from python_client.utils import kuberay_cluster_builder, kuberay_cluster_utils

pytestmark = pytest.mark.cluster


def dry_run_create(kube: Any, namespace: str, body: Dict[str, Any]) -> Dict[str, Any]:
    api = kube.CustomObjectsApi()
    created: Dict[str, Any] = api.create_namespaced_custom_object(
        group=constants.GROUP,
        version=constants.CLUSTER_VERSION,
        plural=constants.CLUSTER_PLURAL,
        namespace=namespace,
        body=body,
        dry_run="All",
    )
    return created


@pytest.mark.parametrize("preset", ["build_basic_cluster", "build_small_cluster", "build_medium_cluster", "build_large_cluster"])
def test_director_presets_pass_the_crd(kube: Any, namespace: str, preset: str) -> None:
    cluster = getattr(kuberay_cluster_builder.Director(), preset)(name="preset", k8s_namespace=namespace, labels={"a": "b"})
    created = dry_run_create(kube, namespace, cluster)
    assert created["metadata"]["name"] == "preset"
    assert created["spec"]["headGroupSpec"]["rayStartParams"] == cluster["spec"]["headGroupSpec"]["rayStartParams"]
    # Nothing was stored.
    listed = kube.CustomObjectsApi().list_namespaced_custom_object(
        group=constants.GROUP, version=constants.CLUSTER_VERSION, plural=constants.CLUSTER_PLURAL, namespace=namespace
    )
    assert listed["items"] == []


def test_builder_and_utils_edits_pass_the_crd(kube: Any, namespace: str) -> None:
    utils = kuberay_cluster_utils.ClusterUtils()
    cluster = (
        kuberay_cluster_builder.ClusterBuilder()
        .build_meta(name="edited", k8s_namespace=namespace, ray_version="2.52.0")
        .build_head(ray_image="rayproject/ray:2.52.0", service_type="NodePort", ray_start_params={"num-cpus": "0"})
        .build_worker(group_name="cpu", ray_image="rayproject/ray:2.52.0", replicas=2, ray_start_params={})
        .get_cluster()
    )
    cluster, ok = utils.duplicate_worker_group(cluster, "cpu", "cpu-2")
    assert ok
    cluster, ok = utils.update_worker_group_resources(cluster, "cpu-2", "500m", "512Mi", "1", "1Gi", "all_containers")
    assert ok
    cluster, ok = utils.update_worker_group_replicas(cluster, "cpu", max_replicas=5, min_replicas=0, replicas=0)
    assert ok
    created = dry_run_create(kube, namespace, cluster)
    assert [g["groupName"] for g in created["spec"]["workerGroupSpecs"]] == ["cpu", "cpu-2"]
    assert created["spec"]["workerGroupSpecs"][0]["replicas"] == 0


def test_the_dry_run_does_reject_a_broken_cluster(kube: Any, namespace: str) -> None:
    """The check above can fail: the same dry run refuses a worker group with a non-integer replica count."""
    cluster = kuberay_cluster_builder.Director().build_small_cluster(name="broken", k8s_namespace=namespace)
    assert cluster is not None
    cluster["spec"]["workerGroupSpecs"][0]["replicas"] = "three"
    with pytest.raises(kube.ApiException) as err:
        dry_run_create(kube, namespace, cluster)
    assert err.value.status == 422
    assert "spec.workerGroupSpecs[0].replicas" in err.value.body
