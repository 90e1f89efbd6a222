/**
 * `hakko demo` (issue 12: a first run that reaches the dashboard): a demo institution, an enrolled
 * demo officer (enrollment URL and PIN, as `hakko officer enroll` prints them) and a sample request
 * file for it — through the same workflows as the real commands. Mail domains are under the
 * reserved `.example` top-level domain (RFC 2606): nothing can leave for a real mailbox.
 */
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { encodeTsv } from '../domain/tsv/codec.ts';
import { invalid } from '../errors.ts';
import type { Services } from '../services.ts';
import { enrollOfficer, type Enrollment } from './enroll-officer.ts';
import { addInstitution } from './institutions.ts';

export const DEMO_INSTITUTION = {
  code: 'demo-u', ja: 'デモ大学', en: 'Demo University', o: 'Demo University', l: 'Bunkyo-ku', st: 'Tokyo', domains: ['demo.example'],
} as const;

export const DEMO_OFFICER = { name: 'デモ 担当者', email: 'officer@demo.example' } as const;

const ADMIN = ['デモ 管理者', '情報基盤センター', 'admin@demo.example'] as const;

/** The sample issuance file (format A, method 3: each user picks up in the browser), CP932 as UPKI tooling writes it. */
export function demoRequestFile(): Uint8Array<ArrayBuffer> {
  const dn = (cn: string, ou: string) => `CN=${cn},OU=${ou},O=${DEMO_INSTITUTION.o},L=${DEMO_INSTITUTION.l},ST=${DEMO_INSTITUTION.st},C=JP`;
  return encodeTsv([
    [dn('Taro Yamada', '2026001'), '13', '3', '', '', '', '', ...ADMIN, '山田 太郎', '', '工学部', 'taro@demo.example', ''],
    [dn('Hanako Suzuki', '2026002'), '13', '3', '', '', '', '', ...ADMIN, '鈴木 花子', '', '理学部', 'hanako@demo.example', ''],
    [`CN=jiro@demo.example,OU=2026003,O=${DEMO_INSTITUTION.o},L=${DEMO_INSTITUTION.l},ST=${DEMO_INSTITUTION.st},C=JP`, '15', '3', '', '', '', '', ...ADMIN, '髙橋 次郎', '', '文学部', 'jiro@demo.example', ''],
  ]);
}

export interface Demo {
  readonly institution: typeof DEMO_INSTITUTION;
  readonly officer: typeof DEMO_OFFICER;
  readonly enrollment: Enrollment;
}

/** Sets the demo up once; a second run says what to do instead (VALIDATION, exit 2 in the CLI). */
export async function setUpDemo(s: Services, actor: string): Promise<Demo> {
  if (await findInstitutionByCode(s.db, DEMO_INSTITUTION.code)) {
    throw invalid(
      `the demo is set up already (institution ${DEMO_INSTITUTION.code}); for another enrollment URL: hakko officer enroll --institution ${DEMO_INSTITUTION.code} --name NAME --email NAME@demo.example`,
      `デモはすでに設定されています(機関 ${DEMO_INSTITUTION.code})。別の登録用URLは: hakko officer enroll --institution ${DEMO_INSTITUTION.code} --name 氏名 --email 名前@demo.example`,
    );
  }
  await addInstitution({ db: s.db, clock: s.clock }, DEMO_INSTITUTION, actor);
  const enrollment = await enrollOfficer(s, { institution: DEMO_INSTITUTION.code, operator: false, ...DEMO_OFFICER }, actor);
  return { institution: DEMO_INSTITUTION, officer: DEMO_OFFICER, enrollment };
}
