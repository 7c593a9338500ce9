"""KubeRay's python-client README, "cluster_api": raw JSON straight to the API, then list and delete."""

from python_client import kuberay_cluster_api

cluster_body: dict = {
    "apiVersion": "ray.io/v1",
    "kind": "RayCluster",
    "metadata": {"name": "raycluster-raw", "labels": {"controller-tools.k8s.io": "1.0"}},
    "spec": {
        "rayVersion": "2.52.0",
        "headGroupSpec": {
            "rayStartParams": {"dashboard-host": "0.0.0.0"},
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "ray-head",
                            "image": "rayproject/ray:2.52.0",
                            "resources": {"limits": {"cpu": 1, "memory": "2G"}, "requests": {"cpu": "500m", "memory": "1G"}},
                            "ports": [
                                {"containerPort": 6379, "name": "gcs-server"},
                                {"containerPort": 8265, "name": "dashboard"},
                                {"containerPort": 10001, "name": "client"},
                            ],
                        }
                    ]
                }
            },
        },
    },
}


def main():
    my_kuberay_api = kuberay_cluster_api.RayClusterApi()

    my_kuberay_api.create_ray_cluster(body=cluster_body)

    kube_ray_list = my_kuberay_api.list_ray_clusters(k8s_namespace="default", label_selector="controller-tools.k8s.io=1.0")
    if "items" in kube_ray_list:
        for cluster in kube_ray_list["items"]:
            print(cluster["metadata"]["name"], cluster["metadata"]["namespace"])

    if "items" in kube_ray_list:
        for cluster in kube_ray_list["items"]:
            print("deleting raycluster = {}".format(cluster["metadata"]["name"]))
            my_kuberay_api.delete_ray_cluster(
                name=cluster["metadata"]["name"],
                k8s_namespace=cluster["metadata"]["namespace"],
            )


if __name__ == "__main__":
    main()
