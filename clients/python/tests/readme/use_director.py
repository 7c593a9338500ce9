"""KubeRay's python-client README, "director": a preset cluster from the Director, created in "default"."""

from python_client import kuberay_cluster_api
from python_client.utils import kuberay_cluster_builder


def main():
    my_kuberay_api = kuberay_cluster_api.RayClusterApi()

    my_cluster_director = kuberay_cluster_builder.Director()

    cluster0 = my_cluster_director.build_small_cluster(name="new-cluster0")

    if cluster0:
        my_kuberay_api.create_ray_cluster(body=cluster0)


if __name__ == "__main__":
    main()
