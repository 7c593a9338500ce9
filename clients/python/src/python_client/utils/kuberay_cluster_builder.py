"""ClusterBuilder (a fluent RayCluster builder) and Director (preset cluster sizes).

Same classes, methods, arguments, defaults and results as KubeRay's
``python_client.utils.kuberay_cluster_builder``: each ``build_*`` returns the builder, ``get_cluster()``
returns a copy of the dict built so far, and ``succeeded`` says whether the last step worked (a failed step
logs why). The Director's presets return the cluster dict, or None when building failed (logged).
"""

from __future__ import annotations

import copy
import math
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, Optional

from python_client._kube import module_logger
from python_client.utils import kuberay_cluster_utils

log = module_logger(__name__)


class IClusterBuilder(metaclass=ABCMeta):
    """The steps of building a cluster: metadata, head, worker groups, then the result."""

    @abstractmethod
    def build_meta(self, *args: Any, **kwargs: Any) -> "IClusterBuilder":
        """Builds the cluster's metadata."""

    @abstractmethod
    def build_head(self, *args: Any, **kwargs: Any) -> "IClusterBuilder":
        """Builds the head group."""

    @abstractmethod
    def build_worker(self, *args: Any, **kwargs: Any) -> "IClusterBuilder":
        """Adds a worker group."""

    @abstractmethod
    def get_cluster(self) -> Dict[str, Any]:
        """Returns the cluster built so far."""


class ClusterBuilder(IClusterBuilder):
    """Builds a RayCluster dict step by step: ``build_meta(...).build_head(...).build_worker(...).get_cluster()``."""

    def __init__(self) -> None:
        self.cluster: Dict[str, Any] = {}
        self.succeeded: bool = False
        self.cluster_utils = kuberay_cluster_utils.ClusterUtils()

    def build_meta(
        self,
        name: str,
        k8s_namespace: str = "default",
        labels: Optional[Dict[str, Any]] = None,
        ray_version: str = "2.3.0",
    ) -> "ClusterBuilder":
        """Starts a new cluster: apiVersion, kind, metadata and spec.rayVersion.

        Raises InvalidClusterSpecError when `name` is not a valid name.
        """
        self.cluster = self.cluster_utils.populate_meta(
            cluster={},
            name=name,
            k8s_namespace=k8s_namespace,
            labels=labels,
            ray_version=ray_version,
        )
        self.succeeded = True
        return self

    def build_head(
        self,
        ray_image: str = "rayproject/ray:2.3.0",
        service_type: str = "ClusterIP",
        cpu_requests: str = "2",
        memory_requests: str = "3G",
        cpu_limits: str = "2",
        memory_limits: str = "3G",
        ray_start_params: Dict[str, Any] = {
            "block": "true",
            "dashboard-host": "0.0.0.0",
        },
    ) -> "ClusterBuilder":
        """Sets the head group (see ClusterUtils.populate_ray_head); `succeeded` is False when it failed."""
        self.cluster, self.succeeded = self.cluster_utils.populate_ray_head(
            self.cluster,
            ray_image=ray_image,
            service_type=service_type,
            cpu_requests=cpu_requests,
            memory_requests=memory_requests,
            cpu_limits=cpu_limits,
            memory_limits=memory_limits,
            ray_start_params=ray_start_params,
        )
        return self

    def build_worker(
        self,
        group_name: str,
        ray_image: str = "rayproject/ray:2.3.0",
        ray_command: Any = ["/bin/bash", "-lc"],
        init_image: str = "busybox:1.28",
        cpu_requests: str = "1",
        memory_requests: str = "1G",
        cpu_limits: str = "2",
        memory_limits: str = "2G",
        replicas: int = 1,
        min_replicas: int = -1,
        max_replicas: int = -1,
        ray_start_params: Dict[str, Any] = {
            "block": "true",
        },
    ) -> "ClusterBuilder":
        """Adds a worker group. A negative `min_replicas` becomes ceil(replicas / 2) and a negative
        `max_replicas` becomes replicas * 3, as in KubeRay. `succeeded` is False (logged) when build_meta or
        build_head has not run or a value is missing."""
        if min_replicas < 0:
            min_replicas = int(math.ceil(replicas / 2))
        if max_replicas < 0:
            max_replicas = int(replicas * 3)
        spec = self.cluster.get("spec")
        if not isinstance(spec, dict):
            log.error(
                "error adding worker group %s: the cluster has no spec, did you run build_meta() and build_head()?",
                group_name,
            )
            self.succeeded = False
            return self
        group, self.succeeded = self.cluster_utils.populate_worker_group(
            group_name,
            ray_image,
            ray_command,
            init_image,
            cpu_requests,
            memory_requests,
            cpu_limits,
            memory_limits,
            replicas,
            min_replicas,
            max_replicas,
            ray_start_params,
        )
        if self.succeeded and group is not None:
            spec.setdefault("workerGroupSpecs", []).append(group)
        return self

    def get_cluster(self) -> Dict[str, Any]:
        """A deep copy of the cluster built so far."""
        return copy.deepcopy(self.cluster)


