import type { Container, KubeObject, Pod, RayCluster } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { label } from './constants.ts';
import { redisCleanupJobName } from './names.ts';
import { ownedMetadata } from './pod.ts';
import { bashWrapper } from './ray-start.ts';

/** The Python run by the Redis cleanup Job: deletes the cluster's GCS keys from Redis, exits 1 on failure. */
export const redisCleanupScript = [
  'import os, sys',
  'from urllib.parse import urlparse',
  'from ray._private.gcs_utils import cleanup_redis_storage',
  "addr = os.environ.get('RAY_REDIS_ADDRESS', '').split(',')[0].strip()",
  "if '://' not in addr: addr = 'redis://' + addr",
  'u = urlparse(addr)',
  "password = os.environ.get('REDIS_PASSWORD') or u.password or ''",
  "username = os.environ.get('REDIS_USERNAME') if 'REDIS_USERNAME' in os.environ else None",
  "ns = os.environ.get('RAY_external_storage_namespace', '')",
  'ok = cleanup_redis_storage(host=u.hostname, port=u.port or 6379, password=password, use_ssl=(u.scheme == "rediss"), storage_namespace=ns, username=username)',
  'sys.exit(0 if ok else 1)',
].join('\n');

/** The Redis cleanup Job, built from the head pod. */
export function buildRedisCleanupJob(rc: RayCluster, headPod: Pod, loginShell: boolean): KubeObject {
  const pod = copyJson(headPod);
  const ray: Container = { ...pod.spec.containers[0]! };
  delete ray.livenessProbe;
  delete ray.readinessProbe;
  delete ray.startupProbe;
  ray.command = bashWrapper(loginShell);
  ray.args = [
    `echo "To get more information about manually deleting the storage namespace in Redis and removing the RayCluster's finalizer, please check https://docs.ray.io/en/master/cluster/kubernetes/user-guides/kuberay-gcs-ft.html" && python -c "${redisCleanupScript.replaceAll('"', '\\"')}"`,
  ];
  ray.env = [
    ...(ray.env ?? []),
    { name: 'RAY_redis_db_connect_retries', value: '120' },
    { name: 'RAY_redis_db_connect_wait_milliseconds', value: '500' },
  ];
  ray.resources = { limits: { cpu: '200m', memory: '256Mi' }, requests: { cpu: '200m', memory: '256Mi' } };
  const labels = { ...pod.metadata.labels, [label.nodeType]: 'redis-cleanup' };
  const initContainers = (pod.spec.initContainers ?? []).filter((c) => c.name !== 'wait-for-tls-ip-san');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: ownedMetadata(rc, redisCleanupJobName(rc.metadata.name ?? ''), labels, {
      ...pod.metadata.annotations,
    }),
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: 300,
      template: {
        metadata: { labels, annotations: { ...pod.metadata.annotations } },
        spec: {
          ...pod.spec,
          containers: [ray],
          ...(initContainers.length ? { initContainers } : { initContainers: undefined }),
          restartPolicy: 'Never',
        },
      },
    },
  };
}
