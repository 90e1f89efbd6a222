/**
 * `GET /api/officer/export.zip` (spec 06 §Dashboard: certificate information download): the
 * information file (spec 02 §E), every certificate and every CSR as PEM, and the user-administrator
 * list, streamed — each part read from the database in batches as the client downloads, compressed
 * by fflate's streaming Zip — so that 100,000 certificates never sit in memory.
 *
 * The certificates are one PEM file and the CSRs another, each block preceded by its serial and DN
 * as explanatory text (RFC 7468 §5.2), not one file per certificate: fflate writes no ZIP64, and a
 * ZIP without it holds at most 65,535 entries.
 */
import { Zip, ZipDeflate } from 'fflate';
import { administratorsAfter, certificateFilesAfter } from '../../db/repos/certificate-list.ts';
import { COL, columnName, type Lang } from '../domain/errors/columns.ts';
import { CERTIFICATE_STATUS_TEXT, certificateStatus } from '../domain/request-state.ts';
import { encodeTsv } from '../domain/tsv/codec.ts';
import type { AuthenticatedOfficer } from '../domain/officer.ts';
import { toPem } from '../pki/pem.ts';
import type { Services } from '../services.ts';
import { EXPORT_BATCH, exportFileName, infoFileChunks, type StreamedDownload } from './export-info.ts';
import { institutionOf } from './officer-scope.ts';
import { neutralise } from './upload-report.ts';

interface Entry {
  readonly name: string;
  readonly chunks: () => AsyncIterable<Uint8Array>;
}

/** The ZIP's bytes as fflate makes them, one entry after the other; nothing is read before it is asked for. */
export async function* zipChunks(entries: readonly Entry[], mtime: Date): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    yield* out.splice(0);
  }
  for (const e of entries) {
    const file = new ZipDeflate(e.name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    for await (const c of e.chunks()) {
      file.push(c);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}

const utf8 = new TextEncoder();

/** A PEM bundle: each block after `Serial:` and `DN:` lines, batch by batch. */
async function* pemBundle(s: Services, institutionId: number, file: 'der' | 'csrDer'): AsyncGenerator<Uint8Array> {
  const label = file === 'der' ? 'CERTIFICATE' : 'CERTIFICATE REQUEST';
  for (let after = 0; ;) {
    const rows = await certificateFilesAfter(s.db, institutionId, after, EXPORT_BATCH, file);
    if (rows.length === 0) return;
    let text = '';
    for (const r of rows) if (r.bytes) text += `Serial: ${r.serial}\nDN: ${r.requestDn}\n${toPem(r.bytes, label)}\n`;
    yield utf8.encode(text);
    if (rows.length < EXPORT_BATCH) return;
    after = rows.at(-1)!.id;
  }
}

/** The user-administrator list (CP932 TSV for spreadsheets: cells neutralised, spec 08 §Security). */
async function* administratorList(s: Services, institutionId: number, lang: Lang, now: Date): AsyncGenerator<Uint8Array> {
  const cols = [COL.dn, COL.userName, COL.userMail, COL.adminName, COL.adminAffiliation, COL.adminMail];
  const [serial, state] = lang === 'ja' ? ['シリアル番号', '状態'] : ['Serial number', 'State'];
  yield encodeTsv([[serial, ...cols.map((c) => columnName(c, lang)), state]]);
  for (let after = 0; ;) {
    const rows = await administratorsAfter(s.db, institutionId, after, EXPORT_BATCH);
    if (rows.length === 0) return;
    yield encodeTsv(rows.map((r) => [r.serial, r.requestDn, r.userName ?? '', r.userMail ?? '', r.adminName ?? '', r.adminAffiliation ?? '', r.adminMail ?? '', CERTIFICATE_STATUS_TEXT[certificateStatus(r, now)][lang]]
      .map((v) => neutralise(v.replace(/[\t\r\n]/g, ' ')))));
    if (rows.length < EXPORT_BATCH) return;
    after = rows.at(-1)!.id;
  }
}

const README = [
  'Hakko 発行 — 証明書情報 / certificate information',
  '',
  '*-certificates-*.tsv   証明書情報ファイル(CP932、仕様 02 §E) / the certificate information file (CP932, spec 02 §E)',
  'certificates.pem       全証明書(PEM、各ブロックの前にシリアル番号とDN) / every certificate (PEM, each after its serial and DN)',
  'csrs.pem               全CSR(PEM、発行された証明書のシリアル番号とDN) / every CSR (PEM, after the serial and DN of the certificate it produced)',
  'administrators.tsv     証明書ごとの利用者と利用管理者(CP932) / user and user administrator of each certificate (CP932)',
  '',
].join('\r\n');

export async function exportZip(s: Services, officer: AuthenticatedOfficer, lang: Lang): Promise<StreamedDownload> {
  const institutionId = institutionOf(officer);
  const now = s.clock.now();
  const { ja, en } = officer.institution!;
  const entries: Entry[] = [
    { name: 'README.txt', chunks: async function* () { yield utf8.encode(README); } },
    { name: exportFileName(officer, 'certificates', 'tsv', now), chunks: () => infoFileChunks(s, institutionId, { ja, en }, lang, now) },
    { name: 'certificates.pem', chunks: () => pemBundle(s, institutionId, 'der') },
    { name: 'csrs.pem', chunks: () => pemBundle(s, institutionId, 'csrDer') },
    { name: 'administrators.tsv', chunks: () => administratorList(s, institutionId, lang, now) },
  ];
  return { fileName: exportFileName(officer, 'certificates', 'zip', now), chunks: zipChunks(entries, now) };
}