class Director:
    """Preset clusters: a head only, or a head and one worker group of 1, 3 or 6 replicas."""

    def __init__(self) -> None:
        self.cluster_builder = ClusterBuilder()

    def _preset(
        self,
        name: str,
        k8s_namespace: str,
        labels: Optional[Dict[str, Any]],
        worker: Optional[Dict[str, Any]],
    ) -> Optional[Dict[str, Any]]:
        builder = self.cluster_builder.build_meta(name=name, k8s_namespace=k8s_namespace, labels=labels).build_head()
        if worker is not None:
            builder = builder.build_worker(group_name="{}-workers".format(name), **worker)
        cluster = builder.get_cluster()
        if self.cluster_builder.succeeded:
            return cluster
        log.error("building the cluster %s failed (see the errors above)", name)
        return None

    def build_basic_cluster(
        self, name: str, k8s_namespace: str = "default", labels: Optional[Dict[str, Any]] = None
    ) -> Optional[Dict[str, Any]]:
        """A cluster with a head only (2 CPUs, 3G)."""
        return self._preset(name, k8s_namespace, labels, None)

    def build_small_cluster(
        self, name: str, k8s_namespace: str = "default", labels: Optional[Dict[str, Any]] = None
    ) -> Optional[Dict[str, Any]]:
        """A head and the worker group ``<name>-workers``: 1 replica (0 to 2), 1-2 CPUs, 1G-2G each."""
        return self._preset(
            name,
            k8s_namespace,
            labels,
            {
                "replicas": 1,
                "min_replicas": 0,
                "max_replicas": 2,
                "cpu_requests": "1",
                "memory_requests": "1G",
                "cpu_limits": "2",
                "memory_limits": "2G",
            },
        )

    def build_medium_cluster(
        self, name: str, k8s_namespace: str = "default", labels: Optional[Dict[str, Any]] = None
    ) -> Optional[Dict[str, Any]]:
        """A head and the worker group ``<name>-workers``: 3 replicas (0 to 6), 2-4 CPUs, 2G-4G each."""
        return self._preset(
            name,
            k8s_namespace,
            labels,
            {
                "replicas": 3,
                "min_replicas": 0,
                "max_replicas": 6,
                "cpu_requests": "2",
                "memory_requests": "2G",
                "cpu_limits": "4",
                "memory_limits": "4G",
            },
        )

    def build_large_cluster(
        self, name: str, k8s_namespace: str = "default", labels: Optional[Dict[str, Any]] = None
    ) -> Optional[Dict[str, Any]]:
        """A head and the worker group ``<name>-workers``: 6 replicas (0 to 12), 3-6 CPUs, 4G-8G each."""
        return self._preset(
            name,
            k8s_namespace,
            labels,
            {
                "replicas": 6,
                "min_replicas": 0,
                "max_replicas": 12,
                "cpu_requests": "3",
                "memory_requests": "4G",
                "cpu_limits": "6",
                "memory_limits": "8G",
            },
        )


__all__ = ["IClusterBuilder", "ClusterBuilder", "Director"]
