"""Shared plumbing: logging set-up, loading the Kubernetes configuration, and reading API errors."""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable, Dict, Optional

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


def read_status(
    api: Any,
    version: str,
    plural: str,
    kind: str,
    name: str,
    namespace: str,
    timeout: int,
    delay: int,
    log: logging.Logger,
) -> Optional[Dict[str, Any]]:
    """The object's ``status`` once the operator has written one: reads the status subresource every `delay`
    seconds for up to `timeout` seconds. None when it does not exist, on an API error, or when no status came
    in time (each logged; `kind` names the object in the log, e.g. ``raycluster``)."""
    while timeout > 0:
        try:
            resource = as_object(
                api.get_namespaced_custom_object_status(
                    group=constants.GROUP, version=version, plural=plural, name=name, namespace=namespace
                )
            )
        except ApiException as e:
            if e.status == 404:
                log.error("%s %s/%s is not found: %s", kind, namespace, name, api_error_message(e))
            else:
                log.error("error fetching the status of %s %s/%s: %s", kind, namespace, name, api_error_message(e))
            return None
        status = resource.get("status")
        if isinstance(status, dict) and status:
            return status
        log.info("%s %s status not set yet, waiting...", kind, name)
        time.sleep(delay)
        timeout -= delay
    log.info("%s %s status not set yet, timing out...", kind, name)
    return None


def wait_on_status(
    fetch: Callable[[int], Optional[Dict[str, Any]]],
    decide: Callable[[Dict[str, Any]], Optional[bool]],
    describe: Callable[[Dict[str, Any]], str],
    said: Dict[str, Callable[[str], str]],
    timeout: int,
    delay: int,
    log: logging.Logger,
) -> bool:
    """Polls `fetch(seconds left)` every `delay` seconds until `decide(status)` says True (done) or False (it
    never will be), within one deadline of `timeout` seconds that covers fetch's own wait for a first status.
    False on timeout or when fetch finds nothing (it logged why). Logs each change of `describe(status)`, and
    `said["done"]`, `said["never"]` or `said["timeout"]` of the last description at the end."""
    last: Optional[str] = None
    deadline = time.monotonic() + timeout
    while deadline - time.monotonic() > 0:
        status = fetch(max(1, int(deadline - time.monotonic())))
        if status is None:
            return False
        described = describe(status)
        verdict = decide(status)
        if verdict is not None:
            log.info("%s", said["done" if verdict else "never"](described))
            return verdict
        if described != last:
            log.info("%s", said["waiting"](described))
            last = described
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(delay, remaining))
    log.info("%s", said["timeout"](last or "unknown"))
    return False


class _Failed:
    """The answer of a call the API server refused (the refusal is logged)."""


FAILED = _Failed()


class CustomObjects:
    """The CustomObjectsApi calls on one ray.io kind. `call` returns the API's answer, or FAILED after logging
    the API server's message after the caller's description (`not_found` for a 404 and `conflict` for a 409
    when given). `api` is read on every call: the owner may replace or clear it."""

    def __init__(self, api: Callable[[], Any], version: str, plural: str, log: logging.Logger) -> None:
        self._api = api
        self._version = version
        self._plural = plural
        self._log = log

    def call(
        self,
        method: str,
        failure: str,
        not_found: Optional[str] = None,
        conflict: Optional[str] = None,
        **kwargs: Any,
    ) -> Any:
        try:
            return getattr(self._api(), method)(
                group=constants.GROUP, version=self._version, plural=self._plural, **kwargs
            )
        except ApiException as e:
            message = {404: not_found, 409: conflict}.get(e.status) or failure
            self._log.error("%s: %s", message, api_error_message(e))
            return FAILED
