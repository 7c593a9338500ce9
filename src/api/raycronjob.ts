import { type Static, Type } from '@sinclair/typebox';
import type { ObjectMeta } from './k8s-types.ts';
import { RayJobSpecSchema } from './rayjob.ts';
import { KindSchema, StringEnum, Time } from './schema-helpers.ts';

/** The ray.io RayCronJob type (alpha; schedule, timeZone, suspend, jobTemplate). */

const opt = Type.Optional;

export const RayCronJobSpecSchema = Type.Object({
  jobTemplate: RayJobSpecSchema,
  schedule: Type.String({ minLength: 1 }),
  timeZone: opt(Type.String()),
  suspend: opt(Type.Boolean()),
});

export const RayCronJobStatusSchema = Type.Object({
  lastScheduleTime: opt(Time()),
  scheduleStatus: opt(StringEnum(['new', 'scheduled', 'validationFailed'])),
});

export const RayCronJobSchema = KindSchema(RayCronJobSpecSchema, RayCronJobStatusSchema);

export type RayCronJobSpec = Static<typeof RayCronJobSpecSchema>;
export type RayCronJobStatus = Static<typeof RayCronJobStatusSchema>;
export type RayCronJob = Static<typeof RayCronJobSchema> & { metadata: ObjectMeta; spec: RayCronJobSpec };
