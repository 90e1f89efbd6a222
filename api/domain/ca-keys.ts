/** Key algorithms of Hakko's own CA and service keys (spec 03 §Hierarchy): pure names, shared by config and pki. */

/** Key algorithms Hakko can generate for its own CA and service keys. */
export type CaKeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'P-256' | 'P-384';

/** Root CA keys spec 03 allows. */
export const ROOT_KEY_ALGORITHMS = ['RSA-3072', 'P-384'] as const satisfies readonly CaKeyAlgorithm[];

/** Issuing CA keys Hakko can sign with. */
export const ISSUING_KEY_ALGORITHMS = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'P-256', 'P-384'] as const satisfies readonly CaKeyAlgorithm[];
