export * from './dashboard-client.ts';
export * from './factory.ts';
export * from './proxy-client.ts';
export * from './transport.ts';
export * from './types.ts';
