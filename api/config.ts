/**
 * Every environment variable Hakko reads, declared once with its default and description
 * (STYLE.md practice 14). `api/main.ts` is the only caller of `loadConfig(process.env)`; the README
 * table is checked against `ENV_VARS` by a test.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ISSUING_KEY_ALGORITHMS, ROOT_KEY_ALGORITHMS } from './domain/ca-keys.ts';
import { isDottedOid } from './domain/oid.ts';

export interface EnvVar {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

export const ENV_VARS: readonly EnvVar[] = [
  { name: 'PORT', default: '8080', description: 'HTTP listener port (pickup pages, TSV tool, API, /pki).' },
  { name: 'HTTPS_PORT', default: '8443', description: 'HTTPS listener port; requests an optional client certificate (officer dashboard).' },
  { name: 'HOST', default: '127.0.0.1', description: 'Address both listeners bind to.' },
  { name: 'HAKKO_DATA_DIR', default: './data', description: 'Data directory: embedded PGlite database, generated secret, lock file and CLI socket.' },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite)', description: 'PostgreSQL connection URL; switches from the embedded PGlite to PostgreSQL (same migrations).' },
  { name: 'HAKKO_CA_PASSPHRASE', default: '(generated into HAKKO_DATA_DIR/secret)', description: 'Instance secret, at least 16 characters: the master key (scrypt) that encrypts CA and other private keys at rest and from which the PIN, link and mailbox keys are derived comes from it. Give every process sharing one PostgreSQL the same value.' },
  { name: 'PUBLIC_URL', default: 'http://localhost:<PORT>', description: 'Base of PIN and pickup links in mails. Must be https unless the host is loopback.' },
  { name: 'PUBLIC_HTTPS_URL', default: 'https://localhost:<HTTPS_PORT>', description: 'Base of dashboard links (the listener that asks for client certificates).' },
  { name: 'PUBLIC_PKI_URL', default: 'PUBLIC_URL with scheme http', description: 'Base of CRL, OCSP and issuer URLs written into certificates (plain http).' },
  { name: 'SMTP_URL', default: '(unset: built-in mailbox at /dev/mailbox)', description: 'SMTP server for notifications, e.g. smtp://user:pass@host:587 (STARTTLS).' },
  { name: 'MAIL_FROM', default: 'hakko@<host of PUBLIC_URL>', description: 'From address of notifications; the mail signing certificate is issued for it.' },
  { name: 'TLS_CERT_FILE', default: '(unset: certificate from Hakko\'s CA)', description: 'PEM certificate chain of an operator-provided HTTPS server certificate.' },
  { name: 'TLS_KEY_FILE', default: '(unset)', description: 'PEM private key belonging to TLS_CERT_FILE.' },
  { name: 'WHOIS_SERVERS', default: '(unset: WHOIS check off)', description: 'Per-TLD WHOIS servers, e.g. jp=whois.jprs.jp,net=whois.verisign-grs.com:43.' },
  { name: 'TRUSTED_PROXIES', default: '(unset: direct mode)', description: 'Comma-separated addresses/CIDR ranges of TLS-terminating proxies allowed to send X-SSL-Client-Cert and X-Forwarded-For (a malformed entry stops start-up: [E_CONFIG]).' },
  { name: 'LOG_LEVEL', default: 'info', description: 'debug, info, warn or error.' },
  { name: 'HAKKO_ROOT_KEY_ALGORITHM', default: 'RSA-3072', description: 'Key of the root CA created at first start: RSA-3072 or P-384 (read only when the root is created).' },
  { name: 'HAKKO_ISSUING_KEY_ALGORITHM', default: 'RSA-2048', description: 'Key of the issuing CA created at first start: RSA-2048, RSA-3072, RSA-4096, P-256 or P-384 (read only when it is created).' },
  { name: 'HAKKO_ROOT_CERT_FILE', default: '(unset: Hakko creates its root)', description: 'PEM certificate of an existing root CA to build on at first start (self-signed, keyCertSign + cRLSign, RSA 3072–4096 or P-384); afterwards it must stay the stored root.' },
  { name: 'HAKKO_ROOT_KEY_FILE', default: '(unset)', description: 'PEM private key of HAKKO_ROOT_CERT_FILE (stored encrypted under HAKKO_CA_PASSPHRASE; the file can be removed after the first start).' },
  { name: 'HAKKO_ROOT_KEY_PASSPHRASE', default: '(unset: key file not encrypted)', description: 'Passphrase of an encrypted HAKKO_ROOT_KEY_FILE.' },
  { name: 'HAKKO_POLICY_ARC', default: '(unset: 2.25.<UUID> made at first start)', description: 'Certificate policy OID arc of this instance (profiles <arc>.1.<id>, officers <arc>.2.1, operators <arc>.2.2). Set it before the first start and keep it.' },
];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  readonly port: number;
  readonly httpsPort: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly caPassphrase: string | null;
  readonly publicUrl: string;
  readonly publicHttpsUrl: string;
  readonly publicPkiUrl: string;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly tlsCertFile: string | null;
  readonly tlsKeyFile: string | null;
  readonly whoisServers: ReadonlyMap<string, { host: string; port: number }>;
  readonly trustedProxies: readonly string[];
  readonly logLevel: LogLevel;
  readonly rootKeyAlgorithm: (typeof ROOT_KEY_ALGORITHMS)[number];
  readonly issuingKeyAlgorithm: (typeof ISSUING_KEY_ALGORITHMS)[number];
  /** Null: the instance's own `2.25.<UUID>` arc. */
  readonly policyArc: string | null;
  /** An operator's root to build on at first start (files read at start). */
  readonly rootImport: { readonly certFile: string; readonly keyFile: string; readonly keyPassphrase: string | null } | null;
}

