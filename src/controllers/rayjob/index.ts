export * from './config.ts';
export * from './controller.ts';
export * from './machine.ts';
export * from './metrics.ts';
export * from './reconciler.ts';
export * from './register.ts';
export type * from './types.ts';
export * from './validation.ts';
