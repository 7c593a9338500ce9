"""KubeRayAPIs against our API server (Kubernetes authentication) on the local cluster with real Ray:
templates, a cluster from a template becoming ready, a job submitted to SUCCEEDED with its log, errors."""

from __future__ import annotations

import logging
from typing import Optional

import pytest

from conftest import eventually
from python_apiserver_client import KubeRayAPIs
from python_apiserver_client.params import (
    Cluster,
    ClusterSpec,
    EnvironmentVariables,
    HeadNodeSpec,
    RayJobInfo,
    RayJobRequest,
    Template,
)

pytestmark = pytest.mark.cluster


def client(url: str, token: str) -> KubeRayAPIs:
    return KubeRayAPIs(server_url=url, token=token, wait_interval=1, bearer=True)


def test_without_a_token_the_server_says_why(apiserver_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="python_apiserver_client"):
        status, message, templates = KubeRayAPIs(server_url=apiserver_url).list_compute_templates()
    assert status == 401 and templates is None
    assert message is not None and "Bearer" in message, message
    assert any("401" in r.getMessage() for r in caplog.records), "the failure is logged"


def test_templates_cluster_job_submission(apiserver_url: str, apiserver_token: str, namespace: str) -> None:
    api = client(apiserver_url, apiserver_token)
    # The ServiceAccount's binding may take a moment to reach the authorizer.
    eventually(lambda: api.list_compute_templates_namespace(namespace)[0] == 200, 30, "access as the ServiceAccount")

    template = Template(name="small", namespace=namespace, cpu=1, memory=2)
    assert api.create_compute_template(template) == (200, None)
    status, message, got = api.get_compute_template(namespace, "small")
    assert (status, message) == (200, None) and got is not None
    assert (got.name, got.namespace, got.cpu, got.memory) == ("small", namespace, 1, 2)
    listed = api.list_compute_templates_namespace(namespace)[2]
    assert listed is not None and [t.name for t in listed] == ["small"]
    everywhere = api.list_compute_templates()[2]
    assert everywhere is not None and any(t.namespace == namespace and t.name == "small" for t in everywhere)
    status, message = api.create_compute_template(template)
    assert status == 409 and message and "small" in message, (status, message)

    head = HeadNodeSpec(
        compute_template="small",
        image="rayproject/ray:2.52.0",
        ray_start_params={"num-cpus": "1"},
        environment=EnvironmentVariables(key_value={"PYC_MARK": "1"}),
    )
    cluster = Cluster(name="pyc", namespace=namespace, user="pytest", version="2.52.0",
                      cluster_spec=ClusterSpec(head_node=head))
    assert api.create_cluster(cluster) == (200, None)
    clusters = api.list_clusters_namespace(namespace)[2]
    assert clusters is not None and [c.name for c in clusters] == ["pyc"]
    all_clusters = api.list_clusters()[2]
    assert all_clusters is not None and any(c.namespace == namespace for c in all_clusters)
    assert api.get_cluster_status(namespace, "pyc")[0] == 200

    assert api.wait_cluster_ready(namespace, "pyc", wait=400) == (200, None)
    status, message, endpoint = api.get_cluster_endpoints(namespace, "pyc", wait=10)
    assert (status, message) == (200, None)
    assert endpoint is not None and endpoint.startswith("pyc-head-svc.{}.svc.cluster.local:".format(namespace)), endpoint
    status, message, got_cluster = api.get_cluster(namespace, "pyc")
    assert got_cluster is not None and got_cluster.cluster_status == "ready"
    assert got_cluster.cluster_spec.head_node.compute_template == "small"
    assert got_cluster.cluster_spec.head_node.ray_start_params["num-cpus"] == "1"
    head_env = got_cluster.cluster_spec.head_node.environment
    assert head_env is not None and head_env.key_val == {"PYC_MARK": "1"}

    # A job: the dashboard may answer a moment after the head is ready.
    request = RayJobRequest(
        entrypoint="python -c \"import ray; ray.init(); print('hello from python_apiserver_client')\"",
        metadata={"owner": "pytest"},
    )
    sid: Optional[str] = eventually(lambda: api.submit_job(namespace, "pyc", request)[2], 120, "a job submission")
    assert sid is not None and sid.startswith("raysubmit_"), sid

    def finished() -> Optional[RayJobInfo]:
        info = api.get_job_info(namespace, "pyc", sid)[2]
        return info if info is not None and info.status in ("SUCCEEDED", "FAILED", "STOPPED") else None

    done = eventually(finished, 300, "the job to finish", interval=2)
    assert done.status == "SUCCEEDED", done.to_string()
    assert done.submission_id == sid and done.metadata == {"owner": "pytest"}
    assert done.end_time >= done.start_time > 0
    infos = api.list_job_info(namespace, "pyc")[2]
    assert infos is not None and sid in [i.submission_id for i in infos]
    status, message, log = api.get_job_log(namespace, "pyc", sid)
    assert status == 200 and log is not None and "hello from python_apiserver_client" in log, (status, message, log)
    # Stopping a finished job is a no-op for Ray (it answers stopped=false); deleting it works.
    assert api.stop_ray_job(namespace, "pyc", sid) == (200, None)
    assert api.delete_ray_job(namespace, "pyc", sid) == (200, None)
    status, message, _ = api.get_job_info(namespace, "pyc", sid)
    assert status == 404 and message, (status, message)

    assert api.delete_cluster(namespace, "pyc") == (200, None)
    status, message, gone = api.get_cluster(namespace, "pyc")
    assert status == 404 and gone is None and message and "pyc" in message, (status, message)
    assert api.delete_compute_template(namespace, "small") == (200, None)
    assert api.get_compute_template(namespace, "small")[0] == 404


def test_a_bad_cluster_is_refused_with_the_field_named(apiserver_url: str, apiserver_token: str, namespace: str) -> None:
    api = client(apiserver_url, apiserver_token)
    eventually(lambda: api.list_clusters_namespace(namespace)[0] == 200, 30, "access as the ServiceAccount")
    head = HeadNodeSpec(compute_template="no-such-template", image="rayproject/ray:2.52.0")
    cluster = Cluster(name="bad", namespace=namespace, user="pytest", version="2.52.0",
                      cluster_spec=ClusterSpec(head_node=head))
    status, message = api.create_cluster(cluster)
    assert status // 100 == 4 and message and "no-such-template" in message, (status, message)
    status, message = api.wait_cluster_ready(namespace, "bad", wait=1)
    assert status == 404 and message, (status, message)
