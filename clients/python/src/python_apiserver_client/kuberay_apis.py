"""``KubeRayAPIs``: KubeRay's client for the V1 API server (compute templates, clusters, job submissions).

Every method returns what KubeRay's returns: a tuple whose first item is the HTTP status, the second the
server's error message (``None`` on success) and, for reads, the third the decoded answer (``None`` on error).
Differences from KubeRay's client, all of them fixes:

- A failure is never silent: every non-2xx answer is logged (logger ``python_apiserver_client``) with the
  method, URL, status and message; a body that is not JSON becomes the message instead of a crash.
- Network errors (server down, timeout) are raised as ``requests.RequestException``, as in KubeRay.
- The token belongs to the instance (KubeRay's is written into a module-wide header dict, so a second client
  without a token still sent the first one's). It is sent as given in ``Authorization``: KubeRay's security
  proxy compares the raw value; our API server's Kubernetes authentication wants ``"Bearer <token>"``, which
  a bare token is turned into when ``bearer=True``.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar
from urllib.parse import quote

import requests

from python_apiserver_client.params import (
    Cluster,
    RayJobInfo,
    RayJobRequest,
    Template,
    cluster_decoder,
    clusters_decoder,
    template_decoder,
    templates_decoder,
)

log = logging.getLogger("python_apiserver_client")

CONNECT_TIMEOUT = 50
READ_TIMEOUT = 50
TIMEOUT = (CONNECT_TIMEOUT, READ_TIMEOUT)

T = TypeVar("T")


def _message(response: requests.Response) -> str:
    """The server's error message: ``message`` of a JSON body, else the body itself, else the reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    text = response.text.strip()
    return text or "{} {}".format(response.status_code, response.reason)


