import type { RayService } from '../../api/index.ts';
import { sampleClusterSpec } from '../raycluster/testing.ts';

/** A small valid RayService (one worker group, a serve port) for tests. */
export function sampleRayService(name = 'rs', namespace = 'default'): RayService {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name, namespace, uid: `uid-${name}`, generation: 1 },
    spec: {
      serveConfigV2:
        'applications:\n  - name: math_app\n    import_path: conditional_dag.serve_dag\n    route_prefix: /calc\n',
      rayClusterConfig: sampleClusterSpec(
        [
          { name: 'gcs-server', containerPort: 6379 },
          { name: 'dashboard', containerPort: 8265 },
          { name: 'client', containerPort: 10001 },
          { name: 'serve', containerPort: 8000 },
        ],
        { groupName: 'small-group', replicas: 1, minReplicas: 1, maxReplicas: 5 },
      ),
    },
  };
}
