/**
 * PKCS#12 files from web/lib/crypto/p12.ts (the code the browser runs, here on Node's WebCrypto)
 * through openssl, pk12util (NSS) and keytool, for both variants and both key algorithms: the
 * algorithms OpenSSL reports are the spec's, NSS imports key and certificate under the CN, Java
 * sees one private-key entry with a three-certificate chain. The browser's own files are checked
 * the same way in tests/e2e/pickup-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { chainFor } from '../helpers/p12-fixture.ts';
import { checkP12, opensslAlgorithmLines } from '../helpers/p12-tools.ts';
import { generateKeyPair } from '../../web/lib/crypto/keys.ts';
import { buildP12 } from '../../web/lib/crypto/p12.ts';

const DN = 'CN=Sato Hanako,OU=Faculty of Letters,O=Example University,L=Academe,ST=Tokyo,C=JP';
const PASSWORD = 'hZ4rT8wq2NmKc7Vp';

const EXPECTED_OPENSSL = {
  modern: ['MAC: sha256, Iteration 2048', 'MAC length: 32, salt length: 8', 'PKCS7 Data', 'Certificate bag', 'Certificate bag', 'Certificate bag', 'PKCS7 Data', 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256'],
  compatible: ['MAC: sha1, Iteration 2048', 'MAC length: 20, salt length: 8', 'PKCS7 Data', 'Certificate bag', 'Certificate bag', 'Certificate bag', 'PKCS7 Data', 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048'],
} as const;

describe.each(['modern', 'compatible'] as const)('%s P12', (variant) => {
  it.each(['RSA-2048', 'P-256'] as const)('ok %s: openssl, pk12util and keytool read it', async (alg) => {
    const keys = await generateKeyPair(alg);
    const p12 = await buildP12({ privateKey: keys.privateKey, certificates: await chainFor(keys, DN), password: PASSWORD, friendlyName: 'Sato Hanako', variant });
    const r = checkP12(p12, PASSWORD, variant === 'compatible');
    expect(r.openssl.status, r.openssl.out).toBe(0);
    expect(opensslAlgorithmLines(r.openssl.out)).toEqual(EXPECTED_OPENSSL[variant]);
    expect(r.openssl.out).toContain('friendlyName: Sato Hanako');
    expect(r.openssl.out).toMatch(alg === 'P-256' ? /BEGIN PRIVATE KEY[\s\S]+END PRIVATE KEY/ : /BEGIN PRIVATE KEY/);
    expect(r.nss.status, r.nss.out).toBe(0);
    expect(r.nss.out).toContain('PKCS12 IMPORT SUCCESSFUL');
    expect(r.nss.certs).toMatch(/^Sato Hanako\s+u,u,u$/m);
    expect(r.nss.keys).toMatch(new RegExp(`<\\s*0>\\s+${alg === 'P-256' ? 'ec' : 'rsa'}\\s+[0-9a-f]+\\s+Sato Hanako`));
    expect(r.keytool.status, r.keytool.out).toBe(0);
    expect(r.keytool.out).toContain('Your keystore contains 1 entry');
    expect(r.keytool.out).toMatch(/Alias name: sato hanako/i);
    expect(r.keytool.out).toContain('Entry type: PrivateKeyEntry');
    expect(r.keytool.out).toContain('Certificate chain length: 3');
  });

  it('NG wrong password: every tool refuses', async () => {
    const keys = await generateKeyPair('P-256');
    const p12 = await buildP12({ privateKey: keys.privateKey, certificates: await chainFor(keys, DN), password: PASSWORD, friendlyName: 'Sato Hanako', variant });
    const r = checkP12(p12, 'not-the-password', variant === 'compatible');
    expect(r.openssl.status).not.toBe(0);
    expect(r.nss.status).not.toBe(0);
    expect(r.keytool.status).not.toBe(0);
  });
});
