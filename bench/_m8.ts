import * as asn1js from 'asn1js';
import { encoded, toDer } from '../api/pki/asn1.ts';
function t(name: string, f: () => unknown, n = 5000) { for (let i = 0; i < 500; i++) f(); const t0 = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name.padEnd(30), ((performance.now() - t0) * 1000 / n).toFixed(2), 'µs'); }
t('new OID', () => new asn1js.ObjectIdentifier({ value: '2.5.4.3' }));
t('new OID + toBER', () => new asn1js.ObjectIdentifier({ value: '2.5.4.3' }).toBER());
t('new Utf8String', () => new asn1js.Utf8String({ value: 'Taro Yamada' }));
t('new Utf8String+toBER', () => new asn1js.Utf8String({ value: 'Taro Yamada' }).toBER());
const oidDer = toDer(new asn1js.ObjectIdentifier({ value: '2.5.4.3' }));
t('seq(encoded oid, utf8) toBER', () => new asn1js.Sequence({ value: [encoded(oidDer), new asn1js.Utf8String({ value: 'Taro Yamada' })] }).toBER());
t('set(seq(oid,utf8)) toBER', () => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: '2.5.4.3' }), new asn1js.Utf8String({ value: 'Taro Yamada' })] })] }).toBER());
t('OctetString 20', () => new asn1js.OctetString({ valueHex: new Uint8Array(20) }).toBER());
t('Sequence empty', () => new asn1js.Sequence({ value: [] }).toBER());
t('Integer 2', () => new asn1js.Integer({ value: 2 }).toBER());
