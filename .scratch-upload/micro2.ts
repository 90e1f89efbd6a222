import { randomBytes, createSecretKey, createCipheriv } from 'node:crypto';
const key = new Uint8Array(randomBytes(32));
const ko = createSecretKey(key);
const t = (n: string, f: () => void) => { const t0 = performance.now(); f(); console.log(n.padEnd(24), (performance.now() - t0).toFixed(0), 'ms'); };
const enc = (k: any) => { const iv = randomBytes(12); const c = createCipheriv('aes-256-gcm', k, iv); c.setAAD(Buffer.from('hakko-pin:request:1')); const b = Buffer.concat([c.update('ABCDEFGHJKLMNPQR', 'utf8'), c.final()]); return Buffer.concat([iv, b, c.getAuthTag()]); };
for (let k = 0; k < 2; k++) {
t('10k enc raw', () => { for (let i = 0; i < 10000; i++) enc(key); });
t('10k enc keyobj', () => { for (let i = 0; i < 10000; i++) enc(ko); });
}
