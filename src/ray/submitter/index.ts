export * from './args.ts';
export * from './run.ts';
export * from './tail.ts';
