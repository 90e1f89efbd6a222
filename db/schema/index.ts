/** The whole schema, one module per aggregate. */
export * from './institutions.ts';
export * from './requests.ts';
export * from './certificates.ts';
export * from './pki.ts';
export * from './mail.ts';
export * from './audit.ts';
export * from './settings.ts';
