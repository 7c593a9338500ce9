import { groupOf, type KubeObject, objectKey } from '../k8s/objects.ts';
import type { ResourceType } from '../k8s/resources.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { Controller, type Reconciler, type Source, type SourceThrottle } from './controller.ts';
import type { InformerFactory, InformerRequest } from './informer-factory.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { ChangeEvent, Predicate } from './predicates.ts';
import type { RateLimiter } from './rate-limiter.ts';

interface BuilderDeps {
  readonly informers: InformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The runtime metrics, or ControllerDeps' `{ registry, runtime }` (so `deps` can be passed as is). */
  readonly metrics?: RuntimeMetrics | { readonly runtime: RuntimeMetrics };
}

interface SourceOptions<T extends KubeObject = KubeObject> extends InformerRequest<T> {
  readonly predicates?: readonly Predicate<T>[];
  readonly throttle?: SourceThrottle<T>;
}

/**
 * Keys of the objects' controlling owners of a given kind (owner in the same namespace). Used by `owns`;
 * exported for controllers that map by hand.
 */
function ownerKeys(obj: KubeObject, owner: { group: string; kind: string }): string[] {
  return (obj.metadata.ownerReferences ?? [])
    .filter((r) => r.controller === true && r.kind === owner.kind && groupOf(r.apiVersion) === owner.group)
    .map((r) => (obj.metadata.namespace ? `${obj.metadata.namespace}/${r.name}` : r.name));
}

/**
 * Declarative wiring of a controller, like controller-runtime's builder:
 * `new ControllerBuilder('raycluster', deps).for(Resources.rayClusters).owns(Resources.pods).build(reconcile)`.
 */
export class ControllerBuilder {
  readonly #name: string;
  readonly #deps: BuilderDeps;
  readonly #sources: Source<KubeObject>[] = [];
  #forType: ResourceType | undefined;
  #concurrency = 1;
  #rateLimiter: RateLimiter<string> | undefined;

  constructor(name: string, deps: BuilderDeps) {
    this.#name = name;
    this.#deps = deps;
  }

  /** The primary kind: its own key is reconciled on every event. */
  for<T extends KubeObject = KubeObject>(type: ResourceType, options: SourceOptions<T> = {}): this {
    if (this.#forType) throw new Error(`controller ${this.#name}: for() may be called once`);
    this.#forType = type;
    return this.#add(type, (obj) => [objectKey(obj)], options);
  }

  /** A kind the primary kind controls: events reconcile the controlling owner (of kind `ownerType`, default the for() kind). */
  owns<T extends KubeObject = KubeObject>(
    type: ResourceType,
    options: SourceOptions<T> & { ownerType?: ResourceType } = {},
  ): this {
    const owner = options.ownerType ?? this.#forType;
    if (!owner) throw new Error(`controller ${this.#name}: call for() before owns(), or pass ownerType`);
    return this.#add(type, (obj) => ownerKeys(obj, owner), options);
  }

  /** Any kind, mapped to keys by `map` (e.g. RayClusters to the RayJob named in a label). */
  watches<T extends KubeObject = KubeObject>(
    type: ResourceType,
    map: (obj: T) => readonly string[],
    options: SourceOptions<T> = {},
  ): this {
    return this.#add(type, map, options);
  }

  withConcurrency(n: number): this {
    this.#concurrency = n;
    return this;
  }

  withRateLimiter(limiter: RateLimiter<string>): this {
    this.#rateLimiter = limiter;
    return this;
  }

  build(reconcile: Reconciler): Controller {
    const { clock, logger } = this.#deps;
    const m = this.#deps.metrics;
    const metrics = m && 'runtime' in m ? m.runtime : m;
    return new Controller({
      name: this.#name,
      reconcile,
      concurrency: this.#concurrency,
      sources: this.#sources,
      ...(clock ? { clock } : {}),
      ...(logger ? { logger } : {}),
      ...(metrics ? { metrics } : {}),
      ...(this.#rateLimiter ? { rateLimiter: this.#rateLimiter } : {}),
    });
  }

  #add<T extends KubeObject>(
    type: ResourceType,
    map: (obj: T) => readonly string[],
    options: SourceOptions<T>,
  ): this {
    const { predicates, throttle, ...request } = options as SourceOptions<T> & { ownerType?: unknown };
    delete (request as { ownerType?: unknown }).ownerType;
    const informer = this.#deps.informers.informerFor<T>(type, request);
    // The sources of all watched kinds share one list of Source<KubeObject>. Each is fed only the objects of
    // its own informer, so its map and predicates see a T: the casts below narrow to it.
    this.#sources.push({
      informer,
      map: (obj) => map(obj as T),
      ...(predicates
        ? { predicates: predicates.map((p) => (e: ChangeEvent) => p(e as ChangeEvent<T>)) }
        : {}),
      ...(throttle
        ? {
            throttle: {
              windowMs: throttle.windowMs,
              applies: (e: ChangeEvent) => throttle.applies(e as ChangeEvent<T>),
            },
          }
        : {}),
    });
    return this;
  }
}
