/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Service worker: the app shell works offline once loaded (spec 07: the TSV tool works with no
 * network). Precaches the build output and static files of this version; pages are network-first
 * with the cached shell as the offline fallback. API, PKI and dev answers are never cached: they
 * carry secrets or revocation state (spec 08 §Security: no-store on token pages and API answers).
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `hakko-shell-${version}`;
/** The SPA fallback page (adapter-static `fallback: 'index.html'`) serves every route. */
const SHELL = '/';
/** Files fetched once at install: the app's immutable chunks, static files, and the shell page. */
const PRECACHE = [...new Set([...build, ...files, SHELL])];
const PRECACHED_PATHS = new Set(PRECACHE);
/** Paths the worker never answers from or writes to a cache. */
const NEVER_CACHED = ['/api/', '/pki/', '/dev/'];

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))),
  );
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
 * Pages: the network first (fresh HTML and the server's CSP header), the cached shell when offline.
 * Only the shell itself is refreshed in the cache, never a token page (`/pin/…`, `/pickup/…`).
 */
async function navigate(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && new URL(request.url).pathname === SHELL) {
      await cache.put(SHELL, response.clone());
    }
    return response;
  } catch (error) {
    const shell = await cache.match(SHELL);
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
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
