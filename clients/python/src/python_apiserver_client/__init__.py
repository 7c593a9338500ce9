"""KubeRay's Python client for the V1 API server: ``kuberay_apis.KubeRayAPIs`` and the ``params`` classes."""

from python_apiserver_client.kuberay_apis import KubeRayAPIs

__all__ = ["KubeRayAPIs"]
__version__ = "0.1.0"
