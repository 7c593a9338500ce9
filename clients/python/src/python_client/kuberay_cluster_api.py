"""RayClusterApi: list, get, create, patch and delete RayCluster custom resources, and wait for them.

Same methods, argument names, defaults and return values as KubeRay's ``python_client.kuberay_cluster_api``.
Where KubeRay returns ``None`` (or ``False``) on an API error, so do we, and the error is always logged with
the API server's own message first. Errors that are not API responses (no route to the server, bad TLS)
are raised, as in KubeRay.
"""

from __future__ import annotations

from typing import Any, Optional


from python_client import constants
from python_client._kube import (
    FAILED,
    CustomObjects,
    KubeObject,
    custom_objects_api,
    load_config,
    module_logger,
    read_status,
    wait_on_status,
)

log = module_logger(__name__)


class RayClusterApi:
    """
    RayClusterApi lists, gets, creates, patches and deletes RayClusters (``ray.io/v1``) and waits for them.

    Methods:
    - list_ray_clusters(k8s_namespace="default", label_selector="", async_req=False) -> Any
    - get_ray_cluster(name, k8s_namespace="default") -> Any
    - get_ray_cluster_status(name, k8s_namespace="default", timeout=60, delay_between_attempts=5) -> Any
    - wait_until_ray_cluster_running(name, k8s_namespace="default", timeout=60, delay_between_attempts=5) -> bool
    - create_ray_cluster(body, k8s_namespace="default") -> Any
    - delete_ray_cluster(name, k8s_namespace="default") -> Any
    - patch_ray_cluster(name, ray_patch, k8s_namespace="default") -> Any (True or False)
    """

    def __init__(self) -> None:
        # The kubeconfig ($KUBECONFIG, ~/.kube/config) first, then the in-cluster service account.
        self.kube_config: Optional[Any] = load_config()
        self.api: Any = custom_objects_api()
        self._objects = CustomObjects(
            lambda: self.api, constants.CLUSTER_VERSION, constants.CLUSTER_PLURAL, log
        )

    def __del__(self) -> None:
        self.api = None
        self.kube_config = None

    def list_ray_clusters(
        self, k8s_namespace: str = "default", label_selector: str = "", async_req: bool = False
    ) -> Any:
        """Lists the RayClusters of a namespace (those matching `label_selector` when it is not empty).

        Returns the list object (``{"items": [...], ...}``); with ``async_req=True`` the kubernetes client's
        thread whose ``.get()`` returns it. None when the API server refuses (logged with its message).
        """
        resource = self._objects.call(
            "list_namespaced_custom_object",
            "error listing rayclusters in {}".format(k8s_namespace),
            not_found="raycluster resource is not found",
            namespace=k8s_namespace,
            label_selector=label_selector,
            async_req=async_req,
        )
        if resource is FAILED:
            return None
        if async_req:
            return resource
        if isinstance(resource, dict) and "items" in resource:
            return resource
        log.error("listing rayclusters in %s returned no items list: %r", k8s_namespace, resource)
        return None

    def get_ray_cluster(self, name: str, k8s_namespace: str = "default") -> Any:
        """Gets one RayCluster. None when it does not exist or the API server refuses (logged)."""
        got = self._objects.call(
            "get_namespaced_custom_object",
            "error fetching raycluster {}/{}".format(k8s_namespace, name),
            not_found="raycluster {}/{} is not found".format(k8s_namespace, name),
            name=name,
            namespace=k8s_namespace,
        )
        return None if got is FAILED else got

    def get_ray_cluster_status(
        self,
        name: str,
        k8s_namespace: str = "default",
        timeout: int = 60,
        delay_between_attempts: int = 5,
    ) -> Any:
        """Returns the RayCluster's ``status`` once the operator has written one.

        Reads the status subresource every `delay_between_attempts` seconds for up to `timeout` seconds.
        Returns None when the cluster does not exist, on an API error, or when no status appeared in time
        (each case logged).
        """
        return read_status(
            self.api, constants.CLUSTER_VERSION, constants.CLUSTER_PLURAL, "raycluster", name, k8s_namespace,
            timeout, delay_between_attempts, log,
        )

    def wait_until_ray_cluster_running(
        self,
        name: str,
        k8s_namespace: str = "default",
        timeout: int = 60,
        delay_between_attempts: int = 5,
    ) -> bool:
        """Waits until the RayCluster's ``status.state`` is ``ready`` (all its pods running and ready).

        Polls every `delay_between_attempts` seconds for up to `timeout` seconds. True once ready; False
        on timeout, or when the cluster does not exist or cannot be read (logged).
        """
        return wait_on_status(
            lambda left: self.get_ray_cluster_status(name, k8s_namespace, left, delay_between_attempts),
            lambda status: True if status.get("state") == "ready" else None,
            lambda status: str(status.get("state") or "(none)"),
            {
                "done": lambda _: "raycluster {} is ready".format(name),
                "never": lambda state: "raycluster {} will not be ready: {}".format(name, state),
                "waiting": lambda state: "raycluster {} is not ready yet, state: {}".format(name, state),
                "timeout": lambda state: "raycluster {} is not running yet, current status is {}".format(name, state),
            },
            timeout,
            delay_between_attempts,
            log,
        )

    def create_ray_cluster(self, body: Any, k8s_namespace: str = "default") -> Any:
        """Creates a RayCluster from `body` (a dict). Returns the created object, or None on an API error
        (already exists, invalid, forbidden: logged with the API server's message)."""
        created = self._objects.call(
            "create_namespaced_custom_object",
            "error creating raycluster in {}".format(k8s_namespace),
            conflict="raycluster resource already exists",
            body=body,
            namespace=k8s_namespace,
        )
        return None if created is FAILED else created

    def delete_ray_cluster(self, name: str, k8s_namespace: str = "default") -> Any:
        """Deletes a RayCluster. Returns the API server's answer (a Status object), or None when it was
        already gone or the API server refused (logged)."""
        deleted = self._objects.call(
            "delete_namespaced_custom_object",
            "error deleting raycluster {}/{}".format(k8s_namespace, name),
            not_found="raycluster custom resource already deleted",
            name=name,
            namespace=k8s_namespace,
        )
        return None if deleted is FAILED else deleted

    def patch_ray_cluster(self, name: str, ray_patch: Any, k8s_namespace: str = "default") -> Any:
        """Patches a RayCluster with `ray_patch` (a JSON merge patch for a dict, as the kubernetes client
        sends it). Returns True when the API server accepted it, False otherwise (logged)."""
        patched = self._objects.call(
            "patch_namespaced_custom_object",
            "raycluster `{}` failed to patch".format(name),
            name=name,
            body=ray_patch,
            namespace=k8s_namespace,
        )
        if patched is FAILED:
            return False
        log.info("raycluster `%s` is patched successfully", name)
        return True


__all__ = ["RayClusterApi", "KubeObject"]
