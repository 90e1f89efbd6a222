/**
 * Two institutions with the objects every officer view has (made through the real APIs): in the
 * sample institution A three picked-up certificates — one revoked by the officer (reason 3), one
 * renewed and the renewal picked up (awaiting revocation) — plus one open request; in institution B
 * one certificate. The export, officer-view and isolation tests share it.
 */
import { expect } from 'vitest';
import { encodeTsv } from '../../api/domain/tsv/codec.ts';
import type { TestServer } from './server.ts';
import { addTestInstitution, enrollTestOfficer, officerRequest, SAMPLE_INSTITUTION, uploadViaApi, type OfficerCredentials } from './officer.ts';
import { issueCertificates, pickUpUploaded, type IssuedCertificate } from './issued.ts';

export const OTHER = { code: 'other-u', ja: '別大学', en: 'Other University', o: 'Other University', l: 'Chiyoda-ku', st: 'Tokyo', domains: ['other.ac.jp'] };
export const OPEN_DN = 'CN=Open User,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';

export interface OfficerFixture {
  readonly a: OfficerCredentials;
  readonly b: OfficerCredentials;
  /** A's certificates: [valid, revoked (reason 3), renewed (awaiting revocation)]. */
  readonly issued: readonly IssuedCertificate[];
  /** The renewal of issued[2]. */
  readonly renewal: IssuedCertificate;
  /** B's certificate. */
  readonly foreign: readonly IssuedCertificate[];
  /** Upload ids: A's open request's upload, B's issuance. */
  readonly openUpload: string;
}

/** JSON body of a state-changing officer call. */
export function jsonBody(body: unknown) {
  return { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
}

/** Builds the fixture on a server started with `TRUSTED_PROXIES=127.0.0.1` (each pickup from its own address). */
export async function buildOfficerFixture(srv: TestServer): Promise<OfficerFixture> {
  await addTestInstitution(srv);
  await addTestInstitution(srv, OTHER);
  const a = await enrollTestOfficer(srv, SAMPLE_INSTITUTION.code, '登録 太郎', 'ra@sample.ac.jp');
  const b = await enrollTestOfficer(srv, OTHER.code, '別 担当', 'ra@other.ac.jp');
  const issued = await issueCertificates(srv, a, 3);
  const foreign = await issueCertificates(srv, b, 1, OTHER);
  const revoke = await officerRequest(srv, a, 'POST', `/api/officer/certificates/${issued[1]!.serial}/revoke`, jsonBody({ reason: 3, comment: '所属変更' }));
  expect(revoke.status, revoke.text).toBe(200);
  // The third certificate renewed (format B, same DN) and the renewal picked up: the old one awaits revocation.
  const old = issued[2]!;
  const k = /CN=Crl User (\d+),/.exec(old.dn)![1];
  const renew = [old.dn, '5', '3', old.serial, '', '', '', '管理 花子', '情報基盤センター', `admin${k}@sample.ac.jp`, `利用者 ${k}`, '', '工学部', `user${k}@sample.ac.jp`, ''];
  const ren = await uploadViaApi(srv, a, { file: { name: 'renew.tsv', bytes: encodeTsv([renew]) }, kind: 'renew', mode: 'abort', reviewed: 'true' });
  expect(ren.status, ren.text).toBe(200);
  const [renewal] = (await pickUpUploaded(srv, [old.dn])) as [IssuedCertificate];
  const open = [OPEN_DN, '5', '3', '', '', '', '', '管理 花子', '情報基盤センター', 'admin-open@sample.ac.jp', '髙橋 開', 'open-user', '工学部', 'open@sample.ac.jp', ''];
  const up = await uploadViaApi(srv, a, { file: { name: 'open.tsv', bytes: encodeTsv([open]) }, kind: 'issue', mode: 'abort', reviewed: 'true' });
  expect(up.status, up.text).toBe(200);
  return { a, b, issued, renewal, foreign, openUpload: up.json().upload };
}
