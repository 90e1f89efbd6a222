/**
 * Opens everything a process needs (server or CLI): instance secret, database with migrations, the
 * key-check of HAKKO_CA_PASSPHRASE, and the CA hierarchy (created on first start, reused after).
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { systemClock, type Clock } from '../clock.ts';
import { openDatabase } from '../../db/client.ts';
import { dbCaStore } from '../../db/repos/ca-store.ts';
import { recordSystemCertificate } from '../../db/repos/certificates.ts';
import { X509Certificate, createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadInstanceSecret } from '../secrets/instance-secret.ts';
import { longEnough, MIN_PASSPHRASE_LENGTH, type KdfCost } from '../secrets/keys.ts';
import { openInstanceKeys } from '../workflows/instance-keys.ts';
import { secureDataDir } from './data-dir.ts';
import { StartupError } from './startup-error.ts';
import { loadOrCreateCa } from '../pki/hierarchy.ts';
import { PkiError } from '../pki/errors.ts';
import { fromPem } from '../pki/pem.ts';
import type { Services } from '../services.ts';
import { noSignals } from '../signals.ts';

export { StartupError };

/** System certificates go into `certificates` too, so OCSP answers for them and CRLs can list them. */
export async function recordSystem(tx: Parameters<typeof recordSystemCertificate>[0], name: string, der: Uint8Array<ArrayBuffer>, now: Date): Promise<void> {
  if (name === 'root') return; // self-signed: not a certificate of either CA's CRL/OCSP
  const x = new X509Certificate(der);
  await recordSystemCertificate(tx, {
    ca: name === 'issuing' ? 'root' : 'issuing', serial: BigInt('0x' + x.serialNumber).toString(10), state: 'issued', kind: name === 'issuing' ? 'ca' : (name as 'ocsp' | 'mail' | 'tls'),
    requestDn: x.subject.split('\n').reverse().join(','), spkiSha256: createHash('sha256').update(x.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
    der, notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo), issuedAt: now,
  });
}

export interface Opened {
  readonly services: Services;
  /** LISTEN for cross-process notifications (see db/client.ts). */
  listen(channel: string, onMessage: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly clock?: Clock;
  /**
   * scrypt cost of the master key for a new instance (default KDF_COST, spec'd in secrets/keys.ts).
   * Only the test harness passes a cheaper one; an existing instance keeps its stored parameters.
   */
  readonly kdfCost?: KdfCost;
}

export async function openServices(config: Config, log: Logger, opts: OpenOptions = {}): Promise<Opened> {
  const clock = opts.clock ?? systemClock;
  secureDataDir(config.dataDir);
  const secret = loadInstanceSecret(config.caPassphrase, config.dataDir, log);
  if (!longEnough(secret)) {
    throw new StartupError('E_PASSPHRASE_SHORT', `${config.caPassphrase ? 'HAKKO_CA_PASSPHRASE' : `the secret in ${config.dataDir}/secret`} has fewer than ${MIN_PASSPHRASE_LENGTH} characters: give one of at least ${MIN_PASSPHRASE_LENGTH} characters (e.g. the output of \`openssl rand -base64 32\`)`);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const db = database.db;
    const keys = await openInstanceKeys(db, database.kind, secret, { cost: opts.kdfCost, log, now: clock.now() });
    if (!keys) {
      throw new StartupError('E_SECRET_MISMATCH', 'HAKKO_CA_PASSPHRASE does not match the secret this database was created with (key-check value differs). Start with the original HAKKO_CA_PASSPHRASE (or the original HAKKO_DATA_DIR/secret file).');
    }
    // Two processes starting on one fresh PostgreSQL must not both create a root: serialise.
    // The store writes through the start-up transaction, then (renewals at run time) the database.
    let target: Parameters<typeof recordSystemCertificate>[0] = db;
    const ca = await db.transaction(async (tx) => {
      target = tx;
      if (database.kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(7351025)`);
      return loadOrCreateCa(dbCaStore(() => target, clock), {
        passphrase: keys.privateKeyPassphrase,
        clock,
        publicUrl: config.publicUrl,
        publicHttpsUrl: config.publicHttpsUrl,
        publicPkiUrl: config.publicPkiUrl,
        mailFrom: config.mailFrom,
        organisation: 'Hakko',
        rootAlgorithm: config.rootKeyAlgorithm,
        issuingAlgorithm: config.issuingKeyAlgorithm,
        policyArc: config.policyArc,
        importRoot: readRootImport(config),
        log,
        onIssued: (name, der) => recordSystem(target, name, der, clock.now()),
      });
    });
    target = db;
    const services: Services = { config, db, dbKind: database.kind, clock, log, keys, ca, signals: noSignals };
    return { services, listen: (c, f) => database.listen(c, f), close: () => database.close() };
  } catch (e) {
    await database.close().catch(() => {});
    // CA problems at start (wrong root file, key mismatch, …) are the operator's to fix: one coded line.
    if (e instanceof PkiError) throw new StartupError(`E_${e.code}`, e.message.replace(/^[A-Z_]+: /, ''));
    throw e;
  }
}

/** The operator's root certificate and key (HAKKO_ROOT_CERT_FILE / HAKKO_ROOT_KEY_FILE), read from disk. */
function readRootImport(config: Config): { certificate: Uint8Array; key: KeyObject } | null {
  const r = config.rootImport;
  if (!r) return null;
  let pem: string;
  let keyText: Buffer;
  try {
    pem = readFileSync(r.certFile, 'utf8');
    keyText = readFileSync(r.keyFile);
  } catch (e) {
    throw new StartupError('E_ROOT_IMPORT', `cannot read the root certificate or key file: ${(e as Error).message}`);
  }
  const certificate = fromPem(pem, ['CERTIFICATE']);
  if (!certificate) throw new StartupError('E_ROOT_IMPORT', `HAKKO_ROOT_CERT_FILE holds no PEM CERTIFICATE: ${r.certFile}`);
  try {
    return { certificate, key: createPrivateKey({ key: keyText, ...(r.keyPassphrase ? { passphrase: r.keyPassphrase } : {}) }) };
  } catch {
    throw new StartupError('E_ROOT_IMPORT', `HAKKO_ROOT_KEY_FILE is not a PEM private key${r.keyPassphrase ? ' or HAKKO_ROOT_KEY_PASSPHRASE does not open it' : ' (set HAKKO_ROOT_KEY_PASSPHRASE if it is encrypted)'}: ${r.keyFile}`);
  }
}
