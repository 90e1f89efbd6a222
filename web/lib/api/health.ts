/**
 * `GET /api/health` as the start page needs it: the HTTPS origin of the officer dashboard
 * (spec README §Process: the dashboard lives on the listener that asks for client certificates).
 */

/** The fields of the health answer the web app reads; the server may send more. */
export interface Health {
  readonly ok: boolean;
  readonly publicHttpsUrl?: string;
}

/** The `PUBLIC_HTTPS_URL` the server announces, or null when the API is unreachable or says nothing usable. */
export async function fetchPublicHttpsUrl(
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<string | null> {
  try {
    const response = await fetchFn('/api/health', { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<Health> | null;
    const url = body?.publicHttpsUrl;
    return typeof url === 'string' && /^https:\/\//i.test(url) && URL.canParse(url) ? url : null;
  } catch {
    return null;
  }
}

/**
 * Where the dashboard link points: `/officer` on the HTTPS origin, or same-origin `/officer` when
 * the origin is unknown or is the current one.
 */
export function officerDashboardHref(publicHttpsUrl: string | null, currentOrigin: string): string {
  if (!publicHttpsUrl) return '/officer';
  const target = new URL('/officer', publicHttpsUrl);
  return target.origin === currentOrigin ? '/officer' : target.href;
}
