export * from './args.ts';
export * from './http-transport.ts';
export * from './run.ts';
export * from './tail.ts';
