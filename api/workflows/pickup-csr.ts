/**
 * `POST /api/pickup/{token}/csr` (spec 04 §HTTP API): individual pickups send `{pin, csr}`, bulk
 * pickups `{csrs:[{id, csr}]}` and get a per-row report. The same CSR again returns the same
 * certificate (200); a new certificate is 201.
 */
import { toPem } from '../pki/pem.ts';
import { HakkoError } from '../errors.ts';
import type { CsrAnswerBody, IssuedView } from '../domain/pickup-api.ts';
import type { Services } from '../services.ts';
import { issueCertificate } from './issue-certificate.ts';
import { openPickup, verifyPin } from './pickup.ts';

export type { IssuedView } from '../domain/pickup-api.ts';

export interface CsrAnswer {
  readonly status: 200 | 201 | 422;
  readonly body: CsrAnswerBody;
}

function view(s: Services, id: number, serial: string, der: Uint8Array): IssuedView {
  const show = s.ca.show();
  return { id: String(id), serial, certificate: toPem(der, 'CERTIFICATE'), chain: [show.issuing.pem, show.root.pem] };
}

export async function submitCsrs(s: Services, token: string, body: Record<string, unknown>): Promise<CsrAnswer> {
  const first = await openPickup(s.db, token, s.clock.now());
  if (first.rows[0]!.method !== 2) {
    const { rows } = await verifyPin(s, token, body.pin);
    const out = await issueCertificate(s, rows[0]!.id, body.csr, 'pickup-url');
    return { status: out.created ? 201 : 200, body: { certificates: [view(s, rows[0]!.id, out.certificate.serial, out.certificate.der!)], errors: [] } };
  }
  if (!Array.isArray(body.csrs) || body.csrs.length === 0 || body.csrs.length > 1000) throw new HakkoError('BAD_REQUEST');
  const mine = new Set(first.rows.map((r) => String(r.id)));
  const answer: CsrAnswer['body'] = { certificates: [], errors: [] };
  let created = 0;
  for (const item of body.csrs as { id?: unknown; csr?: unknown }[]) {
    const id = String(item?.id ?? '');
    try {
      if (!mine.has(id)) throw new HakkoError('NOT_FOUND');
      const out = await issueCertificate(s, Number(id), item.csr, 'pickup-url');
      if (out.created) created++;
      answer.certificates.push(view(s, Number(id), out.certificate.serial, out.certificate.der!));
    } catch (e) {
      if (!(e instanceof HakkoError)) throw e;
      answer.errors.push({ id, code: e.code, message: e.text });
    }
  }
  if (answer.certificates.length === 0) return { status: 422, body: answer };
  return { status: created > 0 ? 201 : 200, body: answer };
}
