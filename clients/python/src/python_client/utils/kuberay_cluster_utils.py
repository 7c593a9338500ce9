"""ClusterUtils: build and edit RayCluster manifests held as plain dicts.

Same methods, arguments and return values as KubeRay's ``python_client.utils.kuberay_cluster_utils``: the
``populate_*`` and ``update_*`` methods return ``(cluster_or_group, succeeded)`` and log why when they did
not succeed. A name that is not a valid Kubernetes name raises ``InvalidClusterSpecError`` (which is both an
``AssertionError``, what KubeRay raises there, and a ``ValueError``).
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, List, Optional, Tuple

from python_client import constants
from python_client._kube import module_logger

log = module_logger(__name__)

_NAME = re.compile(r"^[a-z0-9]([-.]*[a-z0-9])+$")
_LABEL = re.compile(r"^[a-z0-9]([-._]*[a-z0-9])+$")

# The ports KubeRay's head container declares: GCS, dashboard, Ray client.
_HEAD_PORTS = [
    {"containerPort": 6379, "name": "gcs-server", "protocol": "TCP"},
    {"containerPort": 8265, "name": "dashboard", "protocol": "TCP"},
    {"containerPort": 10001, "name": "client", "protocol": "TCP"},
]
_LOG_VOLUME = "ray-logs"
_LOG_DIR = "/tmp/ray"


class InvalidClusterSpecError(AssertionError, ValueError):
    """A RayCluster field has a value the API server or the operator would refuse (the message says which)."""


def _resources(cpu_requests: str, memory_requests: str, cpu_limits: str, memory_limits: str) -> Dict[str, Any]:
    return {
        "requests": {"cpu": cpu_requests, "memory": memory_requests},
        "limits": {"cpu": cpu_limits, "memory": memory_limits},
    }


def _first_missing(fields: Dict[str, Any]) -> Optional[str]:
    """The first field whose value is empty (None, "", {}, [] or 0), as KubeRay's checks see it."""
    for name, value in fields.items():
        if not value and value is not False:
            return name
    return None


