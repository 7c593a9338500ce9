"""What head and worker node specs share: image, volumes, service account, pull secret/policy, env, metadata."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from python_apiserver_client.params._json import JsonDict, pick
from python_apiserver_client.params.environmentvariables import EnvironmentVariables, environment_variables_decoder
from python_apiserver_client.params.volumes import BaseVolume, volume_decoder


def describe_common(
    image: Optional[str],
    service_account: Optional[str],
    image_pull_secret: Optional[str],
    image_pull_policy: Optional[str],
    volumes: Optional[List[BaseVolume]],
    environment: Optional[EnvironmentVariables],
    annotations: Optional[Dict[str, str]],
    labels: Optional[Dict[str, str]],
) -> str:
    text = ""
    if image is not None:
        text += ", image = {}".format(image)
    if service_account is not None:
        text += ", service_account = {}".format(service_account)
    if image_pull_secret is not None:
        text += ", image_pull_secret = {}".format(image_pull_secret)
    if image_pull_policy is not None:
        text += ", image_pull_policy = {}".format(image_pull_policy)
    if volumes is not None:
        text += ",\n volumes = [" + ", ".join("{" + v.to_string() + "}" for v in volumes) + "]"
    if environment is not None:
        text += ",\n environment = {}".format(environment.to_string())
    if annotations is not None:
        text += ",\n annotations = {}".format(annotations)
    if labels is not None:
        text += ",\n labels = {}".format(labels)
    return text


def common_dict(
    dct: Dict[str, Any],
    image: Optional[str],
    service_account: Optional[str],
    image_pull_secret: Optional[str],
    image_pull_policy: Optional[str],
    volumes: Optional[List[BaseVolume]],
    environment: Optional[EnvironmentVariables],
    annotations: Optional[Dict[str, str]],
    labels: Optional[Dict[str, str]],
) -> Dict[str, Any]:
    if image is not None:
        dct["image"] = image
    if service_account is not None:
        dct["serviceAccount"] = service_account
    if image_pull_secret is not None:
        dct["imagePullSecret"] = image_pull_secret
    if image_pull_policy is not None:
        dct["imagePullPolicy"] = image_pull_policy
    if volumes is not None:
        dct["volumes"] = [v.to_dict() for v in volumes]
    if environment is not None:
        dct["environment"] = environment.to_dict()
    if annotations is not None:
        dct["annotations"] = dict(annotations)
    if labels is not None:
        dct["labels"] = dict(labels)
    return dct


def decode_common(dct: JsonDict) -> Dict[str, Any]:
    """The shared fields as keyword arguments of HeadNodeSpec / WorkerNodeSpec."""
    volumes = dct.get("volumes")
    environment = dct.get("environment")
    return {
        "image": dct.get("image"),
        "volumes": None if volumes is None else [volume_decoder(v) for v in volumes],
        "service_account": pick(dct, "serviceAccount", "service_account"),
        "image_pull_secret": pick(dct, "imagePullSecret", "image_pull_secret"),
        "image_pull_policy": pick(dct, "imagePullPolicy", "image_pull_policy"),
        "environment": environment_variables_decoder(environment) if environment else None,
        "annotations": dct.get("annotations"),
        "labels": dct.get("labels"),
    }
