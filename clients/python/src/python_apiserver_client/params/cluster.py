"""A Ray cluster as the V1 API server describes it: ``Cluster``, its ``ClusterSpec``, autoscaler options, events."""

from __future__ import annotations

import enum
from typing import Any, Dict, List, Optional

from python_apiserver_client.params._json import JsonDict, as_enum, as_int, pick, require_dict
from python_apiserver_client.params.environmentvariables import EnvironmentVariables, environment_variables_decoder
from python_apiserver_client.params.headnode import HeadNodeSpec, head_node_spec_decoder
from python_apiserver_client.params.volumes import BaseVolume, volume_decoder
from python_apiserver_client.params.workernode import WorkerNodeSpec, worker_node_spec_decoder


class Environment(enum.Enum):
    """The deployment environment of a cluster (the proto enum ``Cluster.Environment``)."""

    DEV = 0
    TESTING = 1
    STAGING = 2
    PRODUCTION = 3


class UpscalingMode(enum.Enum):
    """How fast the autoscaler adds workers: ``Conservative`` (pending pods at most the cluster's size),
    ``Default`` (no limit) or ``Aggressive`` (the same as ``Default``)."""

    Conservative = "Conservative"
    Default = "Default"
    Aggressive = "Aggressive"


def _join(parts: List[str]) -> str:
    return "[" + ", ".join("{" + p + "}" for p in parts) + "]"


class AutoscalerOptions:
    """The autoscaler sidecar: upscaling mode, idle timeout (seconds before an idle worker goes), and the
    container's image, pull policy, CPU and memory, env and volumes. The argument ``idle_tmout`` keeps
    KubeRay's spelling."""

    def __init__(
        self,
        upscaling_mode: UpscalingMode = UpscalingMode.Default,
        idle_tmout: Optional[int] = None,
        image: Optional[str] = None,
        image_pull_policy: Optional[str] = None,
        cpus: Optional[str] = None,
        memory: Optional[str] = None,
        environment: Optional[EnvironmentVariables] = None,
        volumes: Optional[List[BaseVolume]] = None,
    ) -> None:
        self.upscaling_mode = upscaling_mode
        self.idle_tmout = idle_tmout
        self.image = image
        self.image_pull_policy = image_pull_policy
        self.cpus = cpus
        self.memory = memory
        self.environment = environment
        self.volumes = volumes

    def to_string(self) -> str:
        text = "upscaling_mode = {}".format(self.upscaling_mode)
        for label, value in (
            ("idle_timeout", self.idle_tmout),
            ("image", self.image),
            ("image_pull_policy", self.image_pull_policy),
            ("cpus", self.cpus),
            ("memory", self.memory),
        ):
            if value is not None:
                text += ", {} = {}".format(label, value)
        if self.volumes is not None:
            text += ",\n volumes = " + _join([v.to_string() for v in self.volumes])
        if self.environment is not None:
            text += ",\n environment = {}".format(self.environment.to_string())
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"upscalingMode": self.upscaling_mode.value}
        if self.idle_tmout is not None:
            dct["idleTimeoutSeconds"] = self.idle_tmout
        if self.image is not None:
            dct["image"] = self.image
        if self.image_pull_policy is not None:
            dct["imagePullPolicy"] = self.image_pull_policy
        if self.cpus is not None:
            dct["cpu"] = self.cpus
        if self.memory is not None:
            dct["memory"] = self.memory
        if self.volumes is not None:
            dct["volumes"] = [v.to_dict() for v in self.volumes]
        if self.environment is not None:
            dct["envs"] = self.environment.to_dict()
        return dct


