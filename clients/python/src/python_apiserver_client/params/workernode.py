"""A worker node group of a cluster (``clusterSpec.workerGroupSpec[]``)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from python_apiserver_client.params._json import JsonDict, as_int, require_dict
from python_apiserver_client.params._node import common_dict, decode_common, describe_common
from python_apiserver_client.params.environmentvariables import EnvironmentVariables
from python_apiserver_client.params.volumes import BaseVolume

# Start parameters every worker gets unless the caller sets them.
DEFAULT_WORKER_START_PARAMS = {"node-ip-address": "$MY_POD_IP"}


class WorkerNodeSpec:
    """A worker group: name, compute template, image, replicas (min <= replicas <= max), start parameters
    (DEFAULT_WORKER_START_PARAMS, then the caller's), volumes, service account, pull secret and policy, env,
    metadata. Raises ValueError (a RuntimeError too, what KubeRay raises) when the replica counts disagree."""

    def __init__(
        self,
        group_name: str,
        compute_template: str,
        image: Optional[str],
        max_replicas: int,
        replicas: int = 1,
        min_replicas: int = 0,
        ray_start_params: Optional[Dict[str, str]] = DEFAULT_WORKER_START_PARAMS,
        volumes: Optional[List[BaseVolume]] = None,
        service_account: Optional[str] = None,
        image_pull_secret: Optional[str] = None,
        environment: Optional[EnvironmentVariables] = None,
        annotations: Optional[Dict[str, str]] = None,
        labels: Optional[Dict[str, str]] = None,
        image_pull_policy: Optional[str] = None,
    ) -> None:
        if min_replicas > replicas:
            raise ReplicasError("minReplicas: {} is greater than replicas {}".format(min_replicas, replicas))
        if replicas > max_replicas:
            raise ReplicasError("replicas: {} is greater than maxReplicas {}".format(replicas, max_replicas))
        self.group_name = group_name
        self.compute_template = compute_template
        self.replicas = replicas
        self.min_replicas = min_replicas
        self.max_replicas = max_replicas
        self.ray_start_params: Dict[str, str] = {**DEFAULT_WORKER_START_PARAMS, **(ray_start_params or {})}
        self.image = image
        self.volumes = volumes
        self.service_account = service_account
        self.image_pull_secret = image_pull_secret
        self.environment = environment
        self.annotations = annotations
        self.labels = labels
        self.image_pull_policy = image_pull_policy

    def to_string(self) -> str:
        text = (
            "group_name = {},  compute template = {}, replicas = {}, min_replicas = {}, max_replicas = {}, "
            "ray start params = {}".format(
                self.group_name, self.compute_template, self.replicas, self.min_replicas, self.max_replicas,
                self.ray_start_params,
            )
        )
        return text + describe_common(
            self.image, self.service_account, self.image_pull_secret, self.image_pull_policy,
            self.volumes, self.environment, self.annotations, self.labels,
        )

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {
            "groupName": self.group_name,
            "computeTemplate": self.compute_template,
            "replicas": self.replicas,
            "minReplicas": self.min_replicas,
            "maxReplicas": self.max_replicas,
            "rayStartParams": dict(self.ray_start_params),
        }
        return common_dict(
            dct, self.image, self.service_account, self.image_pull_secret, self.image_pull_policy,
            self.volumes, self.environment, self.annotations, self.labels,
        )


class ReplicasError(ValueError, RuntimeError):
    """Replica counts that contradict each other (names the field)."""


def worker_node_spec_decoder(dct: JsonDict) -> WorkerNodeSpec:
    """A WorkerNodeSpec from its JSON (omitted counts are 0, as proto JSON omits zero values)."""
    dct = require_dict(dct, "workerGroupSpec")
    spec = WorkerNodeSpec(
        group_name=dct.get("groupName", ""),
        compute_template=dct.get("computeTemplate", ""),
        replicas=as_int(dct.get("replicas"), "workerGroupSpec.replicas"),
        min_replicas=as_int(dct.get("minReplicas"), "workerGroupSpec.minReplicas"),
        max_replicas=as_int(dct.get("maxReplicas"), "workerGroupSpec.maxReplicas"),
        ray_start_params=dct.get("rayStartParams") or {},
        **decode_common(dct),
    )
    # What the server sent, as it sent it (the constructor adds the defaults, which the server already did).
    spec.ray_start_params = dict(dct.get("rayStartParams") or {})
    return spec
