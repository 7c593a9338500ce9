"""The usage KubeRay's python-client README shows, as scripts (tests/readme/*.py) run unchanged in their own
Python process against the cluster; then what they did is read back. They work in the "default" namespace,
as the README does, and the clusters are deleted right after (before their Ray pods do much)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from conftest import eventually
from python_client import kuberay_cluster_api

pytestmark = pytest.mark.cluster

SCRIPTS = Path(__file__).resolve().parent / "readme"


def run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / script)], capture_output=True, text=True, env=dict(os.environ), timeout=300
    )
    assert result.returncode == 0, "{} failed:\n{}\n{}".format(script, result.stdout, result.stderr)
    assert "error" not in result.stderr.lower(), result.stderr
    return result.stdout


@pytest.fixture()
def api() -> Iterator[kuberay_cluster_api.RayClusterApi]:
    a = kuberay_cluster_api.RayClusterApi()
    yield a
    listed = a.list_ray_clusters(k8s_namespace="default") or {"items": []}
    existing = {c["metadata"]["name"] for c in listed["items"]}
    for name in sorted(existing & {"new-cluster0", "new-cluster1", "new-cluster2", "raycluster-raw"}):
        a.delete_ray_cluster(name=name, k8s_namespace="default")


def test_director(api: kuberay_cluster_api.RayClusterApi) -> None:
    run("use_director.py")
    cluster = api.get_ray_cluster("new-cluster0", "default")
    assert cluster is not None
    [group] = cluster["spec"]["workerGroupSpecs"]
    assert (group["groupName"], group["replicas"], group["maxReplicas"]) == ("new-cluster0-workers", 1, 2)


def test_builder(api: kuberay_cluster_api.RayClusterApi) -> None:
    run("use_builder.py")
    cluster = api.get_ray_cluster("new-cluster1", "default")
    assert cluster is not None
    [group] = cluster["spec"]["workerGroupSpecs"]
    assert (group["groupName"], group["replicas"], group["minReplicas"], group["maxReplicas"]) == ("workers", 3, 2, 9)


def test_utils_patch(api: kuberay_cluster_api.RayClusterApi) -> None:
    run("use_utils.py")
    cluster = api.get_ray_cluster("new-cluster2", "default")
    assert cluster is not None
    [group] = cluster["spec"]["workerGroupSpecs"]
    assert (group["replicas"], group["minReplicas"], group["maxReplicas"]) == (2, 1, 4)


def test_raw_json_create_list_delete(api: kuberay_cluster_api.RayClusterApi) -> None:
    out = run("use_raw_with_api.py")
    assert "raycluster-raw default" in out
    assert "deleting raycluster = raycluster-raw" in out
    eventually(
        lambda: api.list_ray_clusters("default", label_selector="controller-tools.k8s.io=1.0")["items"] == [],
        60,
        "raycluster-raw to be deleted",
    )