class ClusterSpec:
    """The head, the worker groups and (when set) the autoscaler; autoscaler options turn on
    ``enableInTreeAutoscaling``."""

    def __init__(
        self,
        head_node: HeadNodeSpec,
        worker_groups: Optional[List[WorkerNodeSpec]] = None,
        autoscaling_options: Optional[AutoscalerOptions] = None,
    ) -> None:
        self.head_node = head_node
        self.worker_groups = worker_groups
        self.autoscaling_options = autoscaling_options

    def to_string(self) -> str:
        text = "head_group_spec: {}".format(self.head_node.to_string())
        if self.worker_groups is not None:
            text += "\nworker groups: "
            for group in self.worker_groups:
                text += "\nworker_group_spec = {}]".format(group.to_string())
        if self.autoscaling_options is not None:
            text += "\nautoscaling options = {}".format(self.autoscaling_options.to_string())
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"headGroupSpec": self.head_node.to_dict()}
        if self.worker_groups is not None:
            dct["workerGroupSpec"] = [w.to_dict() for w in self.worker_groups]
        if self.autoscaling_options is not None:
            dct["enableInTreeAutoscaling"] = True
            dct["autoscalerOptions"] = self.autoscaling_options.to_dict()
        return dct


class ClusterEvent:
    """A Kubernetes event about a cluster, as the API server reports it (output only)."""

    def __init__(self, dst: JsonDict) -> None:
        dst = require_dict(dst, "cluster event")
        self.id: str = dst.get("id", "")
        self.name: str = dst.get("name", "")
        self.created_at: str = pick(dst, "createdAt", "created_at", default="")
        self.first_timestamp: str = pick(dst, "firstTimestamp", "first_timestamp", default="")
        self.last_timestamp: str = pick(dst, "lastTimestamp", "last_timestamp", default="")
        self.reason: str = dst.get("reason", "")
        self.message: str = dst.get("message", "")
        self.type: str = dst.get("type", "")
        # proto JSON sends int32 as a number and omits 0; KubeRay's client defaults it to "0".
        self.count: Any = dst.get("count", "0")

    def to_string(self) -> str:
        return (
            "id = {}, name = {}, created_at = {}, first_timestamp = {}, last_timestamp = {},"
            "reason = {}, message = {}, type = {}, count = {}".format(
                self.id, self.name, self.created_at, self.first_timestamp, self.last_timestamp,
                self.reason, self.message, self.type, self.count,
            )
        )


