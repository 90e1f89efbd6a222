/**
 * Data shapes shared by the mail templates (spec 05 §Which mail goes to whom). Every field is plain
 * JSON — strings, numbers, booleans — because the outbox stores template data as JSON and renders
 * it when the mail is delivered: times are ISO 8601 strings, serials decimal strings.
 */

/** The institution as mails name it (its JA and EN display names). */
export interface InstitutionName {
  readonly ja: string;
  readonly en: string;
}

/** A person named in a mail: a recipient, a user administrator or a user. */
export interface Person {
  readonly name: string;
  readonly email: string;
  readonly affiliation?: string;
}

/** A request that has no certificate yet (PIN and pickup notices). */
export interface RequestRef {
  /** The request DN in TSV form (`CN=…,OU=…,O=…,L=…,ST=…,C=JP`). */
  readonly dn: string;
  readonly user: Person;
}

/** A certificate that was issued (pickup notifications). */
export interface IssuedCertificate {
  /** The request DN in TSV form. */
  readonly dn: string;
  /** Decimal serial number (spec 03 §Serial numbers: shown in decimal wherever a person sees it). */
  readonly serial: string;
  /** notAfter, ISO 8601. */
  readonly notAfter: string;
  readonly user: Person;
}

/** A certificate issued by renewal, with what the revocation TSV of the old one needs. */
export interface RenewedCertificate extends IssuedCertificate {
  /** Decimal serial of the replaced certificate. */
  readonly oldSerial: string;
  /** The DN the replaced certificate was requested with (its "request DN", spec 02 §Value rules). */
  readonly oldRequestDn: string;
  /** True when the old certificate is neither expired nor revoked (spec 01 §Renewal step 3). */
  readonly oldStillValid: boolean;
  readonly userAdmin: Person;
}

/** A file attached to a mail. */
export interface MailAttachment {
  readonly filename: string;
  /** Full MIME type including parameters, e.g. `text/tab-separated-values; charset=Shift_JIS`. */
  readonly contentType: string;
  readonly content: Uint8Array;
}

/** What a template produces: the full subject (prefix included), the UTF-8 text body, attachments. */
export interface RenderedMail {
  readonly subject: string;
  /** Plain text, lines separated by `\n` (the MIME layer turns them into CRLF). */
  readonly text: string;
  readonly attachments?: readonly MailAttachment[];
}

/** Per-deployment rendering settings (spec README §CLI: `mail.subjectPrefix`). */
export interface RenderOptions {
  readonly subjectPrefix: string;
}

/** Default subject prefix (spec 05: `[Hakko]`; institutions moving from UPKI may set `[UPKI]`). */
export const DEFAULT_SUBJECT_PREFIX = '[Hakko]';

export const DEFAULT_RENDER_OPTIONS: RenderOptions = { subjectPrefix: DEFAULT_SUBJECT_PREFIX };
