"""KubeRay's Python client for RayCluster and RayJob custom resources (``ray.io/v1``).

The modules keep the names and signatures of KubeRay's ``clients/python-client``:
``kuberay_cluster_api.RayClusterApi``, ``kuberay_job_api.RayjobApi``, ``utils.kuberay_cluster_builder``,
``utils.kuberay_cluster_utils`` and ``constants``.
"""

__version__ = "0.1.0"
