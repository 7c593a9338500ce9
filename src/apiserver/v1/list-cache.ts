import { ApiServerLabels, ApiServerLabelValues } from '../../api/constants.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources, type ResourceType } from '../../k8s/resources.ts';
import type { Logger } from '../../lib/logger.ts';
import { Informer } from '../../runtime/informer.ts';

/**
 * Informer caches of the ray.io objects the API server manages, so V1 lists are answered from memory instead
 * of a LIST per request. Only used after the route's authorization (the SubjectAccessReview for `list` in that
 * scope, in the secure mode) allowed the caller to list them anyway, and only for unpaginated lists once synced.
 */
export class ListCache {
  readonly #informers: Map<string, Informer>;
  constructor(kube: KubeClient, logger: Logger) {
    const make = (type: ResourceType) =>
      new Informer({
        client: kube,
        type,
        labelSelector: { [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy },
        logger,
      });
    this.#informers = new Map([
      [Resources.rayClusters.plural, make(Resources.rayClusters)],
      [Resources.rayJobs.plural, make(Resources.rayJobs)],
      [Resources.rayServices.plural, make(Resources.rayServices)],
    ]);
  }
  start(): void {
    for (const i of this.#informers.values()) i.start();
  }
  async stop(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.stop()));
  }
  /** The cached objects of `type` (sorted by namespace and name, as a LIST returns them), or undefined before sync. */
  list(type: ResourceType, namespace?: string): KubeObject[] | undefined {
    const inf = this.#informers.get(type.plural);
    if (!inf?.hasSynced()) return undefined;
    const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    return inf
      .list(namespace ? { namespace } : {})
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
