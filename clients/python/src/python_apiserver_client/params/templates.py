"""Compute templates (``/apis/v1/.../compute_templates``): Template and Toleration."""

from __future__ import annotations

import enum
from typing import Any, Dict, List, Optional

from python_apiserver_client.params._json import JsonDict, as_enum, as_int, pick, require_dict


class TolerationOperation(enum.Enum):
    """Toleration operators."""

    Exists = "Exists"
    Equal = "Equal"


class TolerationEffect(enum.Enum):
    """Taint effects a toleration matches."""

    NoSchedule = "NoSchedule"
    PreferNoSchedule = "PreferNoSchedule"
    NoExecute = "NoExecute"


class Toleration:
    """A toleration of a compute template: `key`, `operator`, `effect` and an optional `value`."""

    def __init__(
        self, key: str, operator: TolerationOperation, effect: TolerationEffect, value: Optional[str] = None
    ) -> None:
        self.key = key
        self.operator = operator
        self.value = value
        self.effect = effect

    def to_string(self) -> str:
        text = "key = {}, operator = {}, effect = {}".format(self.key, self.operator.name, self.effect.name)
        return text if self.value is None else text + ", value = {}".format(self.value)

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"key": self.key, "operator": self.operator.value, "effect": self.effect.value}
        if self.value is not None:
            dct["value"] = self.value
        return dct


class Template:
    """A compute template: the CPUs, memory (GiB), GPUs and extended resources of a node group, and its
    tolerations. `gpu_accelerator` defaults (on the server) to ``nvidia.com/gpu``."""

    def __init__(
        self,
        name: str,
        namespace: str,
        cpu: int,
        memory: int,
        gpu: int = 0,
        gpu_accelerator: Optional[str] = None,
        extended_resources: Optional[Dict[str, int]] = None,
        tolerations: Optional[List[Toleration]] = None,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
        self.gpu_accelerator = gpu_accelerator
        self.extended_resources = extended_resources
        self.tolerations = tolerations

    def to_string(self) -> str:
        text = "name = {}, namespace = {}, cpu = {}, memory = {}".format(self.name, self.namespace, self.cpu, self.memory)
        if self.gpu > 0:
            text += ", gpu {}".format(self.gpu)
        if self.gpu_accelerator is not None:
            text += ", gpu accelerator {}".format(self.gpu_accelerator)
        if self.extended_resources is not None:
            text += ", extended resources {}".format(self.extended_resources)
        if self.tolerations is not None:
            text += ", tolerations [" + ", ".join("{" + t.to_string() + "}" for t in self.tolerations) + "]"
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"name": self.name, "namespace": self.namespace, "cpu": self.cpu, "memory": self.memory}
        if self.gpu > 0:
            dct["gpu"] = self.gpu
        if self.gpu_accelerator is not None:
            dct["gpuAccelerator"] = self.gpu_accelerator
        if self.extended_resources is not None:
            dct["extendedResources"] = dict(self.extended_resources)
        if self.tolerations is not None:
            dct["tolerations"] = [t.to_dict() for t in self.tolerations]
        return dct


def toleration_decoder(dct: JsonDict) -> Toleration:
    """A Toleration from its JSON (operator defaults to Exists, effect to NoSchedule)."""
    dct = require_dict(dct, "toleration")
    return Toleration(
        key=dct.get("key", ""),
        operator=as_enum(TolerationOperation, dct.get("operator", "Exists"), "toleration.operator"),
        effect=as_enum(TolerationEffect, dct.get("effect", "NoSchedule"), "toleration.effect"),
        value=dct.get("value"),
    )


def template_decoder(dct: JsonDict) -> Template:
    """A Template from its JSON (as the API server returns it)."""
    dct = require_dict(dct, "compute template")
    tolerations = None
    if dct.get("tolerations") is not None:
        tolerations = [toleration_decoder(t) for t in dct["tolerations"]]
    extended = pick(dct, "extendedResources", "extended_resources")
    return Template(
        name=dct.get("name", ""),
        namespace=dct.get("namespace", ""),
        cpu=as_int(dct.get("cpu"), "cpu"),
        memory=as_int(dct.get("memory"), "memory"),
        gpu=as_int(dct.get("gpu"), "gpu"),
        gpu_accelerator=pick(dct, "gpuAccelerator", "gpu_accelerator"),
        extended_resources=None if extended is None else {k: as_int(v, "extendedResources." + k) for k, v in extended.items()},
        tolerations=tolerations,
    )


def templates_decoder(dct: JsonDict) -> List[Template]:
    """The templates of a list answer (``{"computeTemplates": [...]}``; an empty list may be omitted)."""
    dct = require_dict(dct, "compute template list")
    return [template_decoder(t) for t in pick(dct, "computeTemplates", "compute_templates", default=None) or []]
