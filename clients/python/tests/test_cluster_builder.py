"""ClusterBuilder and Director (no cluster): the dicts they build and KubeRay's signatures."""

from __future__ import annotations

import inspect
import logging
from typing import Any, Dict

import pytest

from python_client import kuberay_cluster_api, kuberay_job_api
from python_client.utils import kuberay_cluster_builder
from python_client.utils.kuberay_cluster_builder import ClusterBuilder, Director


def defaults(fn: Any) -> Dict[str, Any]:
    """Parameter names (without self) and defaults (None when required)."""
    out: Dict[str, Any] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name != "self":
            out[name] = None if p.default is inspect.Parameter.empty else p.default
    return out


def test_builder_defaults_match_kuberay() -> None:
    assert defaults(ClusterBuilder.build_meta) == {
        "name": None, "k8s_namespace": "default", "labels": None, "ray_version": "2.3.0",
    }
    assert defaults(ClusterBuilder.build_head) == {
        "ray_image": "rayproject/ray:2.3.0", "service_type": "ClusterIP", "cpu_requests": "2",
        "memory_requests": "3G", "cpu_limits": "2", "memory_limits": "3G",
        "ray_start_params": {"block": "true", "dashboard-host": "0.0.0.0"},
    }
    assert defaults(ClusterBuilder.build_worker) == {
        "group_name": None, "ray_image": "rayproject/ray:2.3.0", "ray_command": ["/bin/bash", "-lc"],
        "init_image": "busybox:1.28", "cpu_requests": "1", "memory_requests": "1G", "cpu_limits": "2",
        "memory_limits": "2G", "replicas": 1, "min_replicas": -1, "max_replicas": -1,
        "ray_start_params": {"block": "true"},
    }
    for preset in ("build_basic_cluster", "build_small_cluster", "build_medium_cluster", "build_large_cluster"):
        assert defaults(getattr(Director, preset)) == {"name": None, "k8s_namespace": "default", "labels": None}


def test_api_signatures_match_kuberay() -> None:
    api = kuberay_cluster_api.RayClusterApi
    assert defaults(api.list_ray_clusters) == {"k8s_namespace": "default", "label_selector": "", "async_req": False}
    assert defaults(api.get_ray_cluster) == {"name": None, "k8s_namespace": "default"}
    wait = {"name": None, "k8s_namespace": "default", "timeout": 60, "delay_between_attempts": 5}
    assert defaults(api.get_ray_cluster_status) == wait
    assert defaults(api.wait_until_ray_cluster_running) == wait
    assert defaults(api.create_ray_cluster) == {"body": None, "k8s_namespace": "default"}
    assert defaults(api.delete_ray_cluster) == {"name": None, "k8s_namespace": "default"}
    assert defaults(api.patch_ray_cluster) == {"name": None, "ray_patch": None, "k8s_namespace": "default"}
    jobs = kuberay_job_api.RayjobApi
    assert defaults(jobs.submit_job) == {"k8s_namespace": "default", "job": None}
    for m in ("get_job_status", "wait_until_job_finished", "wait_until_job_running"):
        assert defaults(getattr(jobs, m)) == wait
    for m in ("get_job", "suspend_job", "resubmit_job", "delete_job"):
        assert defaults(getattr(jobs, m)) == {"name": None, "k8s_namespace": "default"}
    assert defaults(jobs.list_jobs) == {"k8s_namespace": "default"}
    assert kuberay_job_api.TERMINAL_JOB_STATUSES == ["STOPPED", "SUCCEEDED", "FAILED"]


def test_builder_chain_builds_a_cluster() -> None:
    builder = ClusterBuilder()
    cluster = (
        builder.build_meta(name="new-cluster1", labels={"demo": "yes"})
        .build_head()
        .build_worker(group_name="workers", replicas=3)
        .get_cluster()
    )
    assert builder.succeeded
    assert cluster["metadata"] == {"name": "new-cluster1", "namespace": "default", "labels": {"demo": "yes"}}
    assert cluster["spec"]["rayVersion"] == "2.3.0"
    head = cluster["spec"]["headGroupSpec"]
    assert head["rayStartParams"] == {"block": "true", "dashboard-host": "0.0.0.0"}
    assert head["template"]["spec"]["containers"][0]["image"] == "rayproject/ray:2.3.0"
    [group] = cluster["spec"]["workerGroupSpecs"]
    # KubeRay's defaults: min = ceil(replicas / 2), max = replicas * 3.
    assert (group["replicas"], group["minReplicas"], group["maxReplicas"]) == (3, 2, 9)


def test_get_cluster_is_a_copy_and_defaults_are_not_shared() -> None:
    builder = ClusterBuilder().build_meta(name="c1").build_head()
    first = builder.get_cluster()
    first["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] = "9"
    assert "num-cpus" not in builder.get_cluster()["spec"]["headGroupSpec"]["rayStartParams"]
    again = ClusterBuilder().build_meta(name="c2").build_head().get_cluster()
    assert "num-cpus" not in again["spec"]["headGroupSpec"]["rayStartParams"]


def test_two_worker_groups_are_both_kept() -> None:
    cluster = (
        ClusterBuilder().build_meta(name="c1").build_head()
        .build_worker(group_name="cpu").build_worker(group_name="more", replicas=2).get_cluster()
    )
    assert [g["groupName"] for g in cluster["spec"]["workerGroupSpecs"]] == ["cpu", "more"]


def test_worker_before_meta_fails_with_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    builder = ClusterBuilder()
    with caplog.at_level(logging.ERROR):
        builder.build_worker(group_name="workers")
    assert builder.succeeded is False
    assert "did you run build_meta() and build_head()" in caplog.text


def test_head_with_empty_image_fails() -> None:
    builder = ClusterBuilder().build_meta(name="c1").build_head(ray_image="")
    assert builder.succeeded is False


@pytest.mark.parametrize(
    "preset,replicas,min_r,max_r,cpu,mem",
    [
        ("build_small_cluster", 1, 0, 2, ("1", "2"), ("1G", "2G")),
        ("build_medium_cluster", 3, 0, 6, ("2", "4"), ("2G", "4G")),
        ("build_large_cluster", 6, 0, 12, ("3", "6"), ("4G", "8G")),
    ],
)
def test_director_presets(preset: str, replicas: int, min_r: int, max_r: int, cpu: Any, mem: Any) -> None:
    cluster = getattr(Director(), preset)(name="pre", k8s_namespace="team", labels={"size": preset})
    assert cluster is not None
    assert cluster["metadata"]["namespace"] == "team"
    [group] = cluster["spec"]["workerGroupSpecs"]
    assert group["groupName"] == "pre-workers"
    assert (group["replicas"], group["minReplicas"], group["maxReplicas"]) == (replicas, min_r, max_r)
    res = group["template"]["spec"]["containers"][0]["resources"]
    assert (res["requests"]["cpu"], res["limits"]["cpu"]) == cpu
    assert (res["requests"]["memory"], res["limits"]["memory"]) == mem


def test_director_basic_cluster_has_no_workers_and_reuse_starts_fresh() -> None:
    director = Director()
    director.build_small_cluster(name="first")
    basic = director.build_basic_cluster(name="second")
    assert basic is not None
    assert basic["metadata"]["name"] == "second"
    assert "workerGroupSpecs" not in basic["spec"]


def test_director_with_invalid_name_raises() -> None:
    with pytest.raises(ValueError, match="metadata.name"):
        Director().build_basic_cluster(name="Not Valid")


def test_module_names() -> None:
    assert issubclass(kuberay_cluster_builder.ClusterBuilder, kuberay_cluster_builder.IClusterBuilder)
