"""Volumes of a node group: host path, PVC, ephemeral, emptyDir, configMap and secret."""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional

from python_apiserver_client.params._json import JsonDict, as_enum, optional_enum, pick, require_dict


class HostPath(enum.Enum):
    """Host path type."""

    DIRECTORY = 0
    FILE = 1


class MountPropagationMode(enum.Enum):
    """Mount propagation."""

    NONE = 0
    HOSTTOCONTAINER = 1
    BIDIRECTIONAL = 2


class AccessMode(enum.Enum):
    """Access mode of an ephemeral volume's claim."""

    RWO = 0  # ReadWriteOnce
    ROX = 1  # ReadOnlyMany
    RWX = 2  # ReadWriteMany


class _VolumeType(enum.Enum):
    PERSISTENT_VOLUME_CLAIM = 0
    HOST_PATH = 1
    EPHEMERAL = 2
    CONFIGMAP = 3
    SECRET = 4
    EMPTY_DIR = 5


class BaseVolume:
    """The common part of every volume: a name and a mount path. Use one of the subclasses."""

    name: str
    mount_path: str
    volume_type: int

    def to_string(self) -> str:
        raise TypeError("BaseVolume cannot be used directly: use one of its subclasses (HostPathVolume, PVCVolume, ...)")

    def to_dict(self) -> Dict[str, Any]:
        raise TypeError("BaseVolume cannot be used directly: use one of its subclasses (HostPathVolume, PVCVolume, ...)")

    def _base(self) -> Dict[str, Any]:
        return {"name": self.name, "mountPath": self.mount_path, "volumeType": self.volume_type}


class HostPathVolume(BaseVolume):
    """A host directory or file (`source`) mounted at `mount_path`."""

    def __init__(
        self,
        name: str,
        mount_path: str,
        source: str,
        host_path_type: Optional[HostPath] = None,
        mount_propagation: Optional[MountPropagationMode] = None,
    ) -> None:
        self.name = name
        self.mount_path = mount_path
        self.source = source
        self.host_path_type = host_path_type
        self.volume_type = _VolumeType.HOST_PATH.value
        self.mount_propagation = mount_propagation

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, source = {}, volume type = hostPath".format(self.name, self.mount_path, self.source)
        if self.mount_propagation is not None:
            text += ", mount propagation = {}".format(self.mount_propagation.name)
        if self.host_path_type is not None:
            text += ", host path type = {}".format(self.host_path_type.name)
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        dct["source"] = self.source
        if self.mount_propagation is not None:
            dct["mountPropagationMode"] = self.mount_propagation.value
        if self.host_path_type is not None:
            dct["hostPathType"] = self.host_path_type.value
        return dct


class PVCVolume(BaseVolume):
    """An existing PersistentVolumeClaim (`source`) mounted at `mount_path`."""

    def __init__(
        self,
        name: str,
        mount_path: str,
        source: str,
        read_only: bool = False,
        mount_propagation: Optional[MountPropagationMode] = None,
    ) -> None:
        self.name = name
        self.mount_path = mount_path
        self.source = source
        self.volume_type = _VolumeType.PERSISTENT_VOLUME_CLAIM.value
        self.mount_propagation = mount_propagation
        self.readonly = read_only

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, source = {}, volume type = PVC".format(self.name, self.mount_path, self.source)
        if self.readonly:
            text += ", read only = True"
        if self.mount_propagation is not None:
            text += ", mount propagation = {}".format(self.mount_propagation.name)
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        dct["source"] = self.source
        if self.readonly:
            dct["readOnly"] = True
        if self.mount_propagation is not None:
            dct["mountPropagationMode"] = self.mount_propagation.value
        return dct


