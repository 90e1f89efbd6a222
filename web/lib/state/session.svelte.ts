/**
 * Who is signed in to the dashboard (spec 06 §Authentication): `GET /api/me` with the client
 * certificate the browser presented. The officer dashboard and the operator pages (issue 13) share
 * it; when the answer is "no" it says why, so the page can explain what happened and what to do.
 */
import { getContext, setContext } from 'svelte';
import { ApiError } from '../api/client.ts';
import type { MeJson } from '$domain/api/officer.ts';

/** Why the dashboard cannot be shown (each has its own explanation page). */
export type DeniedReason = 'no-certificate' | 'revoked' | 'expired' | 'foreign' | 'not-an-officer' | 'wrong-origin';

export type SessionState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly me: MeJson }
  | { readonly kind: 'denied'; readonly reason: DeniedReason }
  | { readonly kind: 'failed'; readonly error: ApiError };

/** The reason an answer to `/api/me` gives, or null when it is not a refusal. */
export function deniedReason(error: unknown): DeniedReason | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'NO_CERTIFICATE') return 'no-certificate';
  if (error.code !== 'NOT_AN_OFFICER') return null;
  const reason = error.body?.reason;
  return reason === 'revoked' || reason === 'expired' || reason === 'foreign' ? reason : 'not-an-officer';
}

export class Session {
  state: SessionState = $state({ kind: 'loading' });
  readonly #me: (signal?: AbortSignal) => Promise<MeJson>;

  constructor(me: (signal?: AbortSignal) => Promise<MeJson>) {
    this.#me = me;
  }

  /** The signed-in officer, or null. */
  get me(): MeJson | null {
    return this.state.kind === 'ready' ? this.state.me : null;
  }

  /**
   * Asks the server who this is. A page opened over plain HTTP can present no certificate: it is
   * told to use the HTTPS address instead (`wrong-origin`).
   */
  async load(protocol: string, signal?: AbortSignal): Promise<void> {
    this.state = { kind: 'loading' };
    try {
      this.state = { kind: 'ready', me: await this.#me(signal) };
    } catch (error) {
      if (signal?.aborted) return;
      const reason = deniedReason(error);
      if (reason === 'no-certificate' && protocol === 'http:') this.state = { kind: 'denied', reason: 'wrong-origin' };
      else if (reason) this.state = { kind: 'denied', reason };
      else this.state = { kind: 'failed', error: error as ApiError };
    }
  }
}

const KEY = Symbol('hakko.session');

/** Make the dashboard's session available below the caller (a dashboard layout). */
export function provideSession(session: Session): Session {
  return setContext(KEY, session);
}

/** The session of the enclosing dashboard layout. */
export function useSession(): Session {
  const s = getContext<Session | undefined>(KEY);
  if (!s) throw new Error('useSession() outside a dashboard layout');
  return s;
}
