/**
 * PKI test helpers: CSRs made at test time with WebCrypto + @peculiar/x509 (no key is ever
 * committed), an in-memory Hakko CA, typical requests, and a runner for the OpenSSL CLI on temp files.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateCa, MemoryCaKeyStore, type Ca, type CaOptions } from '../../api/pki/hierarchy.ts';
import type { IssueRequest, CertProfile } from '../../api/pki/profiles.ts';
import type { DnAttribute } from '../../api/pki/names.ts';

x509.cryptoProvider.set(globalThis.crypto);

export type TestKeyKind = 'RSA-2048' | 'RSA-3072' | 'RSA-1024' | 'RSA-e3' | 'P-256' | 'P-384' | 'P-521';

/** Generates a key pair of the given kind with WebCrypto. */
export async function testKeys(kind: TestKeyKind, hash = 'SHA-256'): Promise<CryptoKeyPair> {
  if (kind.startsWith('P-')) return (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: kind }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const modulusLength = kind === 'RSA-1024' ? 1024 : kind === 'RSA-3072' ? 3072 : 2048;
  const publicExponent = kind === 'RSA-e3' ? new Uint8Array([3]) : new Uint8Array([1, 0, 1]);
  return (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent, hash }, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export interface TestCsr {
  readonly pem: string;
  readonly der: Uint8Array<ArrayBuffer>;
  readonly keys: CryptoKeyPair;
}

/** A PKCS#10 CSR as the browser makes it (the subject carries the request DN, ignored by Hakko). */
export async function makeCsr(kind: TestKeyKind = 'RSA-2048', opts: { subject?: string; hash?: string; keys?: CryptoKeyPair } = {}): Promise<TestCsr> {
  const hash = opts.hash ?? (kind === 'P-384' ? 'SHA-384' : kind === 'P-521' ? 'SHA-512' : 'SHA-256');
  const keys = opts.keys ?? (await testKeys(kind, hash));
  const signingAlgorithm = kind.startsWith('P-') ? { name: 'ECDSA', hash } : { name: 'RSASSA-PKCS1-v1_5', hash };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: opts.subject ?? 'CN=Test User,O=Example University,C=JP', keys, signingAlgorithm });
  return { pem: csr.toString('pem'), der: new Uint8Array(csr.rawData), keys };
}

export const TEST_CA_OPTIONS: Omit<CaOptions, 'clock'> = {
  passphrase: 'test passphrase (not secret)',
  organisation: 'Hakko Test CA',
  publicUrl: 'http://localhost:8080',
  publicHttpsUrl: 'https://localhost:8443',
  publicPkiUrl: 'http://localhost:8080',
  mailFrom: 'hakko@localhost',
};

/** A fresh CA in a memory store (≈ 0.5 s: an RSA-3072 and four RSA-2048 keys). */
export async function testCa(overrides: Partial<CaOptions> = {}, store = new MemoryCaKeyStore()): Promise<{ ca: Ca; store: MemoryCaKeyStore }> {
  const ca = await loadOrCreateCa(store, { ...TEST_CA_OPTIONS, clock: { now: () => new Date() }, ...overrides });
  return { ca, store };
}

/** A typical request DN (most specific first) of institution "Example University". */
export const CLIENT_DN: readonly DnAttribute[] = [
  { type: 'CN', value: 'Yamada Taro' },
  { type: 'OU', value: 'Faculty of Science' },
  { type: 'OU', value: 'S1234567' },
  { type: 'O', value: 'Example University' },
  { type: 'L', value: 'Academe' },
  { type: 'ST', value: 'Tokyo' },
  { type: 'C', value: 'JP' },
];
export const USER_MAIL = 'taro.yamada@example.ac.jp';

/** The request for a profile: client profiles use CLIENT_DN, S/MIME the mail as CN, officers their DN. */
export function requestFor(profile: CertProfile, mail = USER_MAIL): IssueRequest {
  if (profile === 'officer') return { profile, mail, subject: [{ type: 'CN', value: mail }, { type: 'OU', value: 'Registration Officer' }, { type: 'O', value: 'Example University' }, { type: 'L', value: 'Academe' }, { type: 'C', value: 'JP' }] };
  if (profile === 'operator') return { profile, mail, subject: [{ type: 'CN', value: mail }, { type: 'OU', value: 'Operator' }, { type: 'O', value: 'Hakko Test CA' }, { type: 'C', value: 'JP' }] };
  if (profile === 7 || profile === 15 || profile === 16) return { profile, mail, subject: [{ type: 'CN', value: mail }, { type: 'O', value: 'Example University' }, { type: 'L', value: 'Academe' }, { type: 'C', value: 'JP' }] };
  return { profile, mail, subject: CLIENT_DN };
}

/** A temporary directory with helpers to write files and run openssl in it. */
export function tempDir(prefix = 'hakko-pki-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    file(name: string, data: string | Uint8Array): string {
      const p = path.join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    path: (name: string) => path.join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs a command; returns stdout+stderr and the exit status (never throws on a non-zero exit). */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string | Uint8Array } = {}): { out: string; status: number } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { out: `${r.stdout ?? ''}${r.stderr ?? ''}`, status: r.status ?? 1 };
}

/** Like `run`, without blocking the event loop (for tools that talk to a server in this process). */
export function runAsync(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<{ out: string; status: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ out, status: status ?? 1 }));
  });
}

/** Runs openssl; output is stdout followed by stderr. */
export function openssl(args: readonly string[], opts: { cwd?: string; input?: string | Uint8Array } = {}) {
  return run('openssl', args, opts);
}
