import * as asn1js from 'asn1js';
import { encoded, toDer } from '../api/pki/asn1.ts';
const inner = toDer(new asn1js.Sequence({ value: [new asn1js.Integer({ value: 5 }), new asn1js.Utf8String({ value: 'x' })] }));
const s = new asn1js.Sequence({ value: [new asn1js.Integer({ value: 1 }), encoded(inner), encoded(new Uint8Array(300).fill(4))] });
console.log(Buffer.from(toDer(s)).toString('hex').slice(0, 60));
