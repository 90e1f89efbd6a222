/**
 * WHOIS lookups for the upload checks 303/304 (spec 02 §Validation against the system): a port-43
 * TCP client (RFC 3912) for the server configured per top-level domain in `WHOIS_SERVERS`, with the
 * answers cached in the database for `whois.cacheHours`. The answer is parsed by the pure
 * `domain/whois-parse.ts`; the comparison with the registered organisation is the validator's.
 */
import net from 'node:net';
import type { Queryable } from '../../db/client.ts';
import { readSettings } from '../../db/repos/settings.ts';
import { readWhoisCache, writeWhoisCache } from '../../db/repos/whois-cache.ts';
import type { WhoisAnswer } from '../domain/tsv/index.ts';
import { whoisOrganisations } from '../domain/whois-parse.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';

/** Spec 02: "a WHOIS server that cannot be reached within 5 s gives 303". */
export const WHOIS_TIMEOUT_MS = 5000;
/** An answer larger than this is cut off (a real registrant record is a few KB). */
const MAX_ANSWER_BYTES = 256 * 1024;

export type WhoisLookup = (domain: string) => Promise<WhoisAnswer>;

export interface WhoisServer {
  readonly host: string;
  readonly port: number;
}

export interface WhoisClientOptions {
  /** tld → server (`config.whoisServers`). */
  readonly servers: ReadonlyMap<string, WhoisServer>;
  /** Where the cache lives and `whois.cacheHours` is read; null: no cache (tests of the wire only). */
  readonly db: Queryable | null;
  readonly clock: Clock;
  readonly log?: Logger;
  /** Overall time for connect + query + answer; default 5 s (tests pass less). */
  readonly timeoutMs?: number;
}

/** The query line: the domain as registered; JPRS gets `/e` for its English answer (spec 02). */
export function whoisQuery(domain: string, server: WhoisServer): string {
  return server.host.toLowerCase() === 'whois.jprs.jp' ? `${domain}/e\r\n` : `${domain}\r\n`;
}

/**
 * JPRS answers without `/e` are ISO-2022-JP; most others are UTF-8 or ASCII. An ESC byte means
 * ISO-2022-JP; bytes that are not UTF-8 are read as Latin-1 so that nothing throws.
 */
export function decodeWhois(bytes: Uint8Array): string {
  if (bytes.includes(0x1b)) return new TextDecoder('iso-2022-jp').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/**
 * Sends one query and reads until the server closes the connection (RFC 3912). Resolves with the
 * bytes, or null when the server refused, failed, sent nothing, or did not finish within `timeoutMs`.
 */
export function queryWhois(server: WhoisServer, query: string, timeoutMs: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket = net.connect({ host: server.host, port: server.port });
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok && size > 0 ? new Uint8Array(Buffer.concat(chunks)) : null);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('connect', () => socket.write(query, 'latin1'));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size >= MAX_ANSWER_BYTES) finish(true);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(false));
  });
}

/** The top-level domain of a domain name (`sample.ac.jp` → `jp`). */
function tldOf(domain: string): string {
  return domain.toLowerCase().replace(/\.$/, '').split('.').pop() ?? '';
}

/**
 * The lookup the upload workflow and `hakko tsv check` use. `off` when no server is configured for
 * the domain's TLD (the validator only asks when the institution has a registered WHOIS
 * organisation); `unreachable` (303) is never cached; answers are, for `whois.cacheHours` (0: not
 * at all). Concurrent lookups of one domain share one connection.
 */
export function createWhoisClient(opts: WhoisClientOptions): WhoisLookup {
  const timeoutMs = opts.timeoutMs ?? WHOIS_TIMEOUT_MS;
  const inFlight = new Map<string, Promise<WhoisAnswer>>();

  async function lookup(domain: string, server: WhoisServer): Promise<WhoisAnswer> {
    const key = domain.toLowerCase();
    const serverId = `${server.host}:${server.port}`;
    const cacheHours = opts.db ? (await readSettings(opts.db))['whois.cacheHours'] : 0;
    const now = opts.clock.now();
    if (opts.db && cacheHours > 0) {
      const hit = await readWhoisCache(opts.db, key);
      if (hit && hit.server === serverId && now.getTime() - hit.fetchedAt.getTime() < cacheHours * 3_600_000 && hit.fetchedAt <= now) {
        return { status: 'found', organisations: hit.organisations };
      }
    }
    const bytes = await queryWhois(server, whoisQuery(domain, server), timeoutMs);
    if (bytes === null) {
      opts.log?.warn('WHOIS server unreachable', { server: serverId, domain });
      return { status: 'unreachable' };
    }
    const organisations = whoisOrganisations(decodeWhois(bytes));
    if (opts.db && cacheHours > 0) await writeWhoisCache(opts.db, key, { server: serverId, organisations, fetchedAt: now });
    return { status: 'found', organisations };
  }

  return (domain) => {
    const server = opts.servers.get(tldOf(domain));
    if (server === undefined) return Promise.resolve({ status: 'off' });
    const key = `${domain.toLowerCase()} ${server.host}:${server.port}`;
    const running = inFlight.get(key);
    if (running) return running;
    const p = lookup(domain, server).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  };
}
