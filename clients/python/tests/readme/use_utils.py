"""KubeRay's python-client README, "cluster_utils": change a worker group's replicas, then patch the cluster."""

from python_client import kuberay_cluster_api
from python_client.utils import kuberay_cluster_builder, kuberay_cluster_utils


def main():
    my_kuberay_api = kuberay_cluster_api.RayClusterApi()
    my_cluster_builder = kuberay_cluster_builder.ClusterBuilder()

    cluster2 = (
        my_cluster_builder.build_meta(name="new-cluster2")
        .build_head()
        .build_worker(group_name="workers")
        .get_cluster()
    )
    if not my_cluster_builder.succeeded:
        return
    my_kuberay_api.create_ray_cluster(body=cluster2)

    my_Cluster_utils = kuberay_cluster_utils.ClusterUtils()

    cluster_to_patch, succeeded = my_Cluster_utils.update_worker_group_replicas(
        cluster2, group_name="workers", max_replicas=4, min_replicas=1, replicas=2
    )

    if succeeded:
        my_kuberay_api.patch_ray_cluster(
            name=cluster_to_patch["metadata"]["name"], ray_patch=cluster_to_patch
        )


if __name__ == "__main__":
    main()
