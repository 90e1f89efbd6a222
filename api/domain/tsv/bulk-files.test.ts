/** pins.txt and client.txt byte for byte (spec 04 §PIN URL page, §P12一括; spec 02: CP932, CRLF). */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { uniqueNames } from '../zip-names.ts';
import { CLIENT_HEADER, PINS_HEADER, writeClientTxt, writePinsTxt } from './bulk-files.ts';

/** The oracle: glibc's own CP932 table (iconv), independent of encoding-japanese. */
const iconvCp932 = (text: string) => new Uint8Array(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP932'], { input: Buffer.from(text, 'utf8') }));
const sjis = new TextDecoder('shift_jis', { fatal: true });

const DN1 = 'CN=LAB MEMBER01,OU=Lab A,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';
const DN2 = 'CN=Foo, Inc. Robot,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP';

describe('pins.txt', () => {
  const lines = [
    { name: '髙橋 ①郎', mail: 'm01@sample.ac.jp', pin: 'Kq7mZp3rXw9tBn2H', dn: DN1 },
    { name: null, mail: 'm02@sample.ac.jp', pin: 'OwnPin_2026-abc', dn: DN2 },
  ];

  it('ok header 氏名⇥メールアドレス⇥アクセスPIN⇥主体者DN, rows in the order given, TAB, CRLF after every line, CP932 as Windows writes it', () => {
    const bytes = writePinsTxt(lines);
    const text = `氏名\tメールアドレス\tアクセスPIN\t主体者DN\r\n髙橋 ①郎\tm01@sample.ac.jp\tKq7mZp3rXw9tBn2H\t${DN1}\r\n\tm02@sample.ac.jp\tOwnPin_2026-abc\t${DN2}\r\n`;
    expect([...bytes]).toEqual([...iconvCp932(text)]);
    // The first bytes spelled out: 氏 = 8E 81, 名 = 96 BC, then TAB.
    expect([...bytes.slice(0, 5)]).toEqual([0x8e, 0x81, 0x96, 0xbc, 0x09]);
    // 髙 (an IBM extension character) in the IBM row FB FC as Windows writes it, ① = 87 40 (NEC special).
    const row = bytes.indexOf(0x0a) + 1;
    expect([...bytes.slice(row, row + 2)]).toEqual([0xfb, 0xfc]);
    expect(sjis.decode(bytes)).toBe(text);
    expect(PINS_HEADER).toEqual(['氏名', 'メールアドレス', 'アクセスPIN', '主体者DN']);
  });

  it('ok no rows: the header alone', () => {
    expect(sjis.decode(writePinsTxt([]))).toBe('氏名\tメールアドレス\tアクセスPIN\t主体者DN\r\n');
  });

  it('NG a TAB or line break inside a value is written as a space (the columns never shift)', () => {
    const text = sjis.decode(writePinsTxt([{ name: 'a\tb\r\nc', mail: 'x@y', pin: 'P', dn: 'CN=x' }]));
    expect(text.split('\r\n')[1]).toBe('a b  c\tx@y\tP\tCN=x');
    expect(text.split('\r\n')).toHaveLength(3);
  });
});

describe('client.txt', () => {
  it('ok header シリアル番号⇥氏名⇥メールアドレス⇥主体者DN, decimal serials, one row per certificate, CP932 CRLF', () => {
    const serial = '123456789012345678901234567890';
    const bytes = writeClientTxt([
      { serial, name: '利用者 一', mail: 'u1@sample.ac.jp', dn: DN1 },
      { serial: '42', name: null, mail: 'u2@sample.ac.jp', dn: DN2 },
    ]);
    const text = `シリアル番号\t氏名\tメールアドレス\t主体者DN\r\n${serial}\t利用者 一\tu1@sample.ac.jp\t${DN1}\r\n42\t\tu2@sample.ac.jp\t${DN2}\r\n`;
    expect([...bytes]).toEqual([...iconvCp932(text)]);
    expect(CLIENT_HEADER).toEqual(['シリアル番号', '氏名', 'メールアドレス', '主体者DN']);
  });
});

describe('ZIP entry names', () => {
  it('ok repeats of a P12 name get -2, -3 (shared with the bulk page)', () => {
    expect(uniqueNames(['a.p12', 'A.p12', 'a.p12', 'a-2.p12'])).toEqual(['a.p12', 'A-2.p12', 'a-3.p12', 'a-2-2.p12']);
  });
});
