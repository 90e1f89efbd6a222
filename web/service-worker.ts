/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Service worker: the app works offline once loaded — above all the TSV tool (spec 07: no network
 * at all after one visit). At install it precaches this version's build, static files and the shell
 * page, all from one deployment, so they always fit together. Pages are network-first (fresh HTML
 * after a deploy for every route), with this version's shell as the offline fallback; no navigation
 * ever writes the cache. API, PKI and dev answers, and anything marked `no-store`, are never cached:
 * they carry secrets or revocation state (spec 08 §Security).
 *
 * Updates: a new version installs beside the old one and waits; the tool offers to switch
 * (`SKIP_WAITING` message), then the old version's cache is deleted. Pages of the old version keep
 * working until they reload.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `hakko-shell-${version}`;
/** The SPA fallback page (adapter-static `fallback: 'index.html'`) serves every route. */
const SHELL = '/';
/** Files fetched once at install: the app's immutable chunks (workers included), static files, and the shell page. */
const PRECACHE = [...new Set([...build, ...files, SHELL])];
const PRECACHED_PATHS = new Set(PRECACHE);
/** Paths the worker never answers from or writes to a cache. */
const NEVER_CACHED = ['/api/', '/pki/', '/dev/'];

/** A response the cache may keep: a full 200 that its server did not mark `no-store`. */
function cacheable(response: Response): boolean {
  return response.status === 200 && !/no-store/i.test(response.headers.get('Cache-Control') ?? '');
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      await cache.addAll(PRECACHE);
      // addAll keeps whatever came back: drop anything marked no-store (none of the app's files is).
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        if (response && !cacheable(response)) await cache.delete(request);
      }
    }),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)));
      // Control pages opened before this worker existed, so a first visit already works offline.
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (NEVER_CACHED.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === 'navigate') {
    event.respondWith(navigate(request));
  } else if (PRECACHED_PATHS.has(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
  }
  // Anything else goes to the network untouched.
});

/**
 * Pages: the network first (fresh HTML and the server's CSP header); offline, this version's
 * precached shell. Nothing is written to the cache here: a page fetched now may belong to a newer
 * deployment than this worker's files, and token pages are `no-store`.
 */
async function navigate(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.open(CACHE).then((cache) => cache.match(SHELL));
    if (shell) return shell;
    throw error;
  }
}

/** Immutable build files and static assets of this version: cache first, network as a fallback. */
async function fromCacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}
