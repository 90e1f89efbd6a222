import { newUrlToken } from '../api/secrets/tokens.ts';
import { newPin, hashPin, encryptPin } from '../api/secrets/pin.ts';
import { seal } from '../api/secrets/sealed.ts';
import { randomUUID, randomBytes, createSecretKey, createHmac } from 'node:crypto';
const key = new Uint8Array(randomBytes(32));
const t = (n: string, f: () => void) => { const t0 = performance.now(); f(); console.log(n.padEnd(24), (performance.now() - t0).toFixed(0), 'ms'); };
for (let k = 0; k < 2; k++) {
t('20k newUrlToken', () => { for (let i = 0; i < 20000; i++) newUrlToken(); });
t('10k newPin', () => { for (let i = 0; i < 10000; i++) newPin(); });
t('10k hashPin', () => { for (let i = 0; i < 10000; i++) hashPin(key, 'ABCDEFGHJKLMNPQR'); });
const ko = createSecretKey(key);
t('10k hmac keyobject', () => { for (let i = 0; i < 10000; i++) createHmac('sha256', ko).update('ABCDEFGHJKLMNPQR').digest(); });
t('10k encryptPin', () => { for (let i = 0; i < 10000; i++) encryptPin(key, 'ABCDEFGHJKLMNPQR', 'hakko-pin:request:' + i); });
t('20k seal', () => { for (let i = 0; i < 20000; i++) seal(key, 'http://localhost:8080/pickup/' + 'x'.repeat(43)); });
t('20k randomUUID', () => { for (let i = 0; i < 20000; i++) randomUUID(); });
t('20k randomBytes(32)', () => { for (let i = 0; i < 20000; i++) randomBytes(32); });
t('1 randomBytes(640k)', () => { randomBytes(640000); });
}