class EphemeralVolume(BaseVolume):
    """A volume claimed for the pod's lifetime: `storage` (e.g. "5Gi"), optional storage class and access mode."""

    def __init__(
        self,
        name: str,
        mount_path: str,
        storage: str,
        storage_class: Optional[str] = None,
        access_mode: Optional[AccessMode] = None,
        mount_propagation: Optional[MountPropagationMode] = None,
    ) -> None:
        self.name = name
        self.mount_path = mount_path
        self.storage = storage
        self.volume_type = _VolumeType.EPHEMERAL.value
        self.mount_propagation = mount_propagation
        self.storage_class = storage_class
        self.access_mode = access_mode

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, storage = {} volume type = ephemeral".format(self.name, self.mount_path, self.storage)
        if self.storage_class is not None:
            text += ", storage class = {}".format(self.storage_class)
        if self.access_mode is not None:
            text += ", access mode = {}".format(self.access_mode.name)
        if self.mount_propagation is not None:
            text += ", mount propagation = {}".format(self.mount_propagation.name)
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        dct["storage"] = self.storage
        if self.storage_class is not None:
            dct["storageClassName"] = self.storage_class
        if self.access_mode is not None:
            dct["accessMode"] = self.access_mode.value
        if self.mount_propagation is not None:
            dct["mountPropagationMode"] = self.mount_propagation.value
        return dct


class EmptyDirVolume(BaseVolume):
    """An emptyDir, optionally limited to `storage`."""

    def __init__(self, name: str, mount_path: str, storage: Optional[str] = None) -> None:
        self.name = name
        self.mount_path = mount_path
        self.storage = storage
        self.volume_type = _VolumeType.EMPTY_DIR.value

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, volume type = emptyDir".format(self.name, self.mount_path)
        return text if self.storage is None else text + ", storage = {}".format(self.storage)

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        if self.storage is not None:
            dct["storage"] = self.storage
        return dct


class ConfigMapVolume(BaseVolume):
    """A ConfigMap (`source`), optionally only some keys (`items`: key -> path)."""

    def __init__(self, name: str, mount_path: str, source: str, items: Optional[Dict[str, str]] = None) -> None:
        self.name = name
        self.mount_path = mount_path
        self.source = source
        self.items = items
        self.volume_type = _VolumeType.CONFIGMAP.value

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, source = {}, volume type = configmap".format(self.name, self.mount_path, self.source)
        return text if self.items is None else text + ", items = {}".format(self.items)

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        dct["source"] = self.source
        if self.items is not None:
            dct["items"] = dict(self.items)
        return dct


class SecretVolume(BaseVolume):
    """A Secret (`source`), optionally only some keys (`items`: key -> path)."""

    def __init__(self, name: str, mount_path: str, source: str, items: Optional[Dict[str, str]] = None) -> None:
        self.name = name
        self.mount_path = mount_path
        self.source = source
        self.items = items
        self.volume_type = _VolumeType.SECRET.value

    def to_string(self) -> str:
        text = "name = {}, mount_path = {}, source = {}, volume type = secret".format(self.name, self.mount_path, self.source)
        return text if self.items is None else text + ", items = {}".format(self.items)

    def to_dict(self) -> Dict[str, Any]:
        dct = self._base()
        dct["source"] = self.source
        if self.items is not None:
            dct["items"] = dict(self.items)
        return dct


def volume_decoder(dst: JsonDict) -> BaseVolume:
    """A volume from its JSON. A missing volumeType is 0 (PVC): proto JSON omits zero values. Raises
    ValueError naming the field for an unknown volume type or enum value."""
    dst = require_dict(dst, "volume")
    kind = as_enum(_VolumeType, dst.get("volumeType", 0), "volume.volumeType")
    name = dst.get("name", "")
    mount_path = dst.get("mountPath", "")
    propagation = optional_enum(MountPropagationMode, dst, "volume.mountPropagationMode", "mountPropagationMode")
    if kind is _VolumeType.PERSISTENT_VOLUME_CLAIM:
        return PVCVolume(name, mount_path, dst.get("source", ""), bool(dst.get("readOnly", False)), propagation)
    if kind is _VolumeType.HOST_PATH:
        host_path = optional_enum(HostPath, dst, "volume.hostPathType", "hostPathType")
        return HostPathVolume(name, mount_path, dst.get("source", ""), host_path, propagation)
    if kind is _VolumeType.EPHEMERAL:
        return EphemeralVolume(
            name,
            mount_path,
            dst.get("storage", ""),
            pick(dst, "storageClassName", "storageClass"),
            optional_enum(AccessMode, dst, "volume.accessMode", "accessMode"),
            propagation,
        )
    if kind is _VolumeType.CONFIGMAP:
        return ConfigMapVolume(name, mount_path, dst.get("source", ""), dst.get("items"))
    if kind is _VolumeType.SECRET:
        return SecretVolume(name, mount_path, dst.get("source", ""), dst.get("items"))
    return EmptyDirVolume(name, mount_path, dst.get("storage"))
