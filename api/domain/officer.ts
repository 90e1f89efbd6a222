/** Who acts on the officer API (spec 06 §Authentication): the officer or operator a client certificate identified. */

export interface AuthenticatedOfficer {
  readonly officerId: number;
  readonly role: 'officer' | 'operator';
  readonly name: string;
  readonly email: string;
  readonly institutionId: number | null;
  readonly institution: { readonly code: string; readonly ja: string; readonly en: string } | null;
  /** Serial (decimal) of the certificate that authenticated the request: the audit actor. */
  readonly certSerial: string;
}
