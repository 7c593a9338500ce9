"""RayjobApi: submit, read, wait for, suspend, resubmit and delete RayJob custom resources.

Same methods, argument names, defaults and return values as KubeRay's ``python_client.kuberay_job_api``.
Where KubeRay returns ``None`` or ``False`` on an API error, so do we, and the error is always logged with
the API server's own message first. Errors that are not API responses are raised.
"""

from __future__ import annotations

from typing import Any, Dict, Optional


from python_client import constants
from python_client._kube import (
    FAILED,
    CustomObjects,
    custom_objects_api,
    load_config,
    module_logger,
    read_status,
    wait_on_status,
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
        self._objects = CustomObjects(lambda: self.api, constants.JOB_VERSION, constants.JOB_PLURAL, log)

    def __del__(self) -> None:
        self.api = None
        self.kube_config = None

    def submit_job(self, k8s_namespace: str = "default", job: Any = None) -> Any:
        """Creates the RayJob `job` (a dict) in `k8s_namespace`. Returns the created object, or None when the
        API server refuses it (logged with its message)."""
        if job is None:
            log.error("error submitting ray job: no job given (the `job` argument is None)")
            return None
        created = self._objects.call(
            "create_namespaced_custom_object", "error submitting ray job", body=job, namespace=k8s_namespace
        )
        return None if created is FAILED else created

    def get_job(self, name: str, k8s_namespace: str = "default") -> Any:
        """Gets one RayJob. None when it does not exist or the API server refuses (logged)."""
        got = self._objects.call(
            "get_namespaced_custom_object",
            "error fetching rayjob {}".format(name),
            not_found="rayjob {} not found in namespace {}".format(name, k8s_namespace),
            name=name,
            namespace=k8s_namespace,
        )
        return None if got is FAILED else got

    def list_jobs(self, k8s_namespace: str = "default") -> Any:
        """Lists the RayJobs of a namespace (``{"items": [...], ...}``). None on an API error (logged)."""
        listed = self._objects.call(
            "list_namespaced_custom_object", "error fetching rayjobs in {}".format(k8s_namespace), namespace=k8s_namespace
        )
        return None if listed is FAILED else listed

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
        return read_status(
            self.api, constants.JOB_VERSION, constants.JOB_PLURAL, "rayjob", name, k8s_namespace,
            timeout, delay_between_attempts, log,
        )

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
        def finished(status: Dict[str, Any]) -> Optional[bool]:
            ended = (
                status.get("jobStatus", "") in TERMINAL_JOB_STATUSES
                or status.get("jobDeploymentStatus", "") in _TERMINAL_DEPLOYMENT_STATUSES
            )
            return True if ended else None

        return wait_on_status(
            lambda left: self.get_job_status(name, k8s_namespace, left, delay_between_attempts),
            finished,
            _describe,
            {
                "done": lambda described: "rayjob {} has finished: {}".format(name, described),
                "never": lambda described: "rayjob {} will not finish: {}".format(name, described),
                "waiting": lambda described: "rayjob {}: {}".format(name, described),
                "timeout": lambda last: "rayjob {} has not reached terminal status before timeout ({})".format(name, last),
            },
            timeout,
            delay_between_attempts,
            log,
        )

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
        def running(status: Dict[str, Any]) -> Optional[bool]:
            deployment = status.get("jobDeploymentStatus", "")
            if deployment == "Running":
                return True
            return False if deployment in ["Complete", "Failed", "Suspended"] else None

        return wait_on_status(
            lambda left: self.get_job_status(name, k8s_namespace, left, delay_between_attempts),
            running,
            lambda status: str(status.get("jobDeploymentStatus") or "(none)"),
            {
                "done": lambda _: "rayjob {} is running".format(name),
                "never": lambda described: "rayjob {} reached {} before running".format(name, described),
                "waiting": lambda described: "rayjob {}: {}".format(name, described),
                "timeout": lambda last: "rayjob {} has not reached running status before timeout ({})".format(name, last),
            },
            timeout,
            delay_between_attempts,
            log,
        )

    def _set_suspend(self, name: str, k8s_namespace: str, suspend: bool, verb: str) -> bool:
        patched = self._objects.call(
            "patch_namespaced_custom_object",
            "error {} rayjob {}".format(verb, name),
            not_found="rayjob {} not found in namespace {}".format(name, k8s_namespace),
            name=name,
            namespace=k8s_namespace,
            body={"spec": {"suspend": suspend}},
        )
        if patched is FAILED:
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
        deleted = self._objects.call(
            "delete_namespaced_custom_object",
            "error deleting the rayjob custom resource",
            not_found="rayjob custom resource already deleted",
            name=name,
            namespace=k8s_namespace,
        )
        if deleted is FAILED:
            return False
        log.info("rayjob %s in namespace %s deleted", name, k8s_namespace)
        return True


__all__ = ["RayjobApi", "TERMINAL_JOB_STATUSES"]