/** A configuration mistake: printed as one line, `hakko: [E_CONFIG] <message>`, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'E_CONFIG';
}

/** Parses the environment; throws ConfigError with a one-line message naming the variable. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const get = (k: string) => (env[k] === undefined || env[k] === '' ? undefined : env[k]);
  const port = parsePort(get('PORT') ?? '8080', 'PORT');
  const httpsPort = parsePort(get('HTTPS_PORT') ?? '8443', 'HTTPS_PORT');
  const publicUrl = stripSlash(parseUrl(get('PUBLIC_URL') ?? `http://localhost:${port}`, 'PUBLIC_URL'));
  const publicHttpsUrl = stripSlash(parseUrl(get('PUBLIC_HTTPS_URL') ?? `https://localhost:${httpsPort}`, 'PUBLIC_HTTPS_URL'));
  const pu = new URL(publicUrl);
  if (pu.protocol === 'http:' && !isLoopbackHost(pu.hostname)) {
    throw new ConfigError(`PUBLIC_URL must be https on a non-loopback host (WebCrypto needs a secure context): ${publicUrl}`);
  }
  const pki = new URL(publicUrl);
  pki.protocol = 'http:';
  const publicPkiUrl = stripSlash(parseUrl(get('PUBLIC_PKI_URL') ?? pki.toString(), 'PUBLIC_PKI_URL'));
  if (new URL(publicPkiUrl).protocol !== 'http:') throw new ConfigError('PUBLIC_PKI_URL must be plain http (CRL and OCSP fetchers expect it)');
  const logLevel = (get('LOG_LEVEL') ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error: ${logLevel}`);
  const tlsCertFile = get('TLS_CERT_FILE') ?? null;
  const tlsKeyFile = get('TLS_KEY_FILE') ?? null;
  if ((tlsCertFile === null) !== (tlsKeyFile === null)) throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  return {
    port,
    httpsPort,
    host: get('HOST') ?? '127.0.0.1',
    dataDir: path.resolve(cwd, get('HAKKO_DATA_DIR') ?? './data'),
    databaseUrl: get('DATABASE_URL') ?? null,
    caPassphrase: get('HAKKO_CA_PASSPHRASE') ?? null,
    publicUrl,
    publicHttpsUrl,
    publicPkiUrl,
    smtpUrl: get('SMTP_URL') ?? null,
    mailFrom: get('MAIL_FROM') ?? `hakko@${pu.hostname}`,
    tlsCertFile,
    tlsKeyFile,
    whoisServers: parseWhoisServers(get('WHOIS_SERVERS') ?? ''),
    trustedProxies: parseTrustedProxies(get('TRUSTED_PROXIES') ?? ''),
    logLevel,
    rootKeyAlgorithm: oneOf(get('HAKKO_ROOT_KEY_ALGORITHM') ?? 'RSA-3072', ROOT_KEY_ALGORITHMS, 'HAKKO_ROOT_KEY_ALGORITHM'),
    issuingKeyAlgorithm: oneOf(get('HAKKO_ISSUING_KEY_ALGORITHM') ?? 'RSA-2048', ISSUING_KEY_ALGORITHMS, 'HAKKO_ISSUING_KEY_ALGORITHM'),
    policyArc: parsePolicyArc(get('HAKKO_POLICY_ARC')),
    rootImport: rootImport(get('HAKKO_ROOT_CERT_FILE'), get('HAKKO_ROOT_KEY_FILE'), get('HAKKO_ROOT_KEY_PASSPHRASE'), cwd),
  };
}

function rootImport(certFile: string | undefined, keyFile: string | undefined, keyPassphrase: string | undefined, cwd: string): Config['rootImport'] {
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('HAKKO_ROOT_CERT_FILE and HAKKO_ROOT_KEY_FILE must be set together');
  if (certFile === undefined || keyFile === undefined) return null;
  return { certFile: path.resolve(cwd, certFile), keyFile: path.resolve(cwd, keyFile), keyPassphrase: keyPassphrase ?? null };
}

function oneOf<T extends string>(v: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}: ${v}`);
  return v as T;
}

/** HAKKO_POLICY_ARC: a dotted OID (`isDottedOid`), or null for the instance's own 2.25 arc. */
function parsePolicyArc(v: string | undefined): string | null {
  if (v === undefined) return null;
  if (!isDottedOid(v)) {
    throw new ConfigError(`HAKKO_POLICY_ARC must be a dotted OID such as 1.3.6.1.4.1.99999.1: ${v}`);
  }
  return v;
}

