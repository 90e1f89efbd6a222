/**
 * A Node stand-in for the browser side of a pickup (tests only): WebCrypto key pair, PKCS#10 CSR via
 * @peculiar/x509, then the fixed pickup API. The browser does the same in web/lib/crypto.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

import { recordFromTraffic } from './test-logs.ts';

x509.cryptoProvider.set(globalThis.crypto);

export interface KeyAndCsr {
  readonly keys: CryptoKeyPair;
  readonly csrPem: string;
  readonly keyPem: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

export async function keyAndCsr(dn = 'CN=test', alg: RsaHashedKeyGenParams | EcKeyGenParams = RSA): Promise<KeyAndCsr> {
  const signingAlgorithm = alg.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : RSA;
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: dn, keys, signingAlgorithm });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  return { keys, csrPem: csr.toString('pem'), keyPem };
}

export async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  recordFromTraffic(path, (body === undefined ? '' : JSON.stringify(body)) + text); // for the run-wide log scan
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Full individual pickup: verify, CSR, confirm. Returns the certificate and the private key PEM. */
export async function pickUp(base: string, pickupUrl: string, pin: string, dn = 'CN=test'): Promise<{ certPem: string; keyPem: string; serial: string; chain: string[] }> {
  const token = pickupUrl.split('/').pop()!;
  const v = await api(base, 'POST', `/api/pickup/${token}/verify`, { pin });
  if (v.status !== 204) throw new Error(`verify: ${v.status} ${JSON.stringify(v.json)}`);
  const k = await keyAndCsr(dn);
  const r = await api(base, 'POST', `/api/pickup/${token}/csr`, { pin, csr: k.csrPem });
  if (r.status !== 201) throw new Error(`csr: ${r.status} ${JSON.stringify(r.json)}`);
  const c = await api(base, 'POST', `/api/pickup/${token}/confirm`, { pin });
  if (c.status !== 204) throw new Error(`confirm: ${c.status} ${JSON.stringify(c.json)}`);
  const cert = r.json.certificates[0];
  return { certPem: cert.certificate, keyPem: k.keyPem, serial: cert.serial, chain: cert.chain };
}
