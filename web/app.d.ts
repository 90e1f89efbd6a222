// Ambient types for the web app (SvelteKit's App namespace and build-time constants).

declare global {
  /** package.json version, injected by vite.config.ts `define`. */
  const __HAKKO_VERSION__: string;

  namespace App {
    interface Error {
      message: string;
    }
  }
}

export {};
