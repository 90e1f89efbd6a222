/**
 * Hakko's CA hierarchy (spec 03 §Hierarchy): created on first start, reused on every later start.
 * root (RSA-3072, 20 y) → issuing "Hakko Client CA" (RSA-2048, 10 y, pathLen 0) → OCSP responder
 * (30 days), mail signer (MAIL_FROM) and TLS server certificate. Keys are stored only as encrypted
 * PKCS#8 through an injected `CaKeyStore` (the lead's database table; `MemoryCaKeyStore` in tests).
 *
 * When several processes share one PostgreSQL, run `loadOrCreateCa` under a database lock so that
 * two first starts cannot both create a root; `ensureFresh` re-reads the store before renewing, so a
 * certificate another process already renewed is adopted instead of renewed twice.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { createIssuer, pkiUrls, signCertificate, type Issuer, type PkiUrls } from './builder.ts';
import { BACKDATE_MS, hostOf, systemExtensions, systemNotAfter, systemSubject, tlsNames, type SystemCertName } from './ca-certs.ts';
import { readCertificate, subjectString } from './certificate.ts';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual, parseDer } from './asn1.ts';
import { isDottedOid, OID } from './oids.ts';
import { PkiError } from './errors.ts';
import { ipBytes, KEY_USAGE_BITS, type GeneralName } from './extensions.ts';
import { importPublicKey, keyIdentifier, keyLabel, sha256Hex, type CaKeyAlgorithm } from './keys.ts';
import { encodeName } from './names.ts';
import { toPem } from './pem.ts';
import { cryptoRandomBytes, newSerial, type RandomBytes } from './serial.ts';
import type { Signer } from './signer.ts';
import type { CaEntity, CaRuntime, CaShow, TlsCredentials } from './runtime.ts';
import { createSoftwareSigner, encryptedKeyPem, encryptPrivateKey, generateSignerKey, signerFromGenerated } from './software-signer.ts';

/** One stored certificate with its encrypted key (null: the key is held elsewhere, e.g. an offline root). */
export interface CaRecord {
  readonly certificate: Uint8Array<ArrayBuffer>;
  readonly encryptedKey: Uint8Array<ArrayBuffer> | null;
  /** Free-form data; the root's holds `policyArc`. */
  readonly meta?: Readonly<Record<string, unknown>> | null;
}

/** Storage of the system certificates and keys; implemented on the database by the lead. */
export interface CaKeyStore {
  get(name: SystemCertName): Promise<CaRecord | null>;
  /** Inserts or replaces the record of `name`. */
  put(name: SystemCertName, record: CaRecord): Promise<void>;
}

export class MemoryCaKeyStore implements CaKeyStore {
  readonly records = new Map<SystemCertName, CaRecord>();
  async get(name: SystemCertName): Promise<CaRecord | null> {
    return this.records.get(name) ?? null;
  }
  async put(name: SystemCertName, record: CaRecord): Promise<void> {
    this.records.set(name, record);
  }
}

export interface CaOptions {
  /** HAKKO_CA_PASSPHRASE: encrypts every private key at rest. */
  readonly passphrase: string;
  readonly clock: Clock;
  /** O of the CA names (and of operator certificates). */
  readonly organisation: string;
  readonly publicUrl: string;
  readonly publicHttpsUrl: string;
  /** Base of CRL, OCSP and caIssuers URLs (plain http). */
  readonly publicPkiUrl: string;
  readonly mailFrom: string;
  /** Operator-configured policy arc; otherwise `2.25.<UUID>` is created once and stored. */
  readonly policyArc?: string | null;
  readonly rootAlgorithm?: CaKeyAlgorithm;
  readonly issuingAlgorithm?: CaKeyAlgorithm;
  /**
   * An existing root CA (HAKKO_ROOT_CERT_FILE / HAKKO_ROOT_KEY_FILE) to build on instead of creating
   * one: used when the store holds no root yet; afterwards it must be the stored root.
   */
  readonly importRoot?: { readonly certificate: Uint8Array; readonly key: crypto.KeyObject } | null;
  readonly random?: RandomBytes;
  readonly log?: Logger;
  /** Called with every system certificate issued, so the workflow can record it (OCSP/CRL lookups). */
  readonly onIssued?: (name: SystemCertName, der: Uint8Array<ArrayBuffer>) => Promise<void> | void;
}

export type { CaEntity };

const SERVICES = ['ocsp', 'mail', 'tls'] as const;
type ServiceName = (typeof SERVICES)[number];

/** Loads the hierarchy from `store`, creating what is missing (first start) or stale. */
export async function loadOrCreateCa(store: CaKeyStore, opts: CaOptions): Promise<Ca> {
  if (!opts.passphrase) throw new PkiError('CA_PASSPHRASE_MISSING', 'HAKKO_CA_PASSPHRASE is empty');
  const ca = new Ca(store, opts);
  await ca.init();
  return ca;
}

