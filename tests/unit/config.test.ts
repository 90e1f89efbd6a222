import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ENV_VARS, isLoopbackHost, loadConfig, parseWhoisServers } from '../../api/config.ts';

describe('config', () => {
  it('ok: embedded defaults', () => {
    const c = loadConfig({}, '/srv/hakko');
    expect(c).toMatchObject({ port: 8080, httpsPort: 8443, host: '127.0.0.1', dataDir: '/srv/hakko/data', databaseUrl: null, publicUrl: 'http://localhost:8080', publicHttpsUrl: 'https://localhost:8443', publicPkiUrl: 'http://localhost:8080', mailFrom: 'hakko@localhost', smtpUrl: null, logLevel: 'info' });
  });
  it('ok: PUBLIC_PKI_URL defaults to PUBLIC_URL with scheme http', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://certs.example.ac.jp' }).publicPkiUrl).toBe('http://certs.example.ac.jp');
  });
  it('NG plain-http PUBLIC_URL on a non-loopback host', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'http://certs.example.ac.jp' })).toThrow(/secure context/);
  });
  it('ok: loopback hosts', () => {
    for (const h of ['localhost', 'a.localhost', '127.0.0.1', '127.9.9.9', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['example.com', '128.0.0.1', '10.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });
  it('ok: WHOIS_SERVERS', () => {
    const m = parseWhoisServers('jp=whois.jprs.jp,net=whois.verisign-grs.com:4343');
    expect(m.get('jp')).toEqual({ host: 'whois.jprs.jp', port: 43 });
    expect(m.get('net')).toEqual({ host: 'whois.verisign-grs.com', port: 4343 });
    expect(() => parseWhoisServers('jp')).toThrow(/tld=host/);
  });
  it('ok CA key algorithms and policy arc: defaults, accepted values', () => {
    expect(loadConfig({})).toMatchObject({ rootKeyAlgorithm: 'RSA-3072', issuingKeyAlgorithm: 'RSA-2048', policyArc: null });
    expect(loadConfig({ HAKKO_ROOT_KEY_ALGORITHM: 'P-384', HAKKO_ISSUING_KEY_ALGORITHM: 'P-256', HAKKO_POLICY_ARC: '1.3.6.1.4.1.99999.7' }))
      .toMatchObject({ rootKeyAlgorithm: 'P-384', issuingKeyAlgorithm: 'P-256', policyArc: '1.3.6.1.4.1.99999.7' });
  });
  it.each([
    ['HAKKO_ROOT_KEY_ALGORITHM', 'RSA-2048'],
    ['HAKKO_ROOT_KEY_ALGORITHM', 'P-256'],
    ['HAKKO_ISSUING_KEY_ALGORITHM', 'RSA-1024'],
    ['HAKKO_ISSUING_KEY_ALGORITHM', 'Ed25519'],
    ['HAKKO_POLICY_ARC', '1.3.6.1.4.1.99999.'],
    ['HAKKO_POLICY_ARC', '3.1'],
    ['HAKKO_POLICY_ARC', '1.3.06.1'],
    ['HAKKO_POLICY_ARC', '1.40.1'],
    ['HAKKO_POLICY_ARC', '2'],
  ])('NG %s=%s names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
  it('ok TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1,2001:db8::/32' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32']);
  });
  it.each(['10.0.0.0/33', 'nginx.local', '10.0.0.1/8/1', '2001:db8::/129', '10.0.0/8', '10.0.0.0/x', '300.1.1.1'])('NG TRUSTED_PROXIES=%s is one coded configuration error naming the variable', (v) => {
    expect(() => loadConfig({ TRUSTED_PROXIES: v })).toThrow(expect.objectContaining({ name: 'ConfigError', code: 'E_CONFIG', message: expect.stringMatching(/^TRUSTED_PROXIES entry must be/) }));
  });
  it('NG the server started with a bad TRUSTED_PROXIES prints one line [E_CONFIG] and exits 2, no stack', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hakko-config-'));
    const r = spawnSync(process.execPath, ['api/main.ts'], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, TRUSTED_PROXIES: '10.0.0.0/33', HAKKO_DATA_DIR: dataDir, PORT: '0', HTTPS_PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
    rmSync(dataDir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('hakko: [E_CONFIG] TRUSTED_PROXIES entry must be an IPv4 or IPv6 address or a CIDR range such as 10.0.0.0/8: 10.0.0.0/33\n');
  });
  it('NG bad port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
  it('ok: the README documents every environment variable with its default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of ENV_VARS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${v.name}\``));
      expect(row, v.name).toBeDefined();
      expect(row).toContain(v.default);
    }
  });
});
