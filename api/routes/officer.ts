/** Officer API (spec 06 §API). Every route is behind client-certificate auth; state changes behind CSRF. */
import { Hono } from 'hono';
import type { AppEnv } from '../http/types.ts';

/** `GET /api/me` */
export function meRoute() {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    const o = c.var.officer;
    return c.json({ name: o.name, email: o.email, role: o.role, institution: o.institution });
  });
  return app;
}
