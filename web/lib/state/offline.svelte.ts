/**
 * Whether the app is available offline (its service worker active, so this version's files are
 * cached) and whether a newer version waits to take over (spec 07: "available offline" indicator and
 * an update prompt). Also the browser's online state, for the tool's status line.
 */

/** unsupported: no service worker here (not a secure context, or disabled); preparing: installing. */
export type OfflineReadiness = 'unsupported' | 'preparing' | 'ready';

export class OfflineStatus {
  readiness: OfflineReadiness = $state('preparing');
  /** A new version is installed and waits for the user's go-ahead. */
  updateReady = $state(false);
  online = $state(true);
  #registration: ServiceWorkerRegistration | null = null;
  #cleanup: (() => void)[] = [];

  constructor(container: ServiceWorkerContainer | undefined = globalThis.navigator?.serviceWorker) {
    this.online = globalThis.navigator?.onLine ?? true;
    const setOnline = () => {
      this.online = navigator.onLine;
      if (this.online) void this.#registration?.update().catch(() => undefined);
    };
    addEventListener('online', setOnline);
    addEventListener('offline', setOnline);
    this.#cleanup.push(() => removeEventListener('online', setOnline), () => removeEventListener('offline', setOnline));
    if (!container) {
      this.readiness = 'unsupported';
      return;
    }
    void container.ready.then((registration) => this.#watch(registration));
  }

  #watch(registration: ServiceWorkerRegistration): void {
    this.#registration = registration;
    this.readiness = 'ready';
    const check = () => {
      // A waiting worker while this page is controlled by another: a new version is there.
      this.updateReady = registration.waiting !== null && navigator.serviceWorker.controller !== null;
    };
    const found = () => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', check);
    };
    registration.addEventListener('updatefound', found);
    this.#cleanup.push(() => registration.removeEventListener('updatefound', found));
    check();
    // Look for a new deployment now (the browser also does on navigations).
    if (this.online) void registration.update().catch(() => undefined);
  }

  /** Switch to the waiting version and reload the page once it controls it. */
  applyUpdate(): void {
    const waiting = this.#registration?.waiting;
    if (!waiting) return;
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage({ type: 'SKIP_WAITING' });
  }

  dispose(): void {
    for (const f of this.#cleanup.splice(0)) f();
  }
}
