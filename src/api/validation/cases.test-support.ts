/**
 * What the validation tests of the kinds share: a pod template, the small cluster spec a RayJob or RayService
 * embeds, and the shape of a spec-rule case.
 */

/** A pod template with one Ray container. */
export const rayTemplate = () => ({
  spec: { containers: [{ name: 'ray', image: 'rayproject/ray:2.56.0' }] },
});

/** A cluster spec with a Ray head and one worker group `w` of 0 to `maxReplicas` replicas. */
export const embeddedClusterSpec = (maxReplicas: number) => ({
  headGroupSpec: { template: rayTemplate() },
  workerGroupSpecs: [{ groupName: 'w', minReplicas: 0, maxReplicas, template: rayTemplate() }],
});

/**
 * One spec rule: its name, how it breaks a valid object, and the field and message of the one problem expected
 * (with the feature gates it needs, if any).
 */
export type SpecCase<T> = [
  name: string,
  mutate: (object: T) => void,
  field: string,
  message: string,
  features?: Record<string, boolean>,
];
