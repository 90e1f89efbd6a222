/**
 * Subscriber certificates made the real way for tests that need several (revocation, CRL, OCSP):
 * one TSV upload through the officer API (method 3), the PIN and pickup URLs taken from the outbox,
 * and each pickup from a client address of its own (the server must trust 127.0.0.1 as a proxy,
 * `TRUSTED_PROXIES=127.0.0.1`, or the per-address PIN-attempt limit stops the fourth pickup).
 */
import { asc, inArray } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import { unsealDeep } from '../../api/secrets/sealed.ts';
import type { TestServer } from './server.ts';
import { SAMPLE_INSTITUTION, uploadViaApi, type OfficerCredentials, type TestInstitution } from './officer.ts';
import { keyAndCsr } from './pickup-client.ts';
import { freshIp, pickupApi } from './world.ts';

export interface IssuedCertificate {
  readonly dn: string;
  readonly serial: string;
  readonly certPem: string;
  readonly keyPem: string;
}

let counter = 0;

/** Issues `n` certificates of `inst` (the officer's institution) and picks each one up. */
export async function issueCertificates(srv: TestServer, officer: OfficerCredentials, n: number, inst: TestInstitution = SAMPLE_INSTITUTION): Promise<IssuedCertificate[]> {
  const domain = inst.domains[0]!;
  const dns: string[] = [];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = ++counter;
    const dn = `CN=Crl User ${k},O=${inst.o},L=${inst.l},${inst.st ? `ST=${inst.st},` : ''}C=JP`;
    dns.push(dn);
    rows.push([dn, '5', '3', '', '', '', '', '管理 花子', '情報基盤センター', `admin${k}@${domain}`, `利用者 ${k}`, '', '工学部', `user${k}@${domain}`, '']);
  }
  const up = await uploadViaApi(srv, officer, { file: { name: 'issue.tsv', bytes: encodeTsv(rows) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
  if (up.status !== 200) throw new Error(`upload: ${up.status} ${up.text}`);
  return pickUpUploaded(srv, dns);
}

/** The PIN and pickup URL tokens of uploaded requests, from the latest notices in the outbox that name each DN. */
export async function requestLinks(srv: TestServer, dns: readonly string[]): Promise<{ dn: string; pin: string; pickup: string }[]> {
  const mails = await srv.services.db.select().from(outbox).where(inArray(outbox.kind, ['pin-notice', 'pickup-notice'])).orderBy(asc(outbox.id));
  type Notice = { requests: { dn: string }[]; pinUrl?: string; pickupUrl?: string };
  const notices = mails.map((m) => ({ kind: m.kind, data: unsealDeep(srv.services.keys.pinEnc, m.data) as Notice }));
  const urlOf = (kind: string, dn: string, key: 'pinUrl' | 'pickupUrl') => {
    const url = notices.filter((m) => m.kind === kind && m.data.requests.some((r) => r.dn === dn)).at(-1)?.data[key];
    if (!url) throw new Error(`no ${kind} for ${dn}`);
    return url.split('/').pop()!;
  };
  return dns.map((dn) => ({ dn, pin: urlOf('pin-notice', dn, 'pinUrl'), pickup: urlOf('pickup-notice', dn, 'pickupUrl') }));
}

/**
 * Picks up the uploaded method-3 requests with these DNs (issue or renewal), each from its own client
 * address: PIN and pickup URLs from the latest notices that name the DN.
 */
export async function pickUpUploaded(srv: TestServer, dns: readonly string[]): Promise<IssuedCertificate[]> {
  const out: IssuedCertificate[] = [];
  for (const link of await requestLinks(srv, dns)) {
    const api = pickupApi(srv.httpUrl, freshIp());
    const pickup = link.pickup;
    const got = await api.retrieve(link.pin);
    if (got.status !== 200) throw new Error(`retrieve: ${got.status} ${JSON.stringify(got.json)}`);
    const pin = got.json.pins[0].pin as string;
    const v = await api.verify(pickup, pin);
    if (v.status !== 204) throw new Error(`verify: ${v.status} ${JSON.stringify(v.json)}`);
    const k = await keyAndCsr();
    const r = await api.csr(pickup, { pin, csr: k.csrPem });
    if (r.status !== 201) throw new Error(`csr: ${r.status} ${JSON.stringify(r.json)}`);
    const c = await api.confirm(pickup, { pin });
    if (c.status !== 204) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.json)}`);
    const cert = r.json.certificates[0];
    out.push({ dn: link.dn, serial: cert.serial, certPem: cert.certificate, keyPem: k.keyPem });
  }
  return out;
}
