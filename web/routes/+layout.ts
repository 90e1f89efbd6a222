// The web app is a static SPA (STACK.md): no server rendering, no prerendering; adapter-static
// writes the fallback index.html that the server returns for every page route.
export const ssr = false;
export const prerender = false;
