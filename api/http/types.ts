/** Hono environment shared by middleware and routes. */
import type { HttpBindings } from '@hono/node-server';
import type { Services } from '../services.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';

export type { AuthenticatedOfficer };

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
