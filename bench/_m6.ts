import { execSync } from 'node:child_process';
import { loadOrCreateCa, MemoryCaKeyStore } from '../api/pki/hierarchy.ts';
import { checkCsr } from '../api/pki/csr.ts';
import { buildAndSign } from '../api/pki/builder.ts';
import { checkIssued } from '../api/pki/check-issued.ts';
import { newSerial } from '../api/pki/serial.ts';
const ca = await loadOrCreateCa(new MemoryCaKeyStore(), { passphrase: 'pw', clock: { now: () => new Date() }, organisation: 'Hakko Test', publicUrl: 'http://localhost:8080', publicHttpsUrl: 'https://localhost:8443', publicPkiUrl: 'http://localhost:8080', mailFrom: 'hakko@localhost' });
execSync(`openssl req -new -newkey rsa:2048 -nodes -keyout /tmp/pk/u.key -subj "/CN=x" -out /tmp/pk/u.csr 2>/dev/null`);
const pem = execSync(`cat /tmp/pk/u.csr`).toString();
const request = { profile: 5 as const, subject: [{ type: 'CN' as const, value: 'Taro Yamada' }, { type: 'OU' as const, value: '12345' }, { type: 'O' as const, value: 'Example University' }, { type: 'L' as const, value: 'Academe' }, { type: 'C' as const, value: 'JP' }], mail: 'taro@example.ac.jp' };
async function one() {
  const csr = checkCsr(pem);
  const input = { request, publicKey: csr.spki, serial: newSerial(), notBefore: new Date() };
  const cert = await buildAndSign(input, ca.issuer);
  checkIssued(cert.der, input, ca.issuer);
}
function t(name: string, f: () => unknown, n = 2000) { const t0 = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name, ((performance.now() - t0) * 1000 / n).toFixed(1), 'µs'); }
for (let i = 0; i < 300; i++) await one();
let n = 0; const t0 = performance.now();
while (performance.now() - t0 < 3000) { await one(); n++; }
console.log('issuance/s', n / ((performance.now() - t0) / 1000));
t('checkCsr', () => checkCsr(pem));
const csr = checkCsr(pem);
const input = { request, publicKey: csr.spki, serial: newSerial(), notBefore: new Date() };
const cert = await buildAndSign(input, ca.issuer);
t('checkIssued', () => checkIssued(cert.der, input, ca.issuer));
const fake = { ...ca.issuer, signer: { ...ca.issuer.signer, sign: async (d: Uint8Array) => new Uint8Array(256) } };
let m = 0; const t1 = performance.now();
while (performance.now() - t1 < 1000) { await buildAndSign(input, fake as never); m++; }
console.log('build only', (1e6 / (m / ((performance.now() - t1) / 1000))).toFixed(1), 'µs');
