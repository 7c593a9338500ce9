"""RayjobApi against the local control plane and our operator; one RayJob runs to SUCCEEDED on real Ray."""

from __future__ import annotations

import logging
from typing import Any, Dict

import pytest

from conftest import eventually, ray_job
from python_client import kuberay_job_api
from python_client.utils import kuberay_cluster_builder

pytestmark = pytest.mark.cluster

ENTRYPOINT = (
    "python -c \"import ray; ray.init(); "
    "print('squares', ray.get([ray.remote(lambda x: x * x).remote(i) for i in range(4)]))\""
)


def cluster_spec(name: str, cpu: str = "1") -> Dict[str, Any]:
    """The spec of a head-only cluster built with the client's own builder (Ray 2.52 image, one CPU for Ray)."""
    cluster = (
        kuberay_cluster_builder.ClusterBuilder()
        .build_meta(name=name, ray_version="2.52.0")
        .build_head(
            ray_image="rayproject/ray:2.52.0",
            cpu_requests=cpu,
            cpu_limits=cpu,
            memory_requests="1G",
            memory_limits="2G",
            ray_start_params={"dashboard-host": "0.0.0.0", "num-cpus": "1"},
        )
        .get_cluster()
    )
    spec: Dict[str, Any] = cluster["spec"]
    return spec


def test_submit_wait_running_finished_succeeded(namespace: str) -> None:
    api = kuberay_job_api.RayjobApi()
    job = ray_job("squares", ENTRYPOINT, cluster_spec("squares"), shutdownAfterJobFinishes=True, ttlSecondsAfterFinished=0)
    created = api.submit_job(k8s_namespace=namespace, job=job)
    assert created["metadata"]["name"] == "squares" and created["metadata"]["uid"]

    assert api.get_job(name="squares", k8s_namespace=namespace)["spec"]["entrypoint"] == ENTRYPOINT
    assert [j["metadata"]["name"] for j in api.list_jobs(k8s_namespace=namespace)["items"]] == ["squares"]
    first = api.get_job_status(name="squares", k8s_namespace=namespace, timeout=120, delay_between_attempts=1)
    assert first.get("jobDeploymentStatus"), first

    assert api.wait_until_job_running(name="squares", k8s_namespace=namespace, timeout=600, delay_between_attempts=2) is True
    assert api.wait_until_job_finished(name="squares", k8s_namespace=namespace, timeout=900, delay_between_attempts=5) is True
    final = api.get_job_status(name="squares", k8s_namespace=namespace)
    assert final["jobStatus"] == "SUCCEEDED", final
    # The job is over: wait_until_job_running says so at once.
    assert eventually(lambda: api.get_job_status("squares", namespace)["jobDeploymentStatus"] == "Complete", 120,
                      "jobDeploymentStatus Complete")
    assert api.wait_until_job_running(name="squares", k8s_namespace=namespace, timeout=30, delay_between_attempts=1) is False
    assert api.delete_job(name="squares", k8s_namespace=namespace) is True


def test_suspend_resubmit_and_timeouts(namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    """A RayJob whose head can never be scheduled (so no Ray starts): suspended at creation, resumed, suspended."""
    api = kuberay_job_api.RayjobApi()
    job = ray_job("parked", "python -c 'print(1)'", cluster_spec("parked", cpu="900"), suspend=True, shutdownAfterJobFinishes=True)
    assert api.submit_job(k8s_namespace=namespace, job=job) is not None
    eventually(lambda: (api.get_job_status("parked", namespace, timeout=60, delay_between_attempts=1) or {}).get("jobDeploymentStatus") == "Suspended",
               120, "the RayJob created suspended to be Suspended", show=lambda: api.get_job_status("parked", namespace))
    with caplog.at_level(logging.INFO):
        assert api.wait_until_job_running(name="parked", k8s_namespace=namespace, timeout=30, delay_between_attempts=1) is False
    assert "reached Suspended before running" in caplog.text

    assert api.resubmit_job(name="parked", k8s_namespace=namespace) is True
    assert api.get_job("parked", namespace)["spec"]["suspend"] is False
    eventually(lambda: api.get_job_status("parked", namespace)["jobDeploymentStatus"] == "Initializing", 120,
               "the resubmitted RayJob to be Initializing", show=lambda: api.get_job_status("parked", namespace))
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert api.wait_until_job_running(name="parked", k8s_namespace=namespace, timeout=4, delay_between_attempts=1) is False
        assert api.wait_until_job_finished(name="parked", k8s_namespace=namespace, timeout=4, delay_between_attempts=1) is False
    assert "has not reached running status before timeout" in caplog.text
    assert "has not reached terminal status before timeout" in caplog.text

    assert api.suspend_job(name="parked", k8s_namespace=namespace) is True
    assert api.get_job("parked", namespace)["spec"]["suspend"] is True
    eventually(lambda: api.get_job_status("parked", namespace)["jobDeploymentStatus"] == "Suspended", 180,
               "the suspended RayJob to be Suspended again", show=lambda: api.get_job_status("parked", namespace))
    assert api.delete_job(name="parked", k8s_namespace=namespace) is True


def test_errors_return_none_or_false_with_the_api_server_message(namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    api = kuberay_job_api.RayjobApi()
    with caplog.at_level(logging.ERROR):
        assert api.get_job(name="ghost", k8s_namespace=namespace) is None
        assert api.get_job_status(name="ghost", k8s_namespace=namespace, timeout=5, delay_between_attempts=1) is None
        assert api.suspend_job(name="ghost", k8s_namespace=namespace) is False
        assert api.resubmit_job(name="ghost", k8s_namespace=namespace) is False
        assert api.delete_job(name="ghost", k8s_namespace=namespace) is False
    assert caplog.text.count('rayjobs.ray.io "ghost" not found (404)') == 5

    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.submit_job(k8s_namespace=namespace) is None
    assert "no job given" in caplog.text

    bad = ray_job("bad", "python -c 'print(1)'", cluster_spec("bad", cpu="900"), suspend=True, ttlSecondsAfterFinished="soon")
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert api.submit_job(k8s_namespace=namespace, job=bad) is None
    assert "spec.ttlSecondsAfterFinished" in caplog.text and "(422)" in caplog.text

