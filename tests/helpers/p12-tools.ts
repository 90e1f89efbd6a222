/**
 * A PKCS#12 file through the real tools of spec 08 §Interoperability: `openssl pkcs12 -info`
 * (`-legacy` for the compatible variant), `pk12util -i` into a fresh NSS database (what Firefox
 * uses) then `certutil -L/-K`, and `keytool -list -storetype PKCS12`. Each answer is returned in
 * full so tests assert on what the tool printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from './pki.ts';

export interface ToolReport {
  readonly openssl: { readonly status: number; readonly out: string };
  readonly nss: { readonly status: number; readonly out: string; readonly certs: string; readonly keys: string };
  readonly keytool: { readonly status: number; readonly out: string };
}

/** Runs the three tools on `p12` with `password`; `legacy` adds openssl's `-legacy`. */
export function checkP12(p12: Uint8Array, password: string, legacy: boolean): ToolReport {
  const dir = mkdtempSync(path.join(tmpdir(), 'hakko-p12-'));
  try {
    const file = path.join(dir, 'file.p12');
    writeFileSync(file, p12);
    const ossl = run('openssl', ['pkcs12', '-info', '-in', file, '-passin', `pass:${password}`, '-noenc', ...(legacy ? ['-legacy'] : [])]);
    const db = path.join(dir, 'nssdb');
    run('mkdir', [db]);
    run('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
    const imp = run('pk12util', ['-i', file, '-d', `sql:${db}`, '-W', password, '-K', '']);
    const certs = run('certutil', ['-L', '-d', `sql:${db}`]).out;
    const keys = run('certutil', ['-K', '-d', `sql:${db}`, '-f', '/dev/null']).out;
    const kt = run('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', file, '-storepass', password]);
    return { openssl: ossl, nss: { ...imp, certs, keys }, keytool: kt };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines `openssl pkcs12 -info` prints about algorithms (MAC, bags), for exact assertions. */
export function opensslAlgorithmLines(out: string): string[] {
  return out.split('\n').filter((l) => /^(MAC|Shrouded Keybag|PKCS7|Certificate bag|Key bag)/.test(l)).map((l) => l.trim());
}
