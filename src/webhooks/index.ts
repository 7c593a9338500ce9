/** The validating admission webhooks, served with ENABLE_WEBHOOKS=true. */
export * from './admission.ts';
export { type AdmissionOutcome, admit, validatorFor } from './handler.ts';
export * from './server.ts';
export { type KindValidator, validators, webhookPaths } from './validators.ts';
