import type { KubeObject } from '../k8s/objects.ts';

export type ChangeEvent<T extends KubeObject = KubeObject> =
  | { readonly type: 'add'; readonly obj: T }
  | { readonly type: 'update'; readonly old: T; readonly obj: T }
  | { readonly type: 'delete'; readonly obj: T };

/** Filters the events that reach a controller's queue; true lets the event through. */
export type Predicate<T extends KubeObject = KubeObject> = (e: ChangeEvent<T>) => boolean;

const onUpdate =
  (changed: (old: KubeObject, obj: KubeObject) => boolean): Predicate =>
  (e) =>
    e.type !== 'update' || changed(e.old, e.obj);
const sameRecord = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a?.[k] === b?.[k]);
};

/** Updates pass only when metadata.generation changed (spec edits, not status writes). */
export const generationChanged: Predicate = onUpdate(
  (o, n) => o.metadata.generation !== n.metadata.generation,
);
export const labelsChanged: Predicate = onUpdate((o, n) => !sameRecord(o.metadata.labels, n.metadata.labels));
const annotationsChanged: Predicate = onUpdate(
  (o, n) => !sameRecord(o.metadata.annotations, n.metadata.annotations),
);
/** Updates pass when deletionTimestamp or finalizers changed. */
export const deletionChanged: Predicate = onUpdate(
  (o, n) =>
    o.metadata.deletionTimestamp !== n.metadata.deletionTimestamp ||
    JSON.stringify(o.metadata.finalizers ?? []) !== JSON.stringify(n.metadata.finalizers ?? []),
);

export const anyOf =
  <T extends KubeObject>(...ps: Predicate<T>[]): Predicate<T> =>
  (e) =>
    ps.some((p) => p(e));
export const allOf =
  <T extends KubeObject>(...ps: Predicate<T>[]): Predicate<T> =>
  (e) =>
    ps.every((p) => p(e));
export const not =
  <T extends KubeObject>(p: Predicate<T>): Predicate<T> =>
  (e) =>
    !p(e);

/** KubeRay's filter for a primary kind: spec (generation), label, annotation or deletion changes only. */
export const specOrMetadataChanged: Predicate = anyOf(
  generationChanged,
  labelsChanged,
  annotationsChanged,
  deletionChanged,
);
