/**
 * The validator's system lookups on the database (spec 02 §Validation against the system), batched:
 * one query per lookup whatever the number of rows — the keys travel as ONE JSON array parameter
 * (an `IN` list of 10,000 parameters cost ≈ 0.3 s of query building for nothing, spec 08
 * §Performance). Scoped to one institution.
 */
import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../client.ts';
import { certificates, requests } from '../schema/index.ts';
import { OPEN_STATES } from '../../api/domain/request-state.ts';
import type { CertificateFacts, SystemLookup, WhoisAnswer } from '../../api/domain/tsv/index.ts';

/** `(select …)` of the values of a JSON array, as `type` — the right side of an `IN`. */
function jsonValues(values: readonly string[], type: 'text' | 'numeric'): SQL {
  return sql`(select (jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::${sql.raw(type)})`;
}

export function dbTsvLookup(db: Queryable, institutionId: number, whois?: (domain: string) => Promise<WhoisAnswer>): SystemLookup {
  return {
    async existingCnOu(keys) {
      const uniq = [...new Set(keys)];
      if (uniq.length === 0) return new Set();
      const [fromCerts, fromRequests] = await Promise.all([
        db.selectDistinct({ k: certificates.cnOuKey }).from(certificates)
          .where(and(eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), inArray(certificates.cnOuKey, jsonValues(uniq, 'text')))),
        db.selectDistinct({ k: requests.cnOuKey }).from(requests)
          .where(and(eq(requests.institutionId, institutionId), inArray(requests.cnOuKey, jsonValues(uniq, 'text')), inArray(requests.state, OPEN_STATES as never[]))),
      ]);
      return new Set([...fromCerts, ...fromRequests].map((r) => r.k!).filter(Boolean));
    },
    async certificates(serials) {
      const uniq = [...new Set(serials)];
      if (uniq.length === 0) return new Map();
      const [certs, open] = await Promise.all([
        db.select().from(certificates)
          .where(and(eq(certificates.ca, 'issuing'), eq(certificates.institutionId, institutionId), eq(certificates.kind, 'subscriber'), eq(certificates.state, 'issued'), inArray(certificates.serial, jsonValues(uniq, 'numeric')))),
        db.select({ s: requests.renewalOf }).from(requests)
          .where(and(eq(requests.institutionId, institutionId), isNotNull(requests.renewalOf), inArray(requests.renewalOf, jsonValues(uniq, 'text')), inArray(requests.state, OPEN_STATES as never[]))),
      ]);
      // 230 is "no other OPEN renewal of it" (spec 02 §Validation against the system): a renewal that
      // was issued, picked up or closed (expired, cancelled) does not block another one — renewal is
      // how a DN that was ever issued gets a new certificate (spec 01 §Renewal), also a second time.
      const renewing = new Set(open.map((o) => o.s));
      const out = new Map<string, CertificateFacts>();
      for (const c of certs) out.set(c.serial, { requestDn: c.requestDn, profile: c.profile ?? 0, revoked: c.revokedAt !== null, hasOpenRenewal: renewing.has(c.serial) });
      return out;
    },
    ...(whois ? { whois } : {}),
  };
}
