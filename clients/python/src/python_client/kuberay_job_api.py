"""RayjobApi: submit, read, wait for, suspend, resubmit and delete RayJob custom resources.

Same methods, argument names, defaults and return values as KubeRay's ``python_client.kuberay_job_api``.
Where KubeRay returns ``None`` or ``False`` on an API error, so do we, and the error is always logged with
the API server's own message first. Errors that are not API responses are raised.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

from kubernetes.client.exceptions import ApiException

from python_client import constants
from python_client._kube import (
    api_error_message,
    as_object,
    custom_objects_api,
    load_config,
    module_logger,
)

log = module_logger(__name__)

# Ray job statuses after which the job never runs again (status.jobStatus).
TERMINAL_JOB_STATUSES = [
    "STOPPED",
    "SUCCEEDED",
    "FAILED",
]

# Deployment statuses (status.jobDeploymentStatus) that end a RayJob.
_TERMINAL_DEPLOYMENT_STATUSES = ["Complete", "Failed"]


def _describe(status: Dict[str, Any]) -> str:
    deployment = status.get("jobDeploymentStatus") or "(none)"
    job = status.get("jobStatus") or "(none)"
    return "jobDeploymentStatus={}, jobStatus={}".format(deployment, job)


class RayjobApi:
    """
    RayjobApi manages RayJobs (``ray.io/v1``).

    Methods:
    - submit_job(k8s_namespace="default", job=None) -> Any: create the RayJob `job` (a dict).
    - get_job(name, k8s_namespace="default") -> Any
    - list_jobs(k8s_namespace="default") -> Any
    - get_job_status(name, k8s_namespace="default", timeout=60, delay_between_attempts=5) -> Any
    - wait_until_job_finished(name, k8s_namespace="default", timeout=60, delay_between_attempts=5) -> bool
    - wait_until_job_running(name, k8s_namespace="default", timeout=60, delay_between_attempts=5) -> bool
    - suspend_job(name, k8s_namespace="default") -> bool: set spec.suspend to true.
    - resubmit_job(name, k8s_namespace="default") -> bool: set spec.suspend to false.
    - delete_job(name, k8s_namespace="default") -> bool
    """

    def __init__(self) -> None:
        # The kubeconfig ($KUBECONFIG, ~/.kube/config) first, then the in-cluster service account.
        self.kube_config: Optional[Any] = load_config()
        self.api: Any = custom_objects_api()

    def __del__(self) -> None:
        self.api = None
        self.kube_config = None

    def submit_job(self, k8s_namespace: str = "default", job: Any = None) -> Any:
        """Creates the RayJob `job` (a dict) in `k8s_namespace`. Returns the created object, or None when the
        API server refuses it (logged with its message)."""
        if job is None:
            log.error("error submitting ray job: no job given (the `job` argument is None)")
            return None
        try:
            return self.api.create_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.JOB_VERSION,
                plural=constants.JOB_PLURAL,
                body=job,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            log.error("error submitting ray job: %s", api_error_message(e))
            return None

    def get_job(self, name: str, k8s_namespace: str = "default") -> Any:
        """Gets one RayJob. None when it does not exist or the API server refuses (logged)."""
        try:
            return self.api.get_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.JOB_VERSION,
                plural=constants.JOB_PLURAL,
                name=name,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            if e.status == 404:
                log.error("rayjob %s not found in namespace %s: %s", name, k8s_namespace, api_error_message(e))
            else:
                log.error("error fetching rayjob %s: %s", name, api_error_message(e))
            return None

    def list_jobs(self, k8s_namespace: str = "default") -> Any:
        """Lists the RayJobs of a namespace (``{"items": [...], ...}``). None on an API error (logged)."""
        try:
            return self.api.list_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.JOB_VERSION,
                plural=constants.JOB_PLURAL,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            log.error("error fetching rayjobs in %s: %s", k8s_namespace, api_error_message(e))
            return None

    def get_job_status(
        self,
        name: str,
        k8s_namespace: str = "default",
        timeout: int = 60,
        delay_between_attempts: int = 5,
    ) -> Any:
        """Returns the RayJob's ``status`` once the operator has written one.

        Reads the status subresource every `delay_between_attempts` seconds for up to `timeout` seconds.
        None when the job does not exist, on an API error, or when no status appeared in time (logged).
        """
        while timeout > 0:
            try:
                resource = as_object(
                    self.api.get_namespaced_custom_object_status(
                        group=constants.GROUP,
                        version=constants.JOB_VERSION,
                        plural=constants.JOB_PLURAL,
                        name=name,
                        namespace=k8s_namespace,
                    )
                )
            except ApiException as e:
                if e.status == 404:
                    log.error("rayjob %s/%s is not found: %s", k8s_namespace, name, api_error_message(e))
                else:
                    log.error(
                        "error fetching the status of rayjob %s/%s: %s", k8s_namespace, name, api_error_message(e)
                    )
                return None
            status = resource.get("status")
            if status:
                return status
            log.info("rayjob %s status not set yet, waiting...", name)
            time.sleep(delay_between_attempts)
            timeout -= delay_between_attempts
        log.info("rayjob %s status not set yet, timing out...", name)
        return None

    def wait_until_job_finished(
        self,
        name: str,
        k8s_namespace: str = "default",
        timeout: int = 60,
        delay_between_attempts: int = 5,
    ) -> bool:
        """Waits until the RayJob ends: ``jobStatus`` STOPPED, SUCCEEDED or FAILED, or ``jobDeploymentStatus``
        Complete or Failed.

        True once it has (whatever the outcome: read `get_job_status` for it); False on timeout or when the
        job cannot be read (logged). Logs each change of status.
        """
        last: Optional[str] = None
        # get_job_status may wait for a first status itself: one deadline covers both waits.
        deadline = time.monotonic() + timeout
        while deadline - time.monotonic() > 0:
            left = max(1, int(deadline - time.monotonic()))
            status = self.get_job_status(name, k8s_namespace, left, delay_between_attempts)
            if status:
                described = _describe(status)
                job_status = status.get("jobStatus", "")
                deployment_status = status.get("jobDeploymentStatus", "")
                if job_status in TERMINAL_JOB_STATUSES or deployment_status in _TERMINAL_DEPLOYMENT_STATUSES:
                    log.info("rayjob %s has finished: %s", name, described)
                    return True
                if described != last:
                    log.info("rayjob %s: %s", name, described)
                    last = described
            else:
                log.info("rayjob %s status not available", name)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(delay_between_attempts, remaining))
        log.info("rayjob %s has not reached terminal status before timeout (%s)", name, last or "no status")
        return False

    def wait_until_job_running(
        self,
        name: str,
        k8s_namespace: str = "default",
        timeout: int = 60,
        delay_between_attempts: int = 5,
    ) -> bool:
        """Waits until the RayJob's ``jobDeploymentStatus`` is ``Running``.

        True once it is; False at once when it reaches Complete, Failed or Suspended first, on timeout, or
        when the job cannot be read (each logged).
        """
        last: Optional[str] = None
        # get_job_status may wait for a first status itself: one deadline covers both waits.
        deadline = time.monotonic() + timeout
        while deadline - time.monotonic() > 0:
            left = max(1, int(deadline - time.monotonic()))
            status = self.get_job_status(name, k8s_namespace, left, delay_between_attempts)
            if status:
                described = _describe(status)
                deployment_status = status.get("jobDeploymentStatus", "")
                if deployment_status == "Running":
                    log.info("rayjob %s is running", name)
                    return True
                if deployment_status in ["Complete", "Failed", "Suspended"]:
                    log.info("rayjob %s reached %s before running (%s)", name, deployment_status, described)
                    return False
                if described != last:
                    log.info("rayjob %s: %s", name, described)
                    last = described
            else:
                log.info("rayjob %s status not available", name)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(delay_between_attempts, remaining))
        log.info("rayjob %s has not reached running status before timeout (%s)", name, last or "no status")
        return False

    def _set_suspend(self, name: str, k8s_namespace: str, suspend: bool, verb: str) -> bool:
        try:
            self.api.patch_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.JOB_VERSION,
                plural=constants.JOB_PLURAL,
                name=name,
                namespace=k8s_namespace,
                body={"spec": {"suspend": suspend}},
            )
        except ApiException as e:
            if e.status == 404:
                log.error("rayjob %s not found in namespace %s: %s", name, k8s_namespace, api_error_message(e))
            else:
                log.error("error %s rayjob %s: %s", verb, name, api_error_message(e))
            return False
        log.info("rayjob %s in namespace %s: spec.suspend set to %s", name, k8s_namespace, suspend)
        return True

    def suspend_job(self, name: str, k8s_namespace: str = "default") -> bool:
        """Suspends a RayJob (``spec.suspend: true``): the operator deletes its RayCluster and the job goes to
        Suspended. True when the API server accepted the patch, False otherwise (logged)."""
        return self._set_suspend(name, k8s_namespace, True, "suspending")

    def resubmit_job(self, name: str, k8s_namespace: str = "default") -> bool:
        """Resumes a suspended RayJob (``spec.suspend: false``): the operator creates a new RayCluster and
        submits the job again. True when the API server accepted the patch, False otherwise (logged)."""
        return self._set_suspend(name, k8s_namespace, False, "resubmitting")

    def delete_job(self, name: str, k8s_namespace: str = "default") -> bool:
        """Deletes a RayJob. True when deleted; False when it was already gone or the API server refused
        (logged)."""
        try:
            self.api.delete_namespaced_custom_object(
                group=constants.GROUP,
                version=constants.JOB_VERSION,
                plural=constants.JOB_PLURAL,
                name=name,
                namespace=k8s_namespace,
            )
        except ApiException as e:
            if e.status == 404:
                log.error("rayjob custom resource already deleted. error = %s", api_error_message(e))
            else:
                log.error("error deleting the rayjob custom resource: %s", api_error_message(e))
            return False
        log.info("rayjob %s in namespace %s deleted", name, k8s_namespace)
        return True


__all__ = ["RayjobApi", "TERMINAL_JOB_STATUSES"]
