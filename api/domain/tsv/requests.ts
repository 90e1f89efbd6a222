/** Turns an error-free parsed row into the strictly typed request the upload workflow registers. */
import type { DnParts } from '../dn.ts';
import type { ParsedRow, RequiredPerson, TsvRequest } from './types.ts';

function required(p: ParsedRow['admin']): RequiredPerson | null {
  if (p.name === null || p.affiliation === null || p.mail === null) return null;
  return { name: p.name, affiliation: p.affiliation, mail: p.mail };
}

function base(row: ParsedRow, dn: DnParts, cnOuKey: string) {
  return { seq: row.seq, dnText: row.dnText, dn, cnOuKey };
}

function issueLike(row: ParsedRow, dn: DnParts, key: string) {
  const admin = required(row.admin);
  const { name, mail } = row.user;
  if (row.profile === null || row.method === null || admin === null || name === null || mail === null) return null;
  return {
    ...base(row, dn, key), profile: row.profile, method: row.method, admin,
    user: { name, affiliation: row.user.affiliation, mail }, p12FileName: row.p12FileName, pin: row.pin,
  };
}

/**
 * The typed request of a row, or null when a value its kind requires is missing or invalid. Called
 * for rows without errors, where it is never null (the column rules guarantee every required value).
 */
export function toRequest(row: ParsedRow): TsvRequest | null {
  const { dn, cnOuKey } = row;
  if (dn === null || cnOuKey === null) return null;
  switch (row.kind) {
    case 'issue': {
      const r = issueLike(row, dn, cnOuKey);
      return r === null ? null : { kind: 'issue', ...r };
    }
    case 'renew': {
      const r = issueLike(row, dn, cnOuKey);
      return r === null || row.serial === null ? null : { kind: 'renew', ...r, serial: row.serial };
    }
    case 'revoke': {
      if (row.serial === null || row.reason === null) return null;
      return { kind: 'revoke', ...base(row, dn, cnOuKey), serial: row.serial, reason: row.reason, comment: row.comment, admin: row.admin, user: row.user };
    }
    case 'admin': {
      const admin = required(row.admin);
      if (row.serial === null || admin === null) return null;
      return { kind: 'admin', ...base(row, dn, cnOuKey), serial: row.serial, admin };
    }
  }
}
