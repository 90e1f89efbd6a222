import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import { execSync } from 'node:child_process';
function bench(name: string, f: () => unknown) { let n = 0; const t = performance.now(); while (performance.now() - t < 1000) { f(); n++; } console.log(name, (1e6 / n).toFixed(1), 'µs'); }
const crt = new Uint8Array(execSync('cat /tmp/pk/b.crt'));
const csr = new Uint8Array(execSync('cat /tmp/pk/b.csr'));
bench('node X509 parse', () => new crypto.X509Certificate(crt));
bench('node X509 parse+fields', () => { const x = new crypto.X509Certificate(crt); return [x.subject, x.subjectAltName, x.keyUsage, x.serialNumber, x.validFrom, x.validTo, x.infoAccess, x.ca, x.issuer]; });
const x = new crypto.X509Certificate(crt);
console.log(Object.keys(x.toLegacyObject()));
bench('node X509 publicKey export', () => x.publicKey.export({type:'spki',format:'der'}));
bench('node X509 verify', () => x.verify(x.publicKey));
const r = asn1js.fromBER(csr).result as asn1js.Sequence;
bench('asn1js fromBER csr', () => asn1js.fromBER(csr));
// Only parse top level: cut
bench('asn1js Integer 2048 toBER', () => new asn1js.Integer({ valueHex: new Uint8Array(256).fill(1) }).toBER());