export class Ca implements CaRuntime {
  readonly #store: CaKeyStore;
  readonly #opts: CaOptions;
  readonly #urls: PkiUrls;
  readonly #entities = new Map<SystemCertName, CaEntity>();
  #policyArc = '';
  #issuer: Issuer | null = null;
  #rootIssuer: Issuer | null = null;
  #refreshing: Promise<SystemCertName[]> | null = null;

  constructor(store: CaKeyStore, opts: CaOptions) {
    this.#store = store;
    this.#opts = opts;
    this.#urls = pkiUrls(opts.publicPkiUrl);
  }

  /** @internal First start creates, later starts load; then renews stale service certificates. */
  async init(): Promise<void> {
    const now = this.#opts.clock.now();
    const rootRecord = await this.#store.get('root');
    const imported = this.#opts.importRoot;
    if (rootRecord && imported && !bytesEqual(rootRecord.certificate, imported.certificate)) {
      throw new PkiError('CA_KEY_MISMATCH', 'HAKKO_ROOT_CERT_FILE is not the root this instance was created with (the stored root stays; unset the variable or use the original file)');
    }
    const root = rootRecord ? await this.#load('root', rootRecord) : imported ? await this.#importRoot(imported) : await this.#create('root', now);
    this.#entities.set('root', root);
    this.#policyArc = await this.#resolvePolicyArc(rootRecord);
    if (root.signer) this.#rootIssuer = createIssuer('root', root.signer, { policyArc: this.#policyArc, urls: this.#urls });

    const issuingRecord = await this.#store.get('issuing');
    const issuing = issuingRecord ? await this.#load('issuing', issuingRecord) : await this.#create('issuing', now);
    if (!issuing.signer) throw new PkiError('CA_KEY_MISMATCH', 'the issuing CA key is not in the store');
    if (!bytesEqual(issuing.certificate.issuerDer, root.certificate.subjectDer)) throw new PkiError('CA_KEY_MISMATCH', 'the issuing CA was not issued by the stored root');
    this.#entities.set('issuing', issuing);
    this.#issuer = createIssuer('issuing', issuing.signer, { policyArc: this.#policyArc, urls: this.#urls });

    for (const name of SERVICES) {
      const rec = await this.#store.get(name);
      this.#entities.set(name, rec ? await this.#load(name, rec) : await this.#create(name, now));
    }
    await this.ensureFresh(now);
  }

  get policyArc(): string {
    return this.#policyArc;
  }
  get urls(): PkiUrls {
    return this.#urls;
  }
  /** The issuing CA, ready for `buildAndSign`, `buildCrl` and OCSP. */
  get issuer(): Issuer {
    return this.#issuer!;
  }
  /** The root as an issuer (for the root CRL); null when the root key is not held. */
  get rootIssuer(): Issuer | null {
    return this.#rootIssuer;
  }
  entity(name: SystemCertName): CaEntity {
    return this.#entities.get(name)!;
  }
  /** The current OCSP responder signer (it changes on renewal: read it per use). */
  get ocspSigner(): Signer {
    return this.entity('ocsp').signer!;
  }
  get mailSigner(): Signer {
    return this.entity('mail').signer!;
  }
  get rootDer(): Uint8Array<ArrayBuffer> {
    return this.entity('root').certificate.der;
  }
  get issuingDer(): Uint8Array<ArrayBuffer> {
    return this.entity('issuing').certificate.der;
  }
  /** Current signers (getters: `ocsp` and `mail` change on renewal). The root's throws when not held. */
  get signers(): CaRuntime['signers'] {
    const held = (n: SystemCertName) => {
      const signer = this.entity(n).signer;
      if (!signer) throw new PkiError('CA_KEY_MISMATCH', `the ${n} key is not held by this instance`);
      return signer;
    };
    return {
      get root() {
        return held('root');
      },
      get issuing() {
        return held('issuing');
      },
      get ocsp() {
        return held('ocsp');
      },
      get mail() {
        return held('mail');
      },
    };
  }
  /** PEM chain handed out with every certificate: [issuing, root] (spec 04 §HTTP API). */
  get chainPem(): [string, string] {
    return [this.entity('issuing').pem, this.entity('root').pem];
  }

  show(): CaShow {
    const one = (n: SystemCertName) => {
      const e = this.entity(n);
      return { subject: subjectString(e.certificate), sha256: e.sha256, pem: e.pem };
    };
    return { root: one('root'), issuing: one('issuing'), ocsp: one('ocsp'), mail: one('mail'), tls: one('tls') };
  }

