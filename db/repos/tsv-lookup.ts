/**
 * The validator's system lookups on the database (spec 02 §Validation against the system), batched:
 * a 10,000-row upload makes a handful of queries. Scoped to one institution.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests } from '../schema/index.ts';
import { OPEN_STATES } from '../../api/domain/request-state.ts';
import type { CertificateFacts, SystemLookup, WhoisAnswer } from '../../api/domain/tsv/index.ts';

const CHUNK = 2000;

async function chunked<T, R>(items: readonly T[], f: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await f(items.slice(i, i + CHUNK))));
  return out;
}

export function dbTsvLookup(db: Queryable, institutionId: number, whois?: (domain: string) => Promise<WhoisAnswer>): SystemLookup {
  return {
    async existingCnOu(keys) {
      const uniq = [...new Set(keys)];
      const fromCerts = await chunked(uniq, (part) =>
        db.select({ k: certificates.cnOuKey }).from(certificates).where(and(eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), inArray(certificates.cnOuKey, part))),
      );
      const fromRequests = await chunked(uniq, (part) =>
        db.select({ k: requests.cnOuKey }).from(requests).where(and(eq(requests.institutionId, institutionId), inArray(requests.cnOuKey, part), inArray(requests.state, OPEN_STATES as never[]))),
      );
      return new Set([...fromCerts, ...fromRequests].map((r) => r.k!).filter(Boolean));
    },
    async certificates(serials) {
      const uniq = [...new Set(serials)];
      const certs = await chunked(uniq, (part) =>
        db.select().from(certificates).where(and(eq(certificates.ca, 'issuing'), eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued'), inArray(certificates.serial, part))),
      );
      const open = await chunked(uniq, (part) =>
        db.select({ s: requests.renewalOf }).from(requests).where(and(eq(requests.institutionId, institutionId), isNotNull(requests.renewalOf), inArray(requests.renewalOf, part), inArray(requests.state, [...OPEN_STATES, 'issued', 'completed'] as never[]))),
      );
      // A renewal that was issued already also counts as "has a renewal" (230): one successor per certificate.
      const renewed = new Set(open.map((o) => o.s));
      const out = new Map<string, CertificateFacts>();
      for (const c of certs) out.set(c.serial, { requestDn: c.requestDn, profile: c.profile ?? 0, revoked: c.revokedAt !== null, hasOpenRenewal: renewed.has(c.serial) || c.renewedBy !== null });
      return out;
    },
    ...(whois ? { whois } : {}),
  };
}
