"""Names the client uses on the wire: the ray.io group, versions, plurals and kinds, and the log level."""

import logging

GROUP = "ray.io"

CLUSTER_VERSION = "v1"
CLUSTER_PLURAL = "rayclusters"
CLUSTER_KIND = "RayCluster"

JOB_VERSION = "v1"
JOB_PLURAL = "rayjobs"
JOB_KIND = "RayJob"

# The names older KubeRay releases used for the RayCluster resource (kept so their scripts still import).
VERSION = CLUSTER_VERSION
PLURAL = CLUSTER_PLURAL
KIND = CLUSTER_KIND

# Level of the logging.basicConfig the modules install when the application configured none.
LOGLEVEL = logging.INFO
