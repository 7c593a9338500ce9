"""RayClusterApi: list, get, create, patch and delete RayCluster custom resources, and wait for them.

Same methods, argument names, defaults and return values as KubeRay's ``python_client.kuberay_cluster_api``.
Where KubeRay returns ``None`` (or ``False``) on an API error, so do we, and the error is always logged with
the API server's own message first. Errors that are not API responses (no route to the server, bad TLS)
are raised, as in KubeRay.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from kubernetes.client.exceptions import ApiException

from python_client import constants
from python_client._kube import (
    KubeObject,
    api_error_message,
    as_object,
    custom_objects_api,
    load_config,
    module_logger,
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
        try:
            resource: Any = self.api.list_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.CLUSTER_VERSION,
                plural=constants.CLUSTER_PLURAL,
                namespace=k8s_namespace,
                label_selector=label_selector,
                async_req=async_req,
            )
        except ApiException as e:
            if e.status == 404:
                log.error("raycluster resource is not found. error = %s", api_error_message(e))
            else:
                log.error("error listing rayclusters in %s: %s", k8s_namespace, api_error_message(e))
            return None
        if async_req:
            return resource
        if isinstance(resource, dict) and "items" in resource:
            return resource
        log.error("listing rayclusters in %s returned no items list: %r", k8s_namespace, resource)
        return None

    def get_ray_cluster(self, name: str, k8s_namespace: str = "default") -> Any:
        """Gets one RayCluster. None when it does not exist or the API server refuses (logged)."""
        try:
            return self.api.get_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.CLUSTER_VERSION,
                plural=constants.CLUSTER_PLURAL,
                name=name,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            if e.status == 404:
                log.error("raycluster %s/%s is not found: %s", k8s_namespace, name, api_error_message(e))
            else:
                log.error("error fetching raycluster %s/%s: %s", k8s_namespace, name, api_error_message(e))
            return None

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
        while timeout > 0:
            try:
                resource = as_object(
                    self.api.get_namespaced_custom_object_status(
                        group=constants.GROUP,
                        version=constants.CLUSTER_VERSION,
                        plural=constants.CLUSTER_PLURAL,
                        name=name,
                        namespace=k8s_namespace,
                    )
                )
            except ApiException as e:
                if e.status == 404:
                    log.error("raycluster %s/%s is not found: %s", k8s_namespace, name, api_error_message(e))
                else:
                    log.error(
                        "error fetching the status of raycluster %s/%s: %s",
                        k8s_namespace,
                        name,
                        api_error_message(e),
                    )
                return None
            status = resource.get("status")
            if status:
                return status
            log.info("raycluster %s status not set yet, waiting...", name)
            time.sleep(delay_between_attempts)
            timeout -= delay_between_attempts
        log.info("raycluster %s status not set yet, timing out...", name)
        return None

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
        last_state: Optional[str] = None
        # get_ray_cluster_status may wait for a first status itself: one deadline covers both waits.
        deadline = time.monotonic() + timeout
        while deadline - time.monotonic() > 0:
            left = max(1, int(deadline - time.monotonic()))
            status = self.get_ray_cluster_status(name, k8s_namespace, left, delay_between_attempts)
            if status is None:
                # Missing, unreadable, or no status within the time left: each already logged.
                return False
            state = status.get("state") if isinstance(status, dict) else None
            if state == "ready":
                log.info("raycluster %s is ready", name)
                return True
            if state != last_state:
                log.info("raycluster %s is not ready yet, state: %s", name, state or "(none)")
                last_state = state
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(delay_between_attempts, remaining))
        log.info(
            "raycluster %s is not running yet, current status is %s", name, last_state or "unknown"
        )
        return False

    def create_ray_cluster(self, body: Any, k8s_namespace: str = "default") -> Any:
        """Creates a RayCluster from `body` (a dict). Returns the created object, or None on an API error
        (already exists, invalid, forbidden: logged with the API server's message)."""
        try:
            return self.api.create_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.CLUSTER_VERSION,
                plural=constants.CLUSTER_PLURAL,
                body=body,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            if e.status == 409:
                log.error("raycluster resource already exists. error = %s", api_error_message(e))
            else:
                log.error("error creating raycluster in %s: %s", k8s_namespace, api_error_message(e))
            return None

    def delete_ray_cluster(self, name: str, k8s_namespace: str = "default") -> Any:
        """Deletes a RayCluster. Returns the API server's answer (a Status object), or None when it was
        already gone or the API server refused (logged)."""
        try:
            return self.api.delete_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.CLUSTER_VERSION,
                plural=constants.CLUSTER_PLURAL,
                name=name,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            if e.status == 404:
                log.error("raycluster custom resource already deleted. error = %s", api_error_message(e))
            else:
                log.error(
                    "error deleting raycluster %s/%s: %s", k8s_namespace, name, api_error_message(e)
                )
            return None

    def patch_ray_cluster(self, name: str, ray_patch: Any, k8s_namespace: str = "default") -> Any:
        """Patches a RayCluster with `ray_patch` (a JSON merge patch for a dict, as the kubernetes client
        sends it). Returns True when the API server accepted it, False otherwise (logged)."""
        try:
            self.api.patch_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.CLUSTER_VERSION,
                plural=constants.CLUSTER_PLURAL,
                name=name,
                body=ray_patch,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            log.error("raycluster `%s` failed to patch, with error: %s", name, api_error_message(e))
            return False
        log.info("raycluster `%s` is patched successfully", name)
        return True


__all__ = ["RayClusterApi", "KubeObject"]
