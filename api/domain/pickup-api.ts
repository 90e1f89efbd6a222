/**
 * The shapes of the PIN and pickup API answers (spec 04 §HTTP API, the fixed table): the server's
 * workflows produce them, the web app's client reads them. Ids and serials are strings, times
 * ISO 8601 UTC, certificates PEM.
 */
import type { LocalizedMessage } from './api-errors.ts';

export interface InstitutionName {
  readonly code: string;
  readonly ja: string;
  readonly en: string;
}

/** `GET /api/pin/{token}`. */
export interface PinInfo {
  readonly method: number;
  readonly count: number;
  readonly institution: InstitutionName;
  readonly pickupExpiresAt: string;
  readonly rows: readonly { readonly dn: string; readonly name: string | null }[];
}

/** One PIN of `POST /api/pin/{token}/retrieve`. */
export interface RetrievedPin {
  readonly name: string | null;
  readonly mail: string;
  readonly pin: string;
  readonly dn: string;
}

/** One row of a pickup URL. `state` is the public request state (spec 01 §States). */
export interface PickupRow {
  readonly id: string;
  readonly dn: string;
  readonly profile: number | null;
  readonly name: string | null;
  readonly mail: string;
  readonly p12FileName: string | null;
  readonly state: string;
}

/** `GET /api/pickup/{token}`. */
export interface PickupInfo {
  readonly kind: 'user' | 'officer' | 'operator';
  readonly method: number;
  readonly keyAlgorithm: string;
  readonly expiresAt: string;
  readonly institution: InstitutionName | null;
  readonly rows: readonly PickupRow[];
}

/** One certificate of `POST /api/pickup/{token}/csr`. */
export interface IssuedView {
  readonly id: string;
  readonly serial: string;
  readonly certificate: string;
  /** Issuing CA, root (PEM). */
  readonly chain: readonly [string, string];
}

/** The body of `POST /api/pickup/{token}/csr` (201, 200, or 422 for bulk). */
export interface CsrAnswerBody {
  readonly certificates: IssuedView[];
  readonly errors: { readonly id: string; readonly code: string; readonly message: LocalizedMessage }[];
}

/** `POST /api/pickup/{token}/pins` (method 2). */
export interface BulkPins {
  readonly pins: readonly { readonly id: string; readonly pin: string }[];
}