function parsePort(v: string, name: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number (0-65535): ${v}`);
  return n;
}

function parseUrl(v: string, name: string): string {
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    return u.toString();
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL: ${v}`);
  }
}

function stripSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

/** TRUSTED_PROXIES: addresses and CIDR ranges (spec 06 §API), each checked here so a typo stops start-up with one line. */
export function parseTrustedProxies(v: string): string[] {
  const entries = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const family = isIP(addr!);
    const max = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || extra !== undefined || !bitsOk) {
      throw new ConfigError(`TRUSTED_PROXIES entry must be an IPv4 or IPv6 address or a CIDR range such as 10.0.0.0/8: ${e}`);
    }
  }
  return entries;
}

/** `jp=whois.jprs.jp,net=whois.verisign-grs.com:43` → tld → host/port (spec 02 §Validation against the system). */
export function parseWhoisServers(v: string): Map<string, { host: string; port: number }> {
  const out = new Map<string, { host: string; port: number }>();
  for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)=([^:\s]+)(?::(\d+))?$/i.exec(part);
    if (!m) throw new ConfigError(`WHOIS_SERVERS entry must look like tld=host[:port]: ${part}`);
    out.set(m[1]!.toLowerCase(), { host: m[2]!, port: m[3] ? Number(m[3]) : 43 });
  }
  return out;
}

/** Loopback: localhost, *.localhost, 127.0.0.0/8 and ::1 (spec README §Environment). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}
