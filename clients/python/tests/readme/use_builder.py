"""KubeRay's python-client README, "cluster_builder": a cluster built piece by piece, created in "default"."""

from python_client import kuberay_cluster_api
from python_client.utils import kuberay_cluster_builder


def main():
    my_kuberay_api = kuberay_cluster_api.RayClusterApi()
    my_cluster_builder = kuberay_cluster_builder.ClusterBuilder()

    cluster1 = (
        my_cluster_builder.build_meta(name="new-cluster1")
        .build_head()
        .build_worker(group_name="workers", replicas=3)
        .get_cluster()
    )

    if not my_cluster_builder.succeeded:
        return

    my_kuberay_api.create_ray_cluster(body=cluster1)


if __name__ == "__main__":
    main()
