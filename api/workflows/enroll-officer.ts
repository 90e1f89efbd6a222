/**
 * Officer and operator enrollment (spec 01 §Setting up an institution; spec 04: enrollment requests
 * start in `ready`, the CLI prints the PIN, there is no PIN URL). Creates the officer (pending), the
 * request with its pickup URL, the enrollment mail and the audit record in one transaction.
 */
import { officers, requests, urlTokens } from '../../db/schema/index.ts';
import { findInstitutionByCode } from '../../db/repos/institutions.ts';
import { findLiveOfficerByEmail } from '../../db/repos/officers.ts';
import { enqueueMails } from '../../db/repos/outbox.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError, invalid } from '../errors.ts';
import { newUrlToken } from '../secrets/tokens.ts';
import { checkMail } from '../domain/tsv/values.ts';
import { hashPin, newPin } from '../secrets/pin.ts';
import { seal } from '../secrets/sealed.ts';
import type { Services } from '../services.ts';

export interface EnrollInput {
  readonly institution: string | null;
  readonly operator: boolean;
  readonly name: string;
  readonly email: string;
}

export interface Enrollment {
  readonly url: string;
  readonly pin: string;
  readonly expiresAt: string;
  readonly officerId: number;
}

const OPERATOR_O = 'Hakko';

export async function enrollOfficer(s: Pick<Services, 'db' | 'clock' | 'keys' | 'config'>, input: EnrollInput, actor: string): Promise<Enrollment> {
  const email = input.email.trim();
  // `field`: the CLI option and the console's form field (as in institutions.ts).
  if (checkMail(email).length > 0) throw invalid(`Not a mail address: ${input.email}`, `メールアドレスの形式が正しくありません: ${input.email}`, { field: 'email' });
  if (!input.name.trim() || input.name.length > 64) throw invalid('The name must be 1–64 characters.', '氏名は1〜64文字で指定してください。', { field: 'name' });
  // Exactly one of an institution (a registration officer) and the operator role (the CLI's parser says the same).
  if (input.operator === (input.institution !== null && input.institution !== '')) {
    throw invalid('give either an institution (registration officer) or the operator role, not both or neither', '機関(登録担当者)かオペレータのどちらか一方を指定してください');
  }
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const inst = input.institution ? await findInstitutionByCode(tx, input.institution) : null;
    if (input.institution && !inst) throw new HakkoError('NOT_FOUND', { text: { en: `unknown institution: ${input.institution}`, ja: `機関が見つかりません: ${input.institution}` } });
    if (await findLiveOfficerByEmail(tx, email)) throw invalid(`An officer with the mail address ${email} exists already: revoke that one first.`, `メールアドレス ${email} の登録担当者はすでに存在します。先にその担当者を失効させてください。`, { duplicate: true, field: 'email' });
    const settings = await readSettings(tx);
    const expiresAt = new Date(now.getTime() + settings['enroll.urlDays'] * 86_400_000);
    const role = input.operator ? 'operator' : 'officer';
    const [officer] = await tx.insert(officers).values({ institutionId: inst?.id ?? null, role, name: input.name.trim(), email, status: 'pending', createdAt: now }).returning();
    const token = newUrlToken();
    const [url] = await tx.insert(urlTokens).values({ purpose: 'pickup', tokenHash: token.hash, state: 'active', expiresAt, createdAt: now }).returning();
    const dn = inst
      ? `CN=${email},OU=Registration Officer,O=${inst.o},L=${inst.l}${inst.st ? `,ST=${inst.st}` : ''},C=JP`
      : `CN=${email},OU=Operator,O=${OPERATOR_O},C=JP`;
    const pin = newPin();
    const [req] = await tx
      .insert(requests)
      .values({
        institutionId: inst?.id ?? null, officerId: officer!.id, kind: role, state: 'ready', dn, cnOuKey: `${role}:${email}`,
        profile: null, method: 3, userName: input.name.trim(), userMail: email, pinHash: hashPin(s.keys.pinHash, pin),
        pickupUrlId: url!.id, pinRetrievedAt: now, createdAt: now, updatedAt: now,
      })
      .returning({ id: requests.id });
    const link = `${s.config.publicUrl}/pickup/${token.token}`;
    await enqueueMails(tx, now, mailHost(s.config.mailFrom), [
      {
        kind: 'officer-enrollment',
        to: [{ address: email, name: input.name }],
        institutionId: inst?.id ?? null,
        requestId: req!.id,
        data: {
          institution: inst ? { ja: inst.ja, en: inst.en } : null,
          recipients: [{ name: input.name.trim(), email }],
          role,
          dn,
          // Sealed: the outbox must not hold the raw token (spec 04 §Secrets).
          enrollmentUrl: seal(s.keys.pinEnc, link),
          expiresAt: expiresAt.toISOString(),
          dashboardUrl: `${s.config.publicHttpsUrl}/officer`,
        },
      },
    ]);
    await appendAudit(tx, now, [{ actor, institutionId: inst?.id ?? null, action: 'officer.enroll', object: email, details: { role, officerId: officer!.id, requestId: req!.id } }]);
    return { url: link, pin, expiresAt: expiresAt.toISOString(), officerId: officer!.id };
  });
}

export function mailHost(from: string): string {
  return from.split('@')[1] ?? 'localhost';
}
