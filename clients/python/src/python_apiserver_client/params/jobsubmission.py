"""Ray job submission through the API server: the request (``RayJobRequest``) and what it reports (``RayJobInfo``)."""

from __future__ import annotations

import datetime
from typing import Any, Dict, Optional

from python_apiserver_client.params._json import JsonDict, as_int, pick, require_dict


class RayJobRequest:
    """A job to submit to a cluster: entrypoint, optional submission id, runtime env (a YAML string), metadata,
    CPUs, GPUs and custom resources (CPUs and GPUs are sent only when positive)."""

    def __init__(
        self,
        entrypoint: str,
        submission_id: Optional[str] = None,
        runtime_env: Optional[str] = None,
        metadata: Optional[Dict[str, str]] = None,
        num_cpu: float = -1.0,
        num_gpu: float = -1.0,
        resources: Optional[Dict[str, str]] = None,
    ) -> None:
        self.entrypoint = entrypoint
        self.submission_id = submission_id
        self.runtime_env = runtime_env
        self.metadata = metadata
        self.num_cpu = num_cpu
        self.num_gpu = num_gpu
        self.resources = resources

    def to_string(self) -> str:
        text = "entrypoint = {}".format(self.entrypoint)
        if self.submission_id is not None:
            text += ", submission_id = {}".format(self.submission_id)
        if self.num_cpu > 0:
            text += ", num_cpu = {}".format(self.num_cpu)
        if self.num_gpu > 0:
            text += ", num_gpu = {}".format(self.num_gpu)
        if self.runtime_env is not None:
            text += ", runtime_env = {}".format(self.runtime_env)
        if self.metadata is not None:
            text += ", metadata = {}".format(self.metadata)
        if self.resources is not None:
            text += ", resources = {}".format(self.resources)
        return text

    def to_dict(self) -> Dict[str, Any]:
        dct: Dict[str, Any] = {"entrypoint": self.entrypoint}
        if self.submission_id is not None:
            dct["submissionId"] = self.submission_id
        if self.runtime_env is not None:
            dct["runtimeEnv"] = self.runtime_env
        if self.metadata is not None:
            dct["metadata"] = dict(self.metadata)
        if self.num_cpu > 0:
            dct["numCpus"] = self.num_cpu
        if self.num_gpu > 0:
            dct["numGpus"] = self.num_gpu
        if self.resources is not None:
            dct["resources"] = dict(self.resources)
        return dct


def _when(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1e3).strftime("%Y-%m-%d %H:%M:%S")


class RayJobInfo:
    """What Ray reports of a submitted job (output only): entrypoint, job and submission ids, status, message,
    start and end times (milliseconds since the epoch, 0 when unset), error type, metadata and runtime env."""

    def __init__(self, dct: JsonDict) -> None:
        dct = require_dict(dct, "job submission info")
        self.entrypoint: str = dct.get("entrypoint", "")
        self.job_id: str = pick(dct, "jobId", "job_id", default="")
        self.submission_id: str = pick(dct, "submissionId", "submission_id", default="")
        self.status: str = dct.get("status", "")
        self.message: Optional[str] = dct.get("message")
        self.start_time: int = as_int(pick(dct, "startTime", "start_time"), "startTime")
        self.end_time: int = as_int(pick(dct, "endTime", "end_time"), "endTime")
        self.error_type: Optional[str] = pick(dct, "errorType", "ErrorType", "error_type")
        self.metadata: Optional[Dict[str, str]] = pick(dct, "metadata", "Metadata")
        self.runtime_env: Optional[Dict[str, str]] = pick(dct, "runtimeEnv", "runtime_env")

    def to_string(self) -> str:
        text = "entrypoint = {}, job id {}, submission id = {}, status = {}".format(
            self.entrypoint, self.job_id, self.submission_id, self.status
        )
        if self.message is not None:
            text += " message = {}".format(self.message)
        if self.start_time > 0:
            text += " start time = {}".format(_when(self.start_time))
        if self.end_time > 0:
            text += " end time = {}".format(_when(self.end_time))
        if self.error_type is not None:
            text += " error type = {}".format(self.error_type)
        if self.runtime_env is not None:
            text += " runtime env = {}".format(self.runtime_env)
        if self.metadata is not None:
            text += " metadata = {}".format(self.metadata)
        return text
