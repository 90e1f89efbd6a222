/** Hono environment shared by middleware and routes. */
import type { HttpBindings } from '@hono/node-server';
import type { Services } from '../services.ts';

export interface AuthenticatedOfficer {
  readonly officerId: number;
  readonly role: 'officer' | 'operator';
  readonly name: string;
  readonly email: string;
  readonly institutionId: number | null;
  readonly institution: { readonly code: string; readonly ja: string; readonly en: string } | null;
  /** Serial (decimal) of the certificate that authenticated the request: the audit actor. */
  readonly certSerial: string;
}

export interface PresentedCertificate {
  readonly der: Uint8Array;
  /** How it arrived: the TLS handshake of this connection, or a trusted proxy's header. */
  readonly via: 'tls' | 'proxy';
}

export type AppEnv = {
  Bindings: HttpBindings;
  Variables: {
    services: Services;
    clientIp: string;
    officer: AuthenticatedOfficer;
  };
};
