/** Wire schemas of the public calls: health, the institution profile JSON, the TLS self-check (spec README, spec 06 §API). */
import { z } from 'zod';
import { SerialString } from './common.ts';

export const Health = z
  .object({
    ok: z.literal(true),
    version: z.string().meta({ example: '0.1.0' }),
    database: z.enum(['pglite', 'postgres']),
    publicUrl: z.string().meta({ example: 'http://localhost:8080' }),
    publicHttpsUrl: z.string().meta({ example: 'https://localhost:8443' }),
    rootSha256: z.string().meta({ description: 'Hex SHA-256 of the root certificate DER.' }),
  })
  .meta({ id: 'Health' });

export const InstitutionCodeParam = z.object({
  code: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/).meta({ param: { name: 'code', in: 'path' }, example: 'sample-u' }),
});

/** The profile JSON the TSV tool imports (spec 06, fixed). */
export const InstitutionProfile = z
  .object({
    code: z.string().meta({ example: 'sample-u' }),
    ja: z.string().meta({ example: '見本大学' }),
    en: z.string().meta({ example: 'Sample University' }),
    o: z.string().meta({ example: 'Sample University' }),
    l: z.string().meta({ example: 'Bunkyo-ku' }),
    st: z.string().nullable().meta({ example: 'Tokyo' }),
    domains: z.array(z.string()).readonly().meta({ example: ['sample.ac.jp'] }),
    profiles: z.array(z.number().int()).readonly().meta({ example: [5, 7, 13, 14, 15, 16] }),
    methods: z.array(z.number().int()).readonly().meta({ example: [1, 2, 3] }),
  })
  .meta({ id: 'InstitutionProfile' });

/** `GET /api/tls/whoami` (spec 06, fixed). */
export const Whoami = z
  .object({
    subject: z.string().meta({ example: 'CN=TARO TANAKA,O=Sample University,L=Bunkyo-ku,ST=Tokyo,C=JP' }),
    serial: z.union([SerialString, z.literal('')]),
    issuedByHakko: z.boolean(),
    state: z.enum(['valid', 'revoked', 'expired', 'unknown']),
  })
  .meta({ id: 'Whoami' });

export type HealthJson = z.infer<typeof Health>;
export type InstitutionProfileJson = z.infer<typeof InstitutionProfile>;