class ClusterUtils:
    """
    ClusterUtils edits RayCluster dicts.

    Methods:
    - populate_meta(cluster, name, k8s_namespace, labels, ray_version) -> dict
    - populate_ray_head(cluster, ray_image, service_type, cpu_requests, memory_requests, cpu_limits,
      memory_limits, ray_start_params) -> Tuple[dict, bool]
    - populate_worker_group(group_name, ray_image, ray_command, init_image, cpu_requests, memory_requests,
      cpu_limits, memory_limits, replicas, min_replicas, max_replicas, ray_start_params) -> Tuple[dict, bool]
    - update_worker_group_replicas(cluster, group_name, max_replicas, min_replicas, replicas) -> Tuple[dict, bool]
    - update_worker_group_resources(cluster, group_name, cpu_requests, memory_requests, cpu_limits,
      memory_limits, container_name="unspecified") -> Tuple[dict, bool]
    - duplicate_worker_group(cluster, group_name, new_group_name) -> Tuple[dict, bool]
    - delete_worker_group(cluster, group_name) -> Tuple[dict, bool]
    - is_valid_name(name) -> bool, is_valid_label(name) -> bool
    """

    def populate_meta(
        self,
        cluster: Dict[str, Any],
        name: str,
        k8s_namespace: str,
        labels: Optional[Dict[str, Any]],
        ray_version: str,
    ) -> Dict[str, Any]:
        """Sets apiVersion, kind, metadata (name, namespace, labels) and spec.rayVersion; resets spec.

        Raises InvalidClusterSpecError when `name` is not a valid RayCluster name.
        """
        self._require_name("metadata.name", name)
        cluster["apiVersion"] = "{}/{}".format(constants.GROUP, constants.CLUSTER_VERSION)
        cluster["kind"] = constants.CLUSTER_KIND
        cluster["metadata"] = {"name": name, "namespace": k8s_namespace, "labels": labels}
        cluster["spec"] = {"rayVersion": ray_version}
        return cluster

    def populate_ray_head(
        self,
        cluster: Dict[str, Any],
        ray_image: str,
        service_type: str,
        cpu_requests: str,
        memory_requests: str,
        cpu_limits: str,
        memory_limits: str,
        ray_start_params: Dict[str, Any],
    ) -> Tuple[Dict[str, Any], bool]:
        """Sets spec.headGroupSpec: one ``ray-head`` container with KubeRay's ports, the resources given, and
        an emptyDir for Ray's logs. Returns (cluster, False) with a log line when a value is missing or
        populate_meta has not run."""
        missing = _first_missing(
            {
                "cluster": cluster,
                "ray_image": ray_image,
                "service_type": service_type,
                "cpu_requests": cpu_requests,
                "memory_requests": memory_requests,
                "cpu_limits": cpu_limits,
                "memory_limits": memory_limits,
                "ray_start_params": ray_start_params,
            }
        )
        if missing:
            log.error("error creating ray head, the parameters are not fully defined: %s is empty", missing)
            return cluster, False
        if "spec" not in cluster or "metadata" not in cluster:
            log.error("error creating ray head, the spec and/or metadata is not defined (run populate_meta first)")
            return cluster, False
        cluster["spec"]["headGroupSpec"] = {
            "serviceType": service_type,
            "rayStartParams": copy.deepcopy(ray_start_params),
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "ray-head",
                            "image": ray_image,
                            "ports": copy.deepcopy(_HEAD_PORTS),
                            "resources": _resources(cpu_requests, memory_requests, cpu_limits, memory_limits),
                            "volumeMounts": [{"mountPath": _LOG_DIR, "name": _LOG_VOLUME}],
                        }
                    ],
                    "volumes": [{"name": _LOG_VOLUME, "emptyDir": {}}],
                }
            },
        }
        return cluster, True

    def populate_worker_group(
        self,
        group_name: str,
        ray_image: str,
        ray_command: Any,
        init_image: str,
        cpu_requests: str,
        memory_requests: str,
        cpu_limits: str,
        memory_limits: str,
        replicas: int,
        min_replicas: int,
        max_replicas: int,
        ray_start_params: Dict[str, Any],
    ) -> Tuple[Optional[Dict[str, Any]], bool]:
        """Returns a workerGroupSpec: one ``ray-worker`` container running `ray_command` with ``ray stop`` as
        its preStop hook, the resources given and an emptyDir for Ray's logs.

        Returns (None, False) with a log line when a value is missing. Raises InvalidClusterSpecError when
        `group_name` is not a valid name, a replica count is negative, or max_replicas < min_replicas.
        `init_image` is accepted for compatibility and unused: the operator adds the init container that
        waits for the head (as KubeRay's current client does).
        """
        missing = _first_missing(
            {
                "group_name": group_name,
                "ray_image": ray_image,
                "ray_command": ray_command,
                "init_image": init_image,
                "cpu_requests": cpu_requests,
                "memory_requests": memory_requests,
                "cpu_limits": cpu_limits,
                "memory_limits": memory_limits,
                "max_replicas": max_replicas,
            }
        )
        if missing:
            log.error("error populating worker group, the parameters are not fully defined: %s is empty", missing)
            return None, False
        self._require_name("groupName", group_name)
        self._require_counts(replicas, min_replicas, max_replicas)
        group = {
            "groupName": group_name,
            "maxReplicas": max_replicas,
            "minReplicas": min_replicas,
            "replicas": replicas,
            "rayStartParams": copy.deepcopy(ray_start_params) if ray_start_params is not None else {},
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "ray-worker",
                            "image": ray_image,
                            "command": copy.deepcopy(ray_command),
                            "lifecycle": {"preStop": {"exec": {"command": ["/bin/sh", "-c", "ray stop"]}}},
                            "resources": _resources(cpu_requests, memory_requests, cpu_limits, memory_limits),
                            "volumeMounts": [{"mountPath": _LOG_DIR, "name": _LOG_VOLUME}],
                        }
                    ],
                    "volumes": [{"name": _LOG_VOLUME, "emptyDir": {}}],
                }
            },
        }
        return group, True

    def update_worker_group_replicas(
        self,
        cluster: Dict[str, Any],
        group_name: str,
        max_replicas: int,
        min_replicas: int,
        replicas: int,
    ) -> Tuple[Dict[str, Any], bool]:
        """Sets maxReplicas, minReplicas and replicas of the worker group `group_name`.

        (cluster, False) when a value is missing or no group has that name (logged). Raises
        InvalidClusterSpecError when the cluster has no worker groups, a count is negative, or
        max_replicas < min_replicas.
        """
        missing = _first_missing({"cluster": cluster, "group_name": group_name, "max_replicas": max_replicas})
        if missing:
            log.error("error updating worker group, the parameters are not fully defined: %s is empty", missing)
            return cluster, False
        groups = self._worker_groups(cluster)
        self._require_counts(replicas, min_replicas, max_replicas)
        for group in groups:
            if group.get("groupName") == group_name:
                group["maxReplicas"] = max_replicas
                group["minReplicas"] = min_replicas
                group["replicas"] = replicas
                return cluster, True
        log.error("error updating worker group replicas, no worker group is named %s", group_name)
        return cluster, False

    def update_worker_group_resources(
        self,
        cluster: Dict[str, Any],
        group_name: str,
        cpu_requests: str,
        memory_requests: str,
        cpu_limits: str,
        memory_limits: str,
        container_name: str = "unspecified",
    ) -> Tuple[Dict[str, Any], bool]:
        """Sets the CPU and memory requests and limits of containers of the worker group `group_name`:
        the first container (``container_name="unspecified"``), every container (``"all_containers"``), or
        the container with that name. (cluster, False) when nothing matched or a value is missing (logged).
        """
        missing = _first_missing(
            {
                "cluster": cluster,
                "group_name": group_name,
                "cpu_requests": cpu_requests,
                "memory_requests": memory_requests,
                "cpu_limits": cpu_limits,
                "memory_limits": memory_limits,
                "container_name": container_name,
            }
        )
        if missing:
            log.error("error updating worker group, the parameters are not fully defined: %s is empty", missing)
            return cluster, False
        wanted = _resources(cpu_requests, memory_requests, cpu_limits, memory_limits)

        def apply(container: Dict[str, Any]) -> None:
            resources = container.setdefault("resources", {})
            for kind in ("requests", "limits"):
                section = resources.get(kind)
                if not isinstance(section, dict):
                    section = resources[kind] = {}
                section.update(wanted[kind])

        for group in self._worker_groups(cluster):
            if group.get("groupName") != group_name:
                continue
            containers: List[Dict[str, Any]] = group.get("template", {}).get("spec", {}).get("containers", [])
            if not containers:
                log.error("error updating container resources, the worker group %s has no containers", group_name)
                return cluster, False
            if container_name == "unspecified":
                apply(containers[0])
                return cluster, True
            if container_name == "all_containers":
                for container in containers:
                    apply(container)
                return cluster, True
            for container in containers:
                if container.get("name") == container_name:
                    apply(container)
                    return cluster, True
            log.error("error updating container resources, worker group %s has no container %s", group_name, container_name)
            return cluster, False
        log.error("error updating worker group resources, no worker group is named %s", group_name)
        return cluster, False

    def duplicate_worker_group(
        self,
        cluster: Dict[str, Any],
        group_name: str,
        new_group_name: str,
    ) -> Tuple[Dict[str, Any], bool]:
        """Appends a copy of the worker group `group_name` named `new_group_name`. (cluster, False) when no
        group has that name or a value is missing (logged); raises InvalidClusterSpecError for an invalid
        new name or a cluster without worker groups."""
        missing = _first_missing({"cluster": cluster, "group_name": group_name, "new_group_name": new_group_name})
        if missing:
            log.error("error duplicating worker group, the parameters are not fully defined: %s is empty", missing)
            return cluster, False
        self._require_name("groupName", new_group_name)
        groups = self._worker_groups(cluster)
        for group in groups:
            if group.get("groupName") == group_name:
                duplicate = copy.deepcopy(group)
                duplicate["groupName"] = new_group_name
                groups.append(duplicate)
                return cluster, True
        log.error("error duplicating worker group, no match was found for %s", group_name)
        return cluster, False

    def delete_worker_group(
        self,
        cluster: Dict[str, Any],
        group_name: str,
    ) -> Tuple[Dict[str, Any], bool]:
        """Removes the worker group `group_name`. (cluster, False) when no group has that name (logged)."""
        missing = _first_missing({"cluster": cluster, "group_name": group_name})
        if missing:
            log.error("error deleting worker group, the parameters are not fully defined: %s is empty", missing)
            return cluster, False
        groups = self._worker_groups(cluster)
        for i, group in enumerate(groups):
            if group.get("groupName") == group_name:
                del groups[i]
                return cluster, True
        log.error("error removing worker group, no match was found for %s", group_name)
        return cluster, False

    def is_valid_name(self, name: str) -> bool:
        """True for a name of 2 to 63 characters: lowercase letters, digits, '-' and '.', starting and ending
        with a letter or digit. Logs why otherwise."""
        if not isinstance(name, str) or len(name) > 63 or not _NAME.match(name):
            log.error(
                "invalid name %r: the name must be 63 characters or less, begin and end with an alphanumeric "
                "character, and contain only dashes, dots, and alphanumerics",
                name,
            )
            return False
        return True

    def is_valid_label(self, name: str) -> bool:
        """As is_valid_name, with '_' allowed too (label values)."""
        if not isinstance(name, str) or len(name) > 63 or not _LABEL.match(name):
            log.error(
                "invalid label %r: the label name must be 63 characters or less, begin and end with an "
                "alphanumeric character, and contain only dashes, underscores, dots, and alphanumerics",
                name,
            )
            return False
        return True

    def _require_name(self, field: str, name: str) -> None:
        if not self.is_valid_name(name):
            raise InvalidClusterSpecError(
                "{}: {!r} is not a valid name (at most 63 lowercase letters, digits, '-' or '.', starting and "
                "ending with a letter or digit)".format(field, name)
            )

    @staticmethod
    def _require_counts(replicas: int, min_replicas: int, max_replicas: int) -> None:
        for field, value in (("replicas", replicas), ("minReplicas", min_replicas), ("maxReplicas", max_replicas)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InvalidClusterSpecError("{}: {!r} is not a count (an integer >= 0)".format(field, value))
        if max_replicas < min_replicas:
            raise InvalidClusterSpecError(
                "maxReplicas: {} is less than minReplicas {}".format(max_replicas, min_replicas)
            )

    @staticmethod
    def _worker_groups(cluster: Dict[str, Any]) -> List[Dict[str, Any]]:
        groups = cluster.get("spec", {}).get("workerGroupSpecs") if isinstance(cluster, dict) else None
        if not groups:
            raise InvalidClusterSpecError("spec.workerGroupSpecs: the cluster has no worker groups")
        return groups  # type: ignore[no-any-return]


__all__ = ["ClusterUtils", "InvalidClusterSpecError"]
