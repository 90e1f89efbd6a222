/**
 * Template data for every mail kind, in the shapes the outbox stores (JSON), built from the sample
 * institution of /work/shared/fixtures. Rows carry a secret PIN as an extra property, the way a
 * workflow's request record might, so tests can assert it never reaches a mail.
 */
import type { MailDataByKind, MailKind } from '../../api/mail/templates/index.ts';
import type { Person } from '../../api/mail/templates/types.ts';

/** A PIN-shaped secret that must never appear in a mail (spec 04 §Secrets, spec 05). */
export const SECRET_PIN = 'Zq7Hk3Rm9Tw4Xc2P';

export const INSTITUTION = { ja: '見本大学', en: 'Sample University' };

export const DN_TARO = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
export const DN_ITO = 'CN=ITO MISAKI (Staff),OU=S0042,OU=Foo, Inc. Lab,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
export const DN_TARO_ACADEME = 'CN=SATO TARO,OU=20261234,OU=Graduate School of Engineering,O=Sample University,L=Academe,C=JP';

export const OFFICER: Person = { name: '登録 担当', email: 'ra-officer@sample.ac.jp' };
export const ADMIN: Person = { name: '管理 花子', email: 'pki-admin@sample.ac.jp', affiliation: '情報基盤センター' };
export const TARO: Person = { name: '佐藤 太郎', email: 'taro.sato@sample.ac.jp', affiliation: '工学研究科①' };
export const ITO: Person = { name: '伊藤 美咲', email: 'misaki.ito@sample.ac.jp' };

/** A request row as a workflow might hold it: the PIN rides along and must be ignored. */
const withPin = <T extends object>(row: T): T => ({ ...row, pin: SECRET_PIN, accessPin: SECRET_PIN });

const EXPIRES = '2026-12-31T00:00:00Z';
const NOT_AFTER = '2028-01-15T14:59:59Z';

/** Sample data per kind (method 1 unless the kind is about bulk). */
export const SAMPLE_DATA: { readonly [K in MailKind]: MailDataByKind[K] } = {
  'pin-notice': {
    institution: INSTITUTION, recipients: [ADMIN], method: 1,
    requests: [withPin({ dn: DN_TARO, user: TARO })], pinUrl: 'https://hakko.example.ac.jp/pin/AAAApinTOKEN', expiresAt: EXPIRES,
  },
  'pickup-notice': {
    institution: INSTITUTION, recipients: [TARO], method: 1,
    requests: [withPin({ dn: DN_TARO, user: TARO })], pickupUrl: 'https://hakko.example.ac.jp/pickup/BBBBpickupTOKEN', expiresAt: EXPIRES,
  },
  'pickup-completed': {
    institution: INSTITUTION, recipients: [OFFICER, ADMIN], method: 2, saveConfirmed: true,
    certificates: [
      withPin({ dn: DN_TARO, serial: '123456789012345678901234567890', notAfter: NOT_AFTER, user: TARO }),
      withPin({ dn: DN_ITO, serial: '98765432109876543210', notAfter: NOT_AFTER, user: ITO }),
    ],
  },
  'renewal-pickup-completed': {
    institution: INSTITUTION, recipients: [OFFICER, ADMIN], method: 1, saveConfirmed: true,
    certificates: [withPin({
      dn: DN_TARO, serial: '170141183460469231731687303715884105727', notAfter: NOT_AFTER, user: TARO,
      oldSerial: '123456789012345678901234567890', oldRequestDn: DN_TARO_ACADEME, oldStillValid: true, userAdmin: ADMIN,
    })],
  },
  'revocation-completed': {
    institution: INSTITUTION, recipients: [OFFICER, ADMIN, TARO],
    certificate: { dn: DN_TARO, serial: '123456789012345678901234567890' }, reason: 4, revokedAt: '2026-11-30T15:30:00Z',
  },
  'url-reissued': {
    variant: 'pickup', institution: INSTITUTION, recipients: [TARO], method: 3,
    requests: [withPin({ dn: DN_TARO, user: TARO })], pickupUrl: 'https://hakko.example.ac.jp/pickup/CCCCnewTOKEN', expiresAt: EXPIRES,
  },
  'revoke-old-reminder': {
    institution: INSTITUTION, recipients: [OFFICER], dashboardUrl: 'https://hakko.example.ac.jp:8443/officer',
    certificates: [{
      oldDn: DN_TARO_ACADEME, oldSerial: '123456789012345678901234567890', oldNotAfter: '2027-03-31T14:59:59Z',
      newSerial: '170141183460469231731687303715884105727', pickedUpAt: '2026-11-16T01:00:00Z', user: TARO,
    }],
  },
  'expiry-reminder': {
    institution: INSTITUTION, recipients: [ADMIN, TARO], daysLeft: 30,
    certificate: { dn: DN_TARO, serial: '123456789012345678901234567890', notAfter: '2026-12-31T14:59:59Z' },
  },
  'officer-enrollment': {
    institution: INSTITUTION, recipients: [OFFICER], role: 'officer',
    dn: 'CN=ra-officer@sample.ac.jp,OU=Registration Officer,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP',
    enrollmentUrl: 'https://hakko.example.ac.jp/pickup/DDDDenrollTOKEN', expiresAt: EXPIRES,
    dashboardUrl: 'https://hakko.example.ac.jp:8443/officer',
  },
};

/** The recipients a mail of each kind names, for salutation checks. */
export function recipientsOf(kind: MailKind): readonly Person[] {
  return SAMPLE_DATA[kind].recipients;
}