  /**
   * Options for `https.createServer`: the TLS certificate followed by the issuing CA, and the key as
   * an encrypted PKCS#8 PEM with its passphrase (Node's TLS accepts no KeyObject; the key stays
   * encrypted until OpenSSL decrypts it in memory).
   */
  tlsCredentials(): TlsCredentials {
    const tls = this.entity('tls');
    return { cert: tls.pem + this.entity('issuing').pem, key: encryptedKeyPem(tls.encryptedKey!), passphrase: this.#opts.passphrase };
  }

  /**
   * Renews the OCSP responder, mail signer and TLS certificates that have less than a third of
   * their lifetime left, whose names changed (MAIL_FROM, PUBLIC_URL, PUBLIC_HTTPS_URL) or that were
   * not issued by the current issuing CA. Returns the renewed names. Call it at start and daily.
   */
  ensureFresh(now: Date = this.#opts.clock.now()): Promise<SystemCertName[]> {
    this.#refreshing ??= this.#refresh(now).finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #refresh(now: Date): Promise<SystemCertName[]> {
    const renewed: SystemCertName[] = [];
    for (const name of SERVICES) {
      if (!this.#stale(name, this.entity(name), now)) continue;
      const rec = await this.#store.get(name);
      const stored = rec ? await this.#load(name, rec) : null;
      this.#entities.set(name, stored && !this.#stale(name, stored, now) ? stored : await this.#create(name, now));
      renewed.push(name);
    }
    return renewed;
  }

  #stale(name: ServiceName, e: CaEntity, now: Date): boolean {
    const c = e.certificate;
    if (!e.signer || !bytesEqual(c.issuerDer, this.entity('issuing').certificate.subjectDer)) return true;
    if (now.getTime() > renewalDue(c).getTime()) return true;
    const names = c.san;
    if (name === 'mail') return !(names.length === 1 && names[0]!.type === 'email' && names[0]!.value === this.#opts.mailFrom);
    if (name === 'tls') return !sameNames(names, this.#tlsNames());
    return false;
  }

  #tlsNames(): GeneralName[] {
    return tlsNames(this.#opts.publicUrl, this.#opts.publicHttpsUrl);
  }

  async #load(name: SystemCertName, rec: CaRecord): Promise<CaEntity> {
    const der = new Uint8Array(rec.certificate);
    const signer = rec.encryptedKey ? await createSoftwareSigner(name, rec.encryptedKey, this.#opts.passphrase, der) : null;
    return entity(name, der, signer, rec.encryptedKey);
  }

  async #create(name: SystemCertName, now: Date): Promise<CaEntity> {
    const o = this.#opts;
    const alg: CaKeyAlgorithm = name === 'root' ? (o.rootAlgorithm ?? 'RSA-3072') : name === 'issuing' ? (o.issuingAlgorithm ?? 'RSA-2048') : 'RSA-2048';
    const key = await generateSignerKey(alg, o.passphrase);
    const pub = importPublicKey(key.spki);
    const issuerEntity = name === 'root' ? null : this.entity(name === 'issuing' ? 'root' : 'issuing');
    const issuerSigner = issuerEntity ? issuerEntity.signer : signerFromGenerated(name, key, new Uint8Array());
    if (!issuerSigner) throw new PkiError('CA_KEY_MISMATCH', `cannot create the ${name} certificate: the root key is not held`);
    const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
    let notAfter = systemNotAfter(name, notBefore);
    if (issuerEntity && notAfter > issuerEntity.certificate.notAfter) notAfter = issuerEntity.certificate.notAfter;
    const subject = encodeName(systemSubject(name, o.organisation, { mailFrom: o.mailFrom, tlsHost: hostOf(o.publicHttpsUrl) }));
    const extensions = systemExtensions(name, {
      ski: keyIdentifier(pub),
      ...(issuerEntity ? { aki: issuerEntity.certificate.keyId } : {}),
      urls: this.#urls,
      rsa: pub.info.kind === 'rsa',
      mailFrom: o.mailFrom,
      tlsNames: this.#tlsNames(),
    });
    const der = await signCertificate(
      { serial: newSerial(o.random ?? cryptoRandomBytes), issuer: issuerEntity ? issuerEntity.certificate.subjectDer : subject, subject, notBefore, notAfter, spki: pub.spki, extensions },
      issuerSigner,
    );
    await this.#store.put(name, { certificate: der, encryptedKey: key.encryptedKey });
    o.log?.info(`created ${name} certificate`, { sha256: sha256Hex(der), notAfter: notAfter.toISOString() });
    await o.onIssued?.(name, der);
    return entity(name, der, signerFromGenerated(name, key, der), key.encryptedKey);
  }

  /**
   * Takes an operator's root (spec 03 §Hierarchy: "or imported by the operator"): a self-signed CA
   * certificate with keyCertSign and cRLSign, RSA ≥ 3072 or P-384, and the private key that belongs
   * to it — stored encrypted like a generated one.
   */
  async #importRoot(root: { readonly certificate: Uint8Array; readonly key: crypto.KeyObject }): Promise<CaEntity> {
    const der = new Uint8Array(root.certificate);
    let x: crypto.X509Certificate;
    try {
      x = new crypto.X509Certificate(der);
    } catch {
      throw new PkiError('BAD_INPUT', 'HAKKO_ROOT_CERT_FILE does not hold a readable certificate');
    }
    const info = readCertificate(der);
    const refuse = (why: string) => new PkiError('BAD_INPUT', `HAKKO_ROOT_CERT_FILE: ${why}`);
    if (!x.ca) throw refuse('not a CA certificate (basicConstraints cA is not set)');
    if (!x.checkIssued(x) || !x.verify(x.publicKey)) throw refuse('not a self-signed root certificate');
    if (!hasCaKeyUsage(der)) throw refuse('keyUsage must include keyCertSign and cRLSign');
    const k = info.publicKey.info;
    if (!((k.kind === 'rsa' && k.bits >= 3072 && k.bits <= 4096) || (k.kind === 'ec' && k.curve === 'P-384'))) throw new PkiError('KEY_ALGORITHM', `HAKKO_ROOT_CERT_FILE: the root key must be RSA 3072–4096 or EC P-384, not ${keyLabel(k)}`);
    if (root.key.type !== 'private' || !x.checkPrivateKey(root.key)) throw new PkiError('CA_KEY_MISMATCH', 'HAKKO_ROOT_KEY_FILE is not the private key of HAKKO_ROOT_CERT_FILE');
    if (info.notAfter.getTime() <= this.#opts.clock.now().getTime()) throw refuse('the root certificate has expired');
    const encryptedKey = encryptPrivateKey(root.key, this.#opts.passphrase);
    await this.#store.put('root', { certificate: der, encryptedKey });
    this.#opts.log?.info('imported root certificate', { sha256: sha256Hex(der), notAfter: info.notAfter.toISOString() });
    return this.#load('root', { certificate: der, encryptedKey });
  }

  async #resolvePolicyArc(rootRecord: CaRecord | null): Promise<string> {
    const configured = this.#opts.policyArc;
    if (configured) {
      if (!isDottedOid(configured)) throw new PkiError('BAD_INPUT', `policy OID arc is not a dotted OID: ${configured}`);
      return configured;
    }
    const stored = rootRecord?.meta?.policyArc;
    if (typeof stored === 'string' && stored) return stored;
    const arc = newPolicyArc(this.#opts.random ?? cryptoRandomBytes);
    const current = (await this.#store.get('root'))!;
    await this.#store.put('root', { ...current, meta: { ...current.meta, policyArc: arc } });
    return arc;
  }
}

/** `2.25.<a random (version 4) UUID as an integer>` (ITU-T X.667 §6.3, spec 03 §Policy OIDs). */
export function newPolicyArc(random: RandomBytes = cryptoRandomBytes): string {
  const b = random(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return `2.25.${n}`;
}

function entity(name: SystemCertName, der: Uint8Array<ArrayBuffer>, signer: Signer | null, encryptedKey: Uint8Array<ArrayBuffer> | null): CaEntity {
  return { name, signer, certificate: readCertificate(der), encryptedKey, pem: toPem(der, 'CERTIFICATE'), sha256: sha256Hex(der) };
}

/** Whether a certificate's keyUsage extension allows keyCertSign and cRLSign (RFC 5280 §4.2.1.3). */
function hasCaKeyUsage(der: Uint8Array): boolean {
  const cert = new pkijs.Certificate({ schema: parseDer(der, 'Certificate') });
  const ku = cert.extensions?.find((e) => e.extnID === OID.keyUsage)?.parsedValue;
  if (!(ku instanceof asn1js.BitString)) return false;
  const bits = ku.valueBlock.valueHexView;
  const want = (0x80 >> KEY_USAGE_BITS.keyCertSign) | (0x80 >> KEY_USAGE_BITS.cRLSign);
  return ((bits[0] ?? 0) & want) === want;
}

function sameNames(got: readonly GeneralName[], want: readonly GeneralName[]): boolean {
  const norm = (n: GeneralName) => (n.type === 'ip' ? `ip:${Buffer.from(ipBytes(n.value)).toString('hex')}` : `${n.type}:${n.value}`);
  const a = got.map(norm).sort();
  const b = want.map(norm).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** When a service certificate (OCSP, mail, TLS) is renewed: once less than a third of its life is left. */
export function renewalDue(c: { readonly notBefore: Date; readonly notAfter: Date }): Date {
  const life = c.notAfter.getTime() - c.notBefore.getTime();
  return new Date(c.notAfter.getTime() - life / 3);
}
