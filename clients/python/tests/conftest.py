"""Fixtures for the clients' tests.

Tests marked ``cluster`` need the cluster that ``tests/harness.ts`` starts (control plane, local node with
real Ray, CRDs, operator); it sets KUBERAY_TS_PYTEST_CLUSTER=1 and KUBECONFIG. Run without it, they fail
with a message saying so (run ``pytest -m "not cluster"`` for the pure tests alone).
"""

from __future__ import annotations

import os
import secrets
import time
from typing import Any, Callable, Dict, Iterator, Optional, TypeVar

import pytest

T = TypeVar("T")


def _need_cluster() -> None:
    if os.environ.get("KUBERAY_TS_PYTEST_CLUSTER") != "1":
        pytest.fail(
            "this test needs the local cluster and operator: run it through "
            "`node_modules/.bin/node clients/python/tests/harness.ts` (or only the pure tests: -m 'not cluster')",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _cluster_gate(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("cluster"):
        _need_cluster()


@pytest.fixture(scope="session")
def kube() -> Any:
    """The kubernetes package, configured from KUBECONFIG (the harness's cluster)."""
    _need_cluster()
    from kubernetes import client, config

    config.load_kube_config()
    return client


@pytest.fixture()
def namespace(kube: Any) -> Iterator[str]:
    """A fresh namespace for one test, deleted afterwards."""
    name = "pyc-" + secrets.token_hex(3)
    core = kube.CoreV1Api()
    core.create_namespace({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    yield name
    core.delete_namespace(name)


def eventually(
    fn: Callable[[], Optional[T]], timeout: float, what: str, interval: float = 1.0, show: Optional[Callable[[], Any]] = None
) -> T:
    """Calls `fn` until it returns something other than None or False; fails with `what` (and what `show`
    returns then) after `timeout`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = fn()
        if last is not None and last is not False:
            return last
        if time.monotonic() > deadline:
            seen = "; last seen: {!r}".format(show()) if show else ""
            pytest.fail("timed out after {}s waiting for {}{}".format(timeout, what, seen), pytrace=False)
        time.sleep(interval)


def ray_job(name: str, entrypoint: str, cluster_spec: Dict[str, Any], **spec: Any) -> Dict[str, Any]:
    """A RayJob manifest (K8sJobMode) around `cluster_spec`."""
    return {
        "apiVersion": "ray.io/v1",
        "kind": "RayJob",
        "metadata": {"name": name},
        "spec": {"entrypoint": entrypoint, "rayClusterSpec": cluster_spec, **spec},
    }


@pytest.fixture(scope="session")
def apiserver_url() -> str:
    """Our API server's URL (tests/harness.ts starts it with Kubernetes authentication)."""
    _need_cluster()
    url = os.environ.get("KUBERAY_TS_APISERVER_URL")
    if not url:
        pytest.fail("KUBERAY_TS_APISERVER_URL is not set: the harness starts the API server", pytrace=False)
    return url


@pytest.fixture(scope="session")
def apiserver_token(kube: Any) -> Iterator[str]:
    """A token of a ServiceAccount bound to cluster-admin, for the API server's Kubernetes authentication."""
    core = kube.CoreV1Api()
    rbac = kube.RbacAuthorizationV1Api()
    name = "pyc-admin-" + secrets.token_hex(3)
    core.create_namespaced_service_account("default", {"metadata": {"name": name}})
    rbac.create_cluster_role_binding(
        {
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
            "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": "default"}],
        }
    )
    request = {"spec": {"audiences": [], "expirationSeconds": 3600}}
    token: str = core.create_namespaced_service_account_token(name, "default", request).status.token
    yield token
    rbac.delete_cluster_role_binding(name)
    core.delete_namespaced_service_account(name, "default")
