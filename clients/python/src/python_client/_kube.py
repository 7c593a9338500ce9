"""Shared plumbing: logging set-up, loading the Kubernetes configuration, and reading API errors."""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, Optional

from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from python_client import constants

# A JSON object as the Kubernetes API returns it (a custom resource, a list, a status).
KubeObject = Dict[str, Any]


def module_logger(name: str) -> logging.Logger:
    """The module's logger; as KubeRay's client does, installs a basic handler when the application set none."""
    log = logging.getLogger(name)
    if logging.getLevelName(log.level) == "NOTSET":
        logging.basicConfig(format="%(asctime)s %(message)s", level=constants.LOGLEVEL)
    return log


_log = module_logger(__name__)


def load_config() -> Optional[Any]:
    """Loads the kubeconfig ($KUBECONFIG or ~/.kube/config), else the in-cluster service account.

    Raises the kubernetes ConfigException (after logging both reasons) when neither is available.
    """
    try:
        return config.load_kube_config()  # type: ignore[no-untyped-call]
    except config.ConfigException as kube_err:
        try:
            return config.load_incluster_config()  # type: ignore[no-untyped-call]
        except config.ConfigException as incluster_err:
            _log.error(
                "no Kubernetes configuration: kubeconfig: %s; in-cluster: %s", kube_err, incluster_err
            )
            raise


def custom_objects_api() -> client.CustomObjectsApi:
    return client.CustomObjectsApi()


def api_error_message(err: ApiException) -> str:
    """The API server's own message (the Status body's `message`), else the HTTP reason, with the code."""
    message: Optional[str] = None
    body = getattr(err, "body", None)
    if isinstance(body, (bytes, bytearray)):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body:
        try:
            parsed = json.loads(body)
        except ValueError:
            message = body.strip()
        else:
            if isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
                message = parsed["message"]
    if not message:
        message = str(getattr(err, "reason", "") or "unknown error")
    return "{} ({})".format(message, getattr(err, "status", "no status"))


def as_object(value: object) -> KubeObject:
    """The kubernetes client returns custom objects as `object`: narrow it to the dict it is."""
    if not isinstance(value, dict):
        raise TypeError("expected a JSON object from the API server, got {}".format(type(value).__name__))
    return value
