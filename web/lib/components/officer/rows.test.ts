/** The result table's helpers: the code at the start of a stored message, the manuals' cause and remedy. */
import { describe, expect, it } from 'vitest';
import { codeOfMessage, guidanceOf } from './rows.ts';
import { isCurrent } from '../dashboard-nav.ts';

describe('result rows', () => {
  it('ok the code of `CODE:COLUMN,ITEM,TEXT`, warnings included; none for other text', () => {
    expect(codeOfMessage('212:1,主体者DN,指定したDNはすでに存在しています。')).toBe('212');
    expect(codeOfMessage('W227:6,失効理由コメント,…')).toBe('W227');
    expect(codeOfMessage('no code')).toBe('');
  });

  it('ok cause and remedy where the catalogue has them (301: contact the service desk); none for 201 or unknown codes', () => {
    expect(guidanceOf('301')?.remedy?.en).toMatch(/service desk/i);
    expect(guidanceOf('201')).toBeNull();
    expect(guidanceOf('999')).toBeNull();
  });
});

describe('dashboard navigation', () => {
  it('ok home only on its exact path; other entries on their prefix and the prefixes they claim', () => {
    const home = { href: '/officer', label: 'officer.nav.home', exact: true } as const;
    const requests = { href: '/officer/requests', label: 'officer.nav.requests', also: ['/officer/uploads'] } as const;
    expect(isCurrent(home, '/officer/')).toBe(true);
    expect(isCurrent(home, '/officer/requests')).toBe(false);
    expect(isCurrent(requests, '/officer/requests')).toBe(true);
    expect(isCurrent(requests, '/officer/uploads/12')).toBe(true);
    expect(isCurrent(requests, '/officer/requestsx')).toBe(false);
  });
});
