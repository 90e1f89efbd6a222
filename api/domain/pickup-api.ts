/**
 * The PIN and pickup API answers (spec 04 §HTTP API) as TypeScript types, inferred from their wire
 * schemas (api/domain/api/pickup.ts, which the routes validate and document with). Type-only: the
 * browser bundle carries no zod. The server's workflows produce these; the web app reads them.
 */
import type { z } from 'zod';
import type * as wire from './api/pickup.ts';

/** `GET /api/pin/{token}`. */
export type PinInfo = z.infer<typeof wire.PinInfo>;
/** One PIN of `POST /api/pin/{token}/retrieve`. */
export type RetrievedPin = z.infer<typeof wire.RetrievedPins>['pins'][number];
/** `GET /api/pickup/{token}`. */
export type PickupInfo = z.infer<typeof wire.PickupInfo>;
/** One row of a pickup URL; `state` is the public request state (spec 01 §States). */
export type PickupRow = PickupInfo['rows'][number];
export type InstitutionName = PinInfo['institution'];
/** The body of `POST /api/pickup/{token}/csr` (201, 200, or 422 for bulk). */
export type CsrAnswerBody = z.infer<typeof wire.CsrAnswer>;
/** One certificate of a CSR answer: `chain` is the issuing CA and the root (PEM). */
export type IssuedView = CsrAnswerBody['certificates'][number];
/** `POST /api/pickup/{token}/pins` (method 2). */
export type BulkPins = z.infer<typeof wire.BulkPins>;
