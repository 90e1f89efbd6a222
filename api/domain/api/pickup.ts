/**
 * Wire schemas of the PIN URL and pickup URL calls (spec 04 §HTTP API, fixed). Token-authenticated:
 * the token is the path parameter; no CSRF header.
 */
import { z } from 'zod';
import { IdString, Localized, SerialString, Time } from './common.ts';

const InstitutionName = z.object({ code: z.string(), ja: z.string(), en: z.string() });

export const TokenParam = z.object({
  token: z.string().min(1).max(256).meta({ param: { name: 'token', in: 'path' }, description: 'The one-time token of the URL in the mail.', example: 'Qk9nVXNfZXhhbXBsZS10b2tlbi1ub3QtYS1yZWFsLW9uZQ' }),
});

export const PinInfo = z
  .object({
    method: z.number().int(),
    count: z.number().int(),
    institution: InstitutionName,
    pickupExpiresAt: Time,
    rows: z.array(z.object({ dn: z.string(), name: z.string().nullable() })).readonly(),
  })
  .meta({ id: 'PinInfo' });

export const RetrievedPins = z
  .object({ pins: z.array(z.object({ name: z.string().nullable(), mail: z.string(), pin: z.string(), dn: z.string() })) })
  .meta({ id: 'RetrievedPins', description: 'The access PIN(s), shown once.' });

export const PickupInfo = z
  .object({
    kind: z.enum(['user', 'officer', 'operator']),
    method: z.number().int(),
    keyAlgorithm: z.string().meta({ example: 'RSA-2048' }),
    expiresAt: Time,
    institution: InstitutionName.nullable(),
    rows: z.array(z.object({
      id: IdString, dn: z.string(), profile: z.number().int().nullable(), name: z.string().nullable(), mail: z.string(), p12FileName: z.string().nullable(), state: z.string(),
    })).readonly(),
  })
  .meta({ id: 'PickupInfo' });

/** `{pin}` (methods 1 and 3). */
export const PinBody = z.looseObject({ pin: z.string().max(256).optional() }).meta({ id: 'PinBody', example: { pin: 'Ab3dE5gH9k' } });

/** `{pin, csr}` (methods 1, 3) or `{csrs:[{id, csr}]}` (method 2). */
export const CsrBody = z
  .looseObject({
    pin: z.string().max(256).optional(),
    csr: z.string().max(65_536).optional().meta({ description: 'PEM CERTIFICATE REQUEST (methods 1 and 3).' }),
    csrs: z.array(z.looseObject({ id: z.unknown(), csr: z.unknown() })).optional().meta({ description: 'One CSR per request of the group (method 2).' }),
  })
  .meta({ id: 'CsrBody', example: { pin: 'Ab3dE5gH9k', csr: '-----BEGIN CERTIFICATE REQUEST-----\n…\n-----END CERTIFICATE REQUEST-----\n' } });

export const CsrAnswer = z
  .object({
    certificates: z.array(z.object({ id: IdString, serial: SerialString, certificate: z.string(), chain: z.array(z.string()).readonly().meta({ description: 'Issuing CA PEM, root PEM.' }) })),
    errors: z.array(z.object({ id: z.string(), code: z.string(), message: Localized })),
  })
  .meta({ id: 'CsrAnswer' });

export const BulkPins = z.object({ pins: z.array(z.object({ id: IdString, pin: z.string() })) }).meta({ id: 'BulkPins' });
