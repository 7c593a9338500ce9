"""The V1 API server client's parameter classes and KubeRayAPIs' plumbing, with no cluster: wire shapes,
decoding the server's JSON, the token header, errors that name the field."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from python_apiserver_client import KubeRayAPIs
from python_apiserver_client.params import (
    AutoscalerOptions,
    Cluster,
    ClusterSpec,
    Environment,
    EnvironmentVariables,
    HeadNodeSpec,
    RayJobInfo,
    RayJobRequest,
    ServiceType,
    UpscalingMode,
    WorkerNodeSpec,
    cluster_decoder,
    clusters_decoder,
)


def sample_cluster() -> Cluster:
    head = HeadNodeSpec(compute_template="head-t", image="rayproject/ray:2.52.0", service_type=ServiceType.NodePort)
    worker = WorkerNodeSpec(group_name="small", compute_template="w-t", image="rayproject/ray:2.52.0",
                            replicas=1, min_replicas=0, max_replicas=3)
    spec = ClusterSpec(head_node=head, worker_groups=[worker],
                       autoscaling_options=AutoscalerOptions(upscaling_mode=UpscalingMode.Conservative, idle_tmout=30))
    return Cluster(name="c1", namespace="ns", user="me", version="2.52.0", cluster_spec=spec,
                   deployment_environment=Environment.TESTING, annotations={"a": "b"},
                   cluster_environment=EnvironmentVariables(key_value={"K": "V"}))


def test_cluster_to_dict_is_the_wire_shape() -> None:
    d = sample_cluster().to_dict()
    assert d["name"] == "c1" and d["environment"] == 1 and d["envs"] == {"values": {"K": "V"}}
    spec = d["clusterSpec"]
    assert spec["enableInTreeAutoscaling"] is True
    assert spec["autoscalerOptions"] == {"upscalingMode": "Conservative", "idleTimeoutSeconds": 30}
    assert spec["headGroupSpec"]["serviceType"] == "NodePort"
    assert spec["headGroupSpec"]["rayStartParams"]["dashboard-host"] == "0.0.0.0"
    assert spec["workerGroupSpec"][0]["maxReplicas"] == 3


def test_cluster_decoder_reads_what_the_server_sends() -> None:
    wire: Dict[str, Any] = sample_cluster().to_dict()
    wire.update({
        "createdAt": "2026-12-05T10:00:00Z",
        "clusterState": "ready",
        "serviceEndpoint": {"dashboard": "8265"},
        "events": [{"id": "e1", "name": "c1.123", "reason": "CreatedService", "type": "Normal", "count": 2,
                    "firstTimestamp": "2026-12-05T10:00:01Z"}],
    })
    c = cluster_decoder(json.loads(json.dumps(wire)))
    assert (c.name, c.cluster_status, c.created_at, c.environment) == ("c1", "ready", "2026-12-05T10:00:00Z",
                                                                       Environment.TESTING)
    assert c.service_endpoint == {"dashboard": "8265"}
    assert c.events is not None and c.events[0].reason == "CreatedService" and c.events[0].count == 2
    assert c.events[0].first_timestamp == "2026-12-05T10:00:01Z"
    assert c.cluster_spec.autoscaling_options is not None
    assert c.cluster_spec.autoscaling_options.upscaling_mode is UpscalingMode.Conservative
    assert c.cluster_spec.worker_groups is not None and c.cluster_spec.worker_groups[0].max_replicas == 3
    assert "cluster status = ready" in c.to_string()
    assert clusters_decoder({}) == []
    assert [x.name for x in clusters_decoder({"clusters": [wire]})] == ["c1"]


def test_decoding_errors_name_the_field() -> None:
    with pytest.raises(ValueError, match="clusterSpec missing"):
        cluster_decoder({"name": "x"})
    with pytest.raises(ValueError, match="headGroupSpec: missing"):
        cluster_decoder({"name": "x", "clusterSpec": {}})
    with pytest.raises(ValueError, match="environment"):
        cluster_decoder({"name": "x", "environment": 9, "clusterSpec": {"headGroupSpec": {"computeTemplate": "t"}}})


def test_job_request_and_info() -> None:
    assert RayJobRequest(entrypoint="python x.py").to_dict() == {"entrypoint": "python x.py"}
    full = RayJobRequest(entrypoint="e", submission_id="s", runtime_env="pip: [x]", metadata={"a": "b"},
                         num_cpu=1.5, num_gpu=0, resources={"TPU": "1"}).to_dict()
    assert full == {"entrypoint": "e", "submissionId": "s", "runtimeEnv": "pip: [x]", "metadata": {"a": "b"},
                    "numCpus": 1.5, "resources": {"TPU": "1"}}
    info = RayJobInfo({"entrypoint": "e", "jobId": "02000000", "submissionId": "raysubmit_1", "status": "SUCCEEDED",
                       "startTime": "1764928800000", "endTime": "1764928801000", "metadata": {"a": "b"}})
    assert (info.job_id, info.start_time, info.end_time) == ("02000000", 1764928800000, 1764928801000)
    assert "status = SUCCEEDED" in info.to_string() and "start time = " in info.to_string()
    with pytest.raises(ValueError, match="startTime"):
        RayJobInfo({"startTime": "soon"})


class _Recorder(BaseHTTPRequestHandler):
    answers: List[Tuple[int, bytes]] = []
    seen: List[Dict[str, str]] = []

    def _answer(self) -> None:
        _Recorder.seen.append({"path": self.path, "method": self.command,
                               "authorization": self.headers.get("Authorization", "")})
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body = _Recorder.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def fake_server() -> Iterator[str]:
    """A local HTTP server answering canned responses (for the client's plumbing; the real API server is
    exercised in test_apiserver_client.py)."""
    _Recorder.answers, _Recorder.seen = [], []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:{}".format(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_the_token_belongs_to_its_client_and_bearer_is_optional(fake_server: str) -> None:
    _Recorder.answers = [(200, b"{}")] * 3
    KubeRayAPIs(server_url=fake_server, token="shared-secret").list_clusters()
    KubeRayAPIs(server_url=fake_server).list_clusters()
    KubeRayAPIs(server_url=fake_server, token="abc", bearer=True).list_clusters()
    assert [s["authorization"] for s in _Recorder.seen] == ["shared-secret", "", "Bearer abc"]
    assert _Recorder.seen[0]["path"] == "/apis/v1/clusters"


def test_errors_carry_the_message_and_are_logged(fake_server: str, caplog: pytest.LogCaptureFixture) -> None:
    _Recorder.answers = [
        (404, b'{"code":5,"message":"cluster ns/x not found","details":[]}'),
        (502, b"<html>bad gateway</html>"),
        (200, b'{"computeTemplates":[{"name":"t","namespace":"ns","cpu":"two"}]}'),
    ]
    api = KubeRayAPIs(server_url=fake_server)
    with caplog.at_level(logging.WARNING, logger="python_apiserver_client"):
        assert api.get_cluster("ns", "x") == (404, "cluster ns/x not found", None)
        assert api.delete_cluster("ns", "y") == (502, "<html>bad gateway</html>")
        status, message, templates = api.list_compute_templates()
    assert status == 502 and templates is None and message and "cpu" in message, message
    assert len(caplog.records) == 3
    assert _Recorder.seen[1] == {"path": "/apis/v1/namespaces/ns/clusters/y", "method": "DELETE", "authorization": ""}
