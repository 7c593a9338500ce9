export type { BatchJob, JobCondition } from '../../api/index.ts';
export * from './batch-scheduler.ts';
export * from './cluster.ts';
export * from './head-service.ts';
export * from './http-request.ts';
export * from './names.ts';
export * from './owner.ts';
export * from './submitter.ts';
