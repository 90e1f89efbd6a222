import { describe, expect, it } from 'vitest';
import { normaliseOrg, registrantOrganisation, whoisMatches, whoisOrganisations } from './whois-parse.ts';

// Shapes of JPRS answers (whois.jprs.jp), with made-up data.
const JPRS_ORG_TYPE_EN = [
  '[ JPRS database provides information on network administration. Its use is    ]',
  '[ restricted to network administration purposes. For further information,     ]',
  '',
  'Domain Information:',
  'a. [Domain Name]                SAMPLE.AC.JP',
  'g. [Organization]               Sample University',
  'l. [Organization Type]          University',
  'm. [Administrative Contact]     XX00000JP',
  'p. [Name Server]                ns1.sample.ac.jp',
  '[State]                         Connected (2027/03/31)',
].join('\r\n');

const JPRS_ORG_TYPE_JA = [
  'Domain Information: [ドメイン情報]',
  'a. [ドメイン名]                 SAMPLE.AC.JP',
  'e. [そしきめい]                 みほんだいがく',
  'f. [組織名]                     見本大学',
  'g. [Organization]               Sample University',
  'l. [組織種別]                   大学',
].join('\n');

const JPRS_GENERAL_EN = [
  'Domain Information:',
  '[Domain Name]                   SAMPLE.JP',
  '',
  '[Registrant]                    Sample Inc.',
  '',
  '[Name Server]                   ns1.sample.jp',
  '[Created on]                    2001/02/03',
].join('\n');

const JPRS_GENERAL_JA = '[ドメイン名]                    SAMPLE.JP\n[登録者名]                      見本株式会社\n[Registrant]                    Sample Inc.\n';

const GENERIC = 'Domain Name: SAMPLE.NET\nRegistrant Name: REDACTED\nRegistrant Organization: Sample Holdings, Inc.\nRegistrant Country: JP\n';

describe('whoisOrganisations', () => {
  it('ok JPRS organisation-type domain, English (/e) answer', () => {
    expect(whoisOrganisations(JPRS_ORG_TYPE_EN)).toEqual(['Sample University']);
  });
  it('ok JPRS organisation-type domain, Japanese answer names both', () => {
    expect(whoisOrganisations(JPRS_ORG_TYPE_JA)).toEqual(['見本大学', 'Sample University']);
  });
  it('ok JPRS general-use domain', () => {
    expect(whoisOrganisations(JPRS_GENERAL_EN)).toEqual(['Sample Inc.']);
    expect(whoisOrganisations(JPRS_GENERAL_JA)).toEqual(['見本株式会社', 'Sample Inc.']);
  });
  it('ok generic Registrant Organization', () => {
    expect(registrantOrganisation(GENERIC)).toBe('Sample Holdings, Inc.');
  });
  it('ok no organisation: empty list, null', () => {
    expect(whoisOrganisations('No match!!\n[Organization Type]   University\n')).toEqual([]);
    expect(registrantOrganisation('')).toBeNull();
  });
});

describe('normaliseOrg', () => {
  it('ok NFKC, case folding, collapsed spaces', () => {
    expect(normaliseOrg('  ＳＡＭＰＬＥ\u3000 University  ')).toBe('sample university');
    expect(normaliseOrg('Straße')).toBe(normaliseOrg('STRASSE'));
    expect(normaliseOrg('ｻﾝﾌﾟﾙ大学')).toBe('サンプル大学');
  });
  it('ok whoisMatches any of the names', () => {
    expect(whoisMatches('見本大学', whoisOrganisations(JPRS_ORG_TYPE_JA))).toBe(true);
    expect(whoisMatches('sample  UNIVERSITY', ['Sample University'])).toBe(true);
    expect(whoisMatches('Sample University', ['Sample College'])).toBe(false);
    expect(whoisMatches('Sample University', [])).toBe(false);
  });
});
