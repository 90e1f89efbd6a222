import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
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