class Cluster:
    """A cluster: the inputs (name, namespace, user, Ray version, spec, deployment environment, annotations,
    env) and, in answers, the outputs (creation and deletion times, state, events, service endpoints)."""

    def __init__(
        self,
        name: str,
        namespace: str,
        user: str,
        version: str,
        cluster_spec: ClusterSpec,
        deployment_environment: Optional[Environment] = None,
        annotations: Optional[Dict[str, str]] = None,
        cluster_environment: Optional[EnvironmentVariables] = None,
        created_at: Optional[str] = None,
        deleted_at: Optional[str] = None,
        cluster_status: Optional[str] = None,
        events: Optional[List[ClusterEvent]] = None,
        service_endpoint: Optional[Dict[str, str]] = None,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.user = user
        self.version = version
        self.cluster_spec = cluster_spec
        self.environment = deployment_environment
        self.annotations = annotations
        self.envs = cluster_environment
        self.created_at = created_at
        self.deleted_at = deleted_at
        self.cluster_status = cluster_status
        self.events = events
        self.service_endpoint = service_endpoint

    def to_string(self) -> str:
        text = "name: {}, namespace = {}, user = {}, version = {} cluster_spec = {}".format(
            self.name, self.namespace, self.user, self.version, self.cluster_spec.to_string()
        )
        if self.environment is not None:
            text += "deployment environment = {}".format(self.environment.name)
        if self.annotations is not None:
            text += " ,annotations = {}".format(self.annotations)
        if self.envs is not None:
            text += ",cluster environment = {}".format(self.envs.to_string())
        text += "\ncluster output\n"
        if self.created_at is not None:
            text += " ,created_at = {}".format(self.created_at)
        if self.deleted_at is not None:
            text += " ,deleted_at = {}".format(self.deleted_at)
        if self.cluster_status is not None:
            text += " ,cluster status = {}".format(self.cluster_status)
        if self.events is not None:
            text += ",\n cluster events = " + _join([e.to_string() for e in self.events])
        if self.service_endpoint is not None:
            text += " ,service endpoints = {}".format(self.service_endpoint)
        return text

    def to_dict(self) -> Dict[str, Any]:
        """The inputs only: what a create request carries."""
        dct: Dict[str, Any] = {
            "name": self.name,
            "namespace": self.namespace,
            "user": self.user,
            "version": self.version,
            "clusterSpec": self.cluster_spec.to_dict(),
        }
        if self.environment is not None:
            dct["environment"] = self.environment.value
        if self.annotations is not None:
            dct["annotations"] = dict(self.annotations)
        if self.envs is not None:
            dct["envs"] = self.envs.to_dict()
        return dct


def autoscaling_decoder(dct: JsonDict) -> AutoscalerOptions:
    """AutoscalerOptions from their JSON (``Default`` mode when omitted)."""
    dct = require_dict(dct, "autoscalerOptions")
    mode = dct.get("upscalingMode")
    volumes = dct.get("volumes")
    envs = dct.get("envs")
    idle = pick(dct, "idleTimeoutSeconds", "idle_timeout_seconds")
    return AutoscalerOptions(
        upscaling_mode=UpscalingMode.Default if not mode else as_enum(UpscalingMode, mode, "autoscalerOptions.upscalingMode"),
        idle_tmout=None if idle is None else as_int(idle, "autoscalerOptions.idleTimeoutSeconds"),
        image=dct.get("image"),
        image_pull_policy=pick(dct, "imagePullPolicy", "image_pull_policy"),
        cpus=dct.get("cpu"),
        memory=dct.get("memory"),
        environment=None if envs is None else environment_variables_decoder(envs),
        volumes=None if volumes is None else [volume_decoder(v) for v in volumes],
    )


def cluster_spec_decoder(dct: JsonDict) -> ClusterSpec:
    """A ClusterSpec from its JSON; the head group is required."""
    dct = require_dict(dct, "clusterSpec")
    head = pick(dct, "headGroupSpec", "head_group_spec")
    if head is None:
        raise ValueError("clusterSpec.headGroupSpec: missing")
    workers = pick(dct, "workerGroupSpec", "worker_group_spec")
    autoscaling = None
    if pick(dct, "enableInTreeAutoscaling", "enable_in_tree_autoscaling", default=False):
        autoscaling = autoscaling_decoder(pick(dct, "autoscalerOptions", "autoscaler_options", default=None) or {})
    return ClusterSpec(
        head_node=head_node_spec_decoder(head),
        worker_groups=None if workers is None else [worker_node_spec_decoder(w) for w in workers],
        autoscaling_options=autoscaling,
    )


def cluster_decoder(dct: JsonDict) -> Cluster:
    """A Cluster from the API server's JSON, outputs included."""
    dct = require_dict(dct, "cluster")
    spec = pick(dct, "clusterSpec", "cluster_spec")
    if spec is None:
        raise ValueError("cluster {!r}: clusterSpec missing".format(dct.get("name", "")))
    environment = dct.get("environment")
    envs = dct.get("envs")
    events = dct.get("events")
    return Cluster(
        name=dct.get("name", ""),
        namespace=dct.get("namespace", ""),
        user=dct.get("user", ""),
        version=dct.get("version", ""),
        cluster_spec=cluster_spec_decoder(spec),
        deployment_environment=None if environment is None else as_enum(Environment, environment, "environment"),
        annotations=dct.get("annotations"),
        cluster_environment=None if envs is None else environment_variables_decoder(envs),
        created_at=pick(dct, "createdAt", "created_at"),
        deleted_at=pick(dct, "deletedAt", "deleted_at"),
        cluster_status=pick(dct, "clusterState", "cluster_state"),
        events=None if events is None else [ClusterEvent(e) for e in events],
        service_endpoint=pick(dct, "serviceEndpoint", "service_endpoint"),
    )


def clusters_decoder(dct: JsonDict) -> List[Cluster]:
    """The clusters of a list answer (``{"clusters": [...]}``; an empty list may be omitted)."""
    dct = require_dict(dct, "cluster list")
    return [cluster_decoder(c) for c in dct.get("clusters") or []]
