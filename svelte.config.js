// SvelteKit 2 configuration. Routes, lib, app.html and the service worker live in web/ (STYLE.md).
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // precompress: .br and .gz beside every text asset, served by api/http/web.ts (serveStatic) by Accept-Encoding.
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false, precompress: true }),
    files: {
      routes: 'web/routes',
      lib: 'web/lib',
      appTemplate: 'web/app.html',
      hooks: { client: 'web/hooks.client', server: 'web/hooks.server', universal: 'web/hooks' },
      serviceWorker: 'web/service-worker',
      assets: 'static',
      params: 'web/params',
    },
    // spec 08 §Security: strict CSP, the boot script allowed by hash. The server sends the header
    // taken from the built index.html's meta tag (api/http/security-headers.ts).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'worker-src': ['self', 'blob:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
    alias: { $domain: 'api/domain' },
  },
};
