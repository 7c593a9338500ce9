"""Environment variables of a node group or cluster: plain values and values from other sources."""

from __future__ import annotations

import enum
from typing import Any, Dict, Optional

from python_apiserver_client.params._json import JsonDict, as_enum, require_dict


class EnvVarSource(enum.Enum):
    """Where a variable's value comes from."""

    CONFIGMAP = 0
    SECRET = 1
    RESOURCE_FIELD = 2
    FIELD = 3


class EnvVarFrom:
    """A value from a source: a ConfigMap or Secret (`name`, `key`), a container's resource (`name` = the
    container, `key` = the resource) or a field (`name` = the field path)."""

    def __init__(self, source: EnvVarSource, name: str, key: str) -> None:
        self.source = source
        self.name = name
        self.key = key

    def to_string(self) -> str:
        return "source = {}, name = {}, key = {}".format(self.source.name, self.name, self.key)

    def to_dict(self) -> Dict[str, Any]:
        return {"source": self.source.value, "name": self.name, "key": self.key}


class EnvironmentVariables:
    """Variables with values (`key_value`) and variables from sources (`from_ref`)."""

    def __init__(
        self, key_value: Optional[Dict[str, str]] = None, from_ref: Optional[Dict[str, EnvVarFrom]] = None
    ) -> None:
        self.key_val = key_value
        self.from_ref = from_ref

    def to_string(self) -> str:
        parts = []
        if self.key_val is not None:
            parts.append("values = {}".format(self.key_val))
        if self.from_ref is not None:
            refs = ", ".join("{} = [{}]".format(k, v.to_string()) for k, v in self.from_ref.items())
            parts.append("valuesFrom = {" + refs + "}")
        return " , ".join(parts)

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {}
        if self.key_val is not None:
            dct["values"] = dict(self.key_val)
        if self.from_ref is not None:
            dct["valuesFrom"] = {k: v.to_dict() for k, v in self.from_ref.items()}
        return dct


def env_var_from_decoder(dct: JsonDict) -> EnvVarFrom:
    """An EnvVarFrom from its JSON (source 0, CONFIGMAP, when omitted)."""
    dct = require_dict(dct, "valuesFrom entry")
    return EnvVarFrom(
        source=as_enum(EnvVarSource, dct.get("source", 0), "valuesFrom.source"),
        name=dct.get("name", ""),
        key=dct.get("key", ""),
    )


def environment_variables_decoder(dct: JsonDict) -> EnvironmentVariables:
    """EnvironmentVariables from their JSON."""
    dct = require_dict(dct, "environment")
    values = dct.get("values")
    refs = dct.get("valuesFrom")
    return EnvironmentVariables(
        key_value=None if values is None else dict(values),
        from_ref=None if refs is None else {k: env_var_from_decoder(v) for k, v in refs.items()},
    )