class KubeRayAPIs:
    """The V1 API server's REST API.

    :param server_url: the API server (KubeRay's standalone default: ``http://localhost:31888``)
    :param token: sent in the ``Authorization`` header when set
    :param wait_interval: seconds between two polls of ``wait_cluster_ready``
    :param bearer: prefix a bare token with ``Bearer`` (our server's Kubernetes authentication)
    """

    def __init__(
        self,
        server_url: str = "http://localhost:31888",
        token: Optional[str] = None,
        wait_interval: int = 2,
        bearer: bool = False,
    ) -> None:
        self.base = server_url.rstrip("/")
        self.wait_interval = wait_interval
        self.api_base = "/apis/v1/"
        self.headers: Dict[str, str] = {"Content-Type": "application/json", "accept": "application/json"}
        if token is not None:
            if bearer and not token.lower().startswith("bearer "):
                token = "Bearer " + token
            self.headers["Authorization"] = token

    # -- plumbing ------------------------------------------------------------------------------------------

    def _url(self, *parts: str) -> str:
        return self.base + self.api_base + "/".join(quote(p, safe="") for p in parts)

    def _send(self, method: str, url: str, body: Optional[Dict[str, Any]] = None) -> Tuple[int, Optional[str], Any]:
        response = requests.request(method, url, json=body, headers=self.headers, timeout=TIMEOUT)
        if response.status_code // 100 != 2:
            message = _message(response)
            log.warning("%s %s: %d %s", method, url, response.status_code, message)
            return response.status_code, message, None
        if not response.content:
            return response.status_code, None, {}
        try:
            return response.status_code, None, response.json()
        except ValueError:
            message = "the API server answered {} with a body that is not JSON: {!r}".format(
                response.status_code, response.text[:200]
            )
            log.warning("%s %s: %s", method, url, message)
            return 502, message, None

    def _read(
        self, url: str, decode: Callable[[Any], T], method: str = "GET", body: Optional[Dict[str, Any]] = None
    ) -> Tuple[int, Optional[str], Optional[T]]:
        status, message, answer = self._send(method, url, body)
        if message is not None:
            return status, message, None
        try:
            return status, None, decode(answer)
        except ValueError as err:
            log.warning("%s %s: cannot read the answer: %s", method, url, err)
            return 502, "cannot read the API server's answer: {}".format(err), None

    def _write(self, method: str, url: str, body: Optional[Dict[str, Any]] = None) -> Tuple[int, Optional[str]]:
        status, message, _ = self._send(method, url, body)
        return status, message

    # -- compute templates ---------------------------------------------------------------------------------

    def list_compute_templates(self) -> Tuple[int, Optional[str], Optional[List[Template]]]:
        """The compute templates of all namespaces."""
        return self._read(self._url("compute_templates"), templates_decoder)

    def list_compute_templates_namespace(self, ns: str) -> Tuple[int, Optional[str], Optional[List[Template]]]:
        """The compute templates of one namespace."""
        return self._read(self._url("namespaces", ns, "compute_templates"), templates_decoder)

    def get_compute_template(self, ns: str, name: str) -> Tuple[int, Optional[str], Optional[Template]]:
        """One compute template."""
        return self._read(self._url("namespaces", ns, "compute_templates", name), template_decoder)

    def create_compute_template(self, template: Template) -> Tuple[int, Optional[str]]:
        """Creates a compute template (in ``template.namespace``)."""
        return self._write("POST", self._url("namespaces", template.namespace, "compute_templates"), template.to_dict())

    def delete_compute_template(self, ns: str, name: str) -> Tuple[int, Optional[str]]:
        """Deletes a compute template."""
        return self._write("DELETE", self._url("namespaces", ns, "compute_templates", name))

    # -- clusters ------------------------------------------------------------------------------------------

    def list_clusters(self) -> Tuple[int, Optional[str], Optional[List[Cluster]]]:
        """The clusters of all namespaces."""
        return self._read(self._url("clusters"), clusters_decoder)

    def list_clusters_namespace(self, ns: str) -> Tuple[int, Optional[str], Optional[List[Cluster]]]:
        """The clusters of one namespace."""
        return self._read(self._url("namespaces", ns, "clusters"), clusters_decoder)

    def get_cluster(self, ns: str, name: str) -> Tuple[int, Optional[str], Optional[Cluster]]:
        """One cluster, with its state, events and service endpoints."""
        return self._read(self._url("namespaces", ns, "clusters", name), cluster_decoder)

    def create_cluster(self, cluster: Cluster) -> Tuple[int, Optional[str]]:
        """Creates a cluster (in ``cluster.namespace``) from compute templates that must exist."""
        return self._write("POST", self._url("namespaces", cluster.namespace, "clusters"), cluster.to_dict())

    def get_cluster_status(self, ns: str, name: str) -> Tuple[int, Optional[str], Optional[str]]:
        """The cluster's state (``ready``, ``suspended``, ...); ``creating`` while it has none."""
        status, message, cluster = self.get_cluster(ns=ns, name=name)
        if message is not None or cluster is None:
            return status, message, None
        return status, None, cluster.cluster_status or "creating"

    def wait_cluster_ready(self, ns: str, name: str, wait: int = -1) -> Tuple[int, Optional[str]]:
        """Polls every ``wait_interval`` seconds until the cluster is ready; ``wait`` seconds at most (-1:
        forever). A timeout answers ``408`` with a message, as KubeRay's does."""
        waited = 0
        while True:
            status, message, state = self.get_cluster_status(ns=ns, name=name)
            if message is not None:
                return status, message
            if state == "ready":
                return status, None
            if waited > wait > 0:
                return 408, "Timed out waiting for cluster ready in {} sec".format(waited)
            time.sleep(self.wait_interval)
            waited += self.wait_interval

    def get_cluster_endpoints(self, ns: str, name: str, wait: int = -1) -> Tuple[int, Optional[str], Optional[str]]:
        """``<name>-head-svc.<ns>.svc.cluster.local:<dashboard port>`` once the cluster is ready."""
        status, message = self.wait_cluster_ready(ns=ns, name=name, wait=wait)
        if message is not None:
            return status, message, None
        status, message, cluster = self.get_cluster(ns=ns, name=name)
        if message is not None or cluster is None:
            return status, message, None
        port = (cluster.service_endpoint or {}).get("dashboard")
        if port is None:
            message = "cluster {}/{} reports no dashboard endpoint".format(ns, name)
            log.warning("%s", message)
            return 404, message, None
        return status, None, "{}-head-svc.{}.svc.cluster.local:{}".format(name, ns, port)

    def delete_cluster(self, ns: str, name: str) -> Tuple[int, Optional[str]]:
        """Deletes a cluster."""
        return self._write("DELETE", self._url("namespaces", ns, "clusters", name))

    # -- job submissions (Ray's job API on a cluster, through the API server) ------------------------------

    def submit_job(self, ns: str, name: str, job_request: RayJobRequest) -> Tuple[int, Optional[str], Optional[str]]:
        """Submits a job to cluster ``name``; the third item is the submission id."""

        def submission_id(body: Any) -> str:
            sid = body.get("submissionId") if isinstance(body, dict) else None
            if not isinstance(sid, str):
                raise ValueError("no submissionId in {!r}".format(body))
            return sid

        return self._read(
            self._url("namespaces", ns, "jobsubmissions", name), submission_id, "POST", job_request.to_dict()
        )

    def get_job_info(self, ns: str, name: str, sid: str) -> Tuple[int, Optional[str], Optional[RayJobInfo]]:
        """What Ray reports of one submission."""
        return self._read(self._url("namespaces", ns, "jobsubmissions", name, sid), RayJobInfo)

    def list_job_info(self, ns: str, name: str) -> Tuple[int, Optional[str], Optional[List[RayJobInfo]]]:
        """Every submission of the cluster (an empty list when it has none)."""

        def infos(body: Any) -> List[RayJobInfo]:
            return [RayJobInfo(i) for i in (body.get("submissions") if isinstance(body, dict) else None) or []]

        return self._read(self._url("namespaces", ns, "jobsubmissions", name), infos)

    def get_job_log(self, ns: str, name: str, sid: str) -> Tuple[int, Optional[str], Optional[str]]:
        """The submission's driver log."""

        def text(body: Any) -> str:
            return str(body.get("log", "")) if isinstance(body, dict) else ""

        return self._read(self._url("namespaces", ns, "jobsubmissions", name, "log", sid), text)

    def stop_ray_job(self, ns: str, name: str, sid: str) -> Tuple[int, Optional[str]]:
        """Stops a running submission."""
        return self._write("POST", self._url("namespaces", ns, "jobsubmissions", name, sid))

    def delete_ray_job(self, ns: str, name: str, sid: str) -> Tuple[int, Optional[str]]:
        """Deletes a finished submission."""
        return self._write("DELETE", self._url("namespaces", ns, "jobsubmissions", name, sid))
