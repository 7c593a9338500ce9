"""The head node group of a cluster (``clusterSpec.headGroupSpec``)."""

from __future__ import annotations

import enum
from typing import Any, Dict, List, Optional

from python_apiserver_client.params._json import JsonDict, as_enum, require_dict
from python_apiserver_client.params._node import common_dict, decode_common, describe_common
from python_apiserver_client.params.environmentvariables import EnvironmentVariables
from python_apiserver_client.params.volumes import BaseVolume

# Start parameters every head gets unless the caller sets them.
DEFAULT_HEAD_START_PARAMS = {"dashboard-host": "0.0.0.0", "metrics-export-port": "8080", "num-cpus": "0"}


class ServiceType(enum.Enum):
    """Type of the head Service."""

    ClusterIP = "ClusterIP"
    NodePort = "NodePort"
    LoadBalancer = "LoadBalancer"


class HeadNodeSpec:
    """The head: its compute template, image, start parameters (DEFAULT_HEAD_START_PARAMS, then the
    caller's), Service type, ingress, volumes, service account, pull secret and policy, env, metadata."""

    def __init__(
        self,
        compute_template: str,
        image: Optional[str],
        ray_start_params: Optional[Dict[str, str]] = DEFAULT_HEAD_START_PARAMS,
        service_type: Optional[ServiceType] = ServiceType.ClusterIP,
        enable_ingress: bool = False,
        volumes: Optional[List[BaseVolume]] = None,
        service_account: Optional[str] = None,
        image_pull_secret: Optional[str] = None,
        environment: Optional[EnvironmentVariables] = None,
        annotations: Optional[Dict[str, str]] = None,
        labels: Optional[Dict[str, str]] = None,
        image_pull_policy: Optional[str] = None,
    ) -> None:
        self.compute_template = compute_template
        self.ray_start_params: Dict[str, str] = {**DEFAULT_HEAD_START_PARAMS, **(ray_start_params or {})}
        self.image = image
        self.service_type = service_type
        self.enable_ingress = enable_ingress
        self.volumes = volumes
        self.service_account = service_account
        self.image_pull_secret = image_pull_secret
        self.environment = environment
        self.annotations = annotations
        self.labels = labels
        self.image_pull_policy = image_pull_policy

    def to_string(self) -> str:
        text = "compute template = {}, ray start params = {}".format(self.compute_template, self.ray_start_params)
        if self.service_type is not None:
            text += ", service_type = {}".format(self.service_type.name)
        if self.enable_ingress:
            text += ", enable_ingress = True"
        return text + describe_common(
            self.image, self.service_account, self.image_pull_secret, self.image_pull_policy,
            self.volumes, self.environment, self.annotations, self.labels,
        )

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"computeTemplate": self.compute_template, "rayStartParams": dict(self.ray_start_params)}
        if self.service_type is not None:
            dct["serviceType"] = self.service_type.value
        if self.enable_ingress:
            dct["enableIngress"] = True
        return common_dict(
            dct, self.image, self.service_account, self.image_pull_secret, self.image_pull_policy,
            self.volumes, self.environment, self.annotations, self.labels,
        )


def head_node_spec_decoder(dct: JsonDict) -> HeadNodeSpec:
    """A HeadNodeSpec from its JSON."""
    dct = require_dict(dct, "headGroupSpec")
    service_type = dct.get("serviceType")
    spec = HeadNodeSpec(
        compute_template=dct.get("computeTemplate", ""),
        ray_start_params=dct.get("rayStartParams") or {},
        service_type=None if not service_type else as_enum(ServiceType, service_type, "headGroupSpec.serviceType"),
        enable_ingress=bool(dct.get("enableIngress", False)),
        **decode_common(dct),
    )
    # What the server sent, as it sent it (the constructor adds the defaults, which the server already did).
    spec.ray_start_params = dict(dct.get("rayStartParams") or {})
    return spec
