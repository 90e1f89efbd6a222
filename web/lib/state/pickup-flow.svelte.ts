/**
 * The individual pickup page (spec 04 §Pickup page, methods 1 and 3 and officer/operator
 * enrollment) as a state machine: loading → pin → prepare → working → ready → done, with the
 * link problem pages, "unsupported browser", "issued elsewhere" (no key here for an issued
 * request) and a failed step that can be tried again. The issuance order lives in
 * pickup-sequence.ts; this class holds what the page shows and turns errors into states.
 */
import type { PickupInfo, PickupRow } from '$domain/pickup-api.ts';
import { ApiError } from '../api/client.ts';
import type { PickupApi } from '../api/pickup.ts';
import { cnOf, p12FileName } from '../crypto/file-name.ts';
import type { P12Variant } from '../crypto/p12.ts';
import { detectPlatform, type Platform, type PlatformInput } from '../crypto/platform.ts';
import type { CryptoPool } from '../crypto/pool.ts';
import { keyAlgorithmOf } from '../crypto/keys.ts';
import { CryptoError, type KeyResult, type ShroudResult } from '../crypto/protocol.ts';
import { pickupKey } from '../storage/pickup-records.ts';
import type { PickupStore } from '../storage/pickup-store.ts';
import type { Localized } from '../i18n/translate.ts';
import { fileOf, releaseFile, type DownloadFile } from './download.ts';
import { linkProblemOf, type LinkProblem } from './link-problem.ts';
import { ensurePickupRecord, issueIndividual, KEY_REFUSALS, p12ForRow, SUBMIT_RETRY, type IssuedRow } from './pickup-sequence.ts';

export type Stage = 'loading' | 'problem' | 'unsupported' | 'bulk' | 'pin' | 'prepare' | 'working' | 'failed' | 'ready' | 'elsewhere' | 'done';
export type ProblemCode = LinkProblem | 'NETWORK' | 'OTHER';
export type PinError = { readonly kind: 'empty' | 'wrongOne' | 'wrongIssued' | 'tooFast' } | { readonly kind: 'wrong'; readonly n: number } | { readonly kind: 'failed'; readonly message: Localized };
export type Failure = 'network' | 'keyRefused' | 'crypto' | 'mismatch' | 'other';

export interface PickupDeps {
  readonly api: PickupApi;
  readonly pool: CryptoPool;
  readonly store: Promise<PickupStore>;
  readonly platform: Promise<PlatformInput>;
  readonly now: () => Date;
  readonly save: (file: DownloadFile) => void;
  /** `isSecureContext` and whether `crypto.subtle` exists (spec 08: WebCrypto needs a secure context). */
  readonly environment: { readonly secure: boolean; readonly webCrypto: boolean };
}

/** A User Timing mark (DevTools, and the click-to-download figure of bench/pickup-browser.ts). */
function mark(name: string): void {
  globalThis.performance?.mark?.(name);
}

/** Access PINs are typed from paper: spaces and line breaks are not part of them. */
export function normalisePin(value: string): string {
  return value.replace(/\s+/g, '');
}

export class PickupFlow {
  stage: Stage = $state('loading');
  info: PickupInfo | null = $state.raw(null);
  problem: ProblemCode | null = $state(null);
  /** The API's code behind a problem page or failure, shown for support. */
  code: string | null = $state(null);
  unsupported: 'noCrypto' | 'insecure' | null = $state(null);
  /** What this browser kept from an earlier visit. */
  resume: 'none' | 'key' | 'certificate' = $state('none');
  persistent = $state(true);
  /** IndexedDB stopped working during this visit (the page sets it from the store's callback). */
  degraded = $state(false);
  busy = $state(false);
  pinError: PinError | null = $state.raw(null);
  platform: Platform | null = $state.raw(null);
  variant: P12Variant = $state('compatible');
  progress: 'key' | 'send' | 'p12' = $state('key');
  retrying: { attempt: number; attempts: number; delayMs: number } | null = $state.raw(null);
  failure: Failure | null = $state(null);
  passwordIsPin = $state(true);
  file: (DownloadFile & { variant: P12Variant }) | null = $state.raw(null);
  otherFile: (DownloadFile & { variant: P12Variant }) | null = $state.raw(null);
  makingOther = $state(false);
  serial: string | null = $state(null);
  confirmError: Localized | null = $state.raw(null);

  readonly #token: string;
  readonly #deps: PickupDeps;
  #store: PickupStore | null = null;
  #pickup = '';
  #pin = '';
  #password = '';
  #issued: IssuedRow | null = null;
  #issuedElsewhere = false;
  #prepared: Promise<KeyResult> | undefined;
  #shroudAhead: { readonly variant: P12Variant; readonly password: string; readonly result: Promise<{ privateKey: CryptoKey; shrouded: ShroudResult }> } | undefined;

  constructor(token: string, deps: PickupDeps) {
    this.#token = token;
    this.#deps = deps;
  }

  get row(): PickupRow | null {
    return this.info?.rows[0] ?? null;
  }

  /** Download name of this row (spec 04 §Pickup page 4). */
  get fileName(): string {
    return this.row ? p12FileName(this.row) : 'certificate.p12';
  }

  async load(): Promise<void> {
    const env = this.#deps.environment;
    if (!env.secure || !env.webCrypto) {
      this.unsupported = env.secure ? 'noCrypto' : 'insecure';
      this.stage = 'unsupported';
      return;
    }
    try {
      this.info = await this.#deps.api.info(this.#token);
    } catch (e) {
      return this.#showProblem(e);
    }
    if (this.info.method === 2) {
      this.stage = 'bulk';
      return;
    }
    const [store, platformInput] = await Promise.all([this.#deps.store, this.#deps.platform]);
    this.#store = store;
    this.persistent = store.persistent;
    this.#pickup = await pickupKey(this.#token);
    await store.purgeExpired(this.#deps.now());
    const stored = await store.getRow(this.#pickup, this.row!.id);
    this.resume = stored?.certificate ? 'certificate' : stored ? 'key' : 'none';
    // Issued, and this browser holds no key for it: the certificate went to another key. With a
    // stored key (the answer to our CSR was lost) sending the same CSR again returns it (200).
    this.#issuedElsewhere = this.row!.state === 'issued' && !stored;
    this.platform = detectPlatform(platformInput);
    this.variant = this.platform.variant;
    this.stage = 'pin';
    // Load the worker's code while the user types the PIN; a failure shows when it is needed.
    this.#deps.pool.warm().then(() => mark('hakko:worker'), () => undefined);
    // And make the key pair and CSR meanwhile (nothing is stored or sent before the click), so the
    // click waits only for the server and the file. Not when this browser already has a key.
    if (this.resume === 'none' && !this.#issuedElsewhere) {
      this.#prepareKey();
      // The URL's record too (create reads it again; a failure here shows there).
      ensurePickupRecord({ store, now: this.#deps.now }, this.#pickup, this.info).catch(() => undefined);
    }
  }

  /** Starts a key task for the row; `create` takes it (once), a failure there makes a new key. */
  #prepareKey(): void {
    mark('hakko:prepare');
    const task = this.#deps.pool.run({ op: 'key', keyAlgorithm: keyAlgorithmOf(this.info!.keyAlgorithm), dn: this.row!.dn });
    task.then(() => mark('hakko:prepared'), () => undefined);
    this.#prepared = task;
  }

  /** Checks the PIN with `/verify` (wrong entries count towards the lockout). */
  async submitPin(value: string): Promise<void> {
    const pin = normalisePin(value);
    if (!pin) {
      this.pinError = { kind: 'empty' };
      return;
    }
    this.busy = true;
    this.pinError = null;
    try {
      await this.#deps.api.verify(this.#token, pin);
      this.#pin = pin;
      this.stage = this.#issuedElsewhere ? 'elsewhere' : 'prepare';
      if (this.stage === 'prepare') this.#prepareShroud();
    } catch (e) {
      this.pinError = this.#pinErrorOf(e);
      if (!this.pinError) this.#showProblem(e);
    } finally {
      this.busy = false;
    }
  }

  /** Key, CSR, certificate, PKCS#12, download (pickup-sequence.ts), with `password` for the file. */
  async create(password?: string): Promise<void> {
    this.passwordIsPin = this.info?.method === 1 || password === undefined;
    this.#password = this.passwordIsPin ? this.#pin : password!;
    this.stage = 'working';
    this.failure = null;
    this.retrying = null;
    mark('hakko:create');
    // The key's encryption (PBKDF2) needs no certificate: made ahead (method 1), else while the CSR travels.
    let shrouding: Promise<ShroudResult> | undefined;
    const variant = this.variant;
    try {
      this.#issued = await issueIndividual(
        { store: this.#store!, pool: this.#deps.pool, api: this.#deps.api, now: this.#deps.now },
        { token: this.#token, pickup: this.#pickup, info: this.info!, pin: this.#pin, prepared: this.#takePrepared() },
        {
          step: (s) => ((this.progress = s), (this.retrying = null)),
          retry: (i) => (this.retrying = i),
          keyReady: (record) => {
            mark('hakko:key');
            shrouding = this.#shroudFor(record, variant);
            shrouding.catch(() => undefined); // a failure surfaces when the file is built
          },
        },
      );
      mark('hakko:certificate');
      this.progress = 'p12';
      this.retrying = null;
      this.serial = this.#issued.certificate.serial;
      this.file = await this.#build(variant, await shrouding);
      this.stage = 'ready';
      this.#deps.save(this.file);
      mark('hakko:download');
    } catch (e) {
      this.#createFailed(e);
    }
  }

  /**
   * Method 1, once the PIN is known (it is the file's password): the prepared key's encryption for
   * the preselected variant, so the click waits for the server and the file only. `create` uses it
   * when the variant, password and key are still the same, and encrypts again otherwise.
   */
  #prepareShroud(): void {
    const key = this.#prepared;
    if (!key || this.info?.method !== 1) return;
    const variant = this.variant;
    const password = this.#pin;
    const result = key.then(async (made) => {
      mark('hakko:shroud');
      const shrouded = await this.#deps.pool.run({ op: 'shroud', privateKey: made.privateKey, password, variant });
      mark('hakko:shrouded');
      return { privateKey: made.privateKey, shrouded };
    });
    result.catch(() => undefined);
    this.#shroudAhead = { variant, password, result };
  }

  /** The key's encryption for `record`: the one made ahead when it fits, else a new one. */
  #shroudFor(record: { readonly privateKey: CryptoKey }, variant: P12Variant): Promise<ShroudResult> {
    const ahead = this.#shroudAhead;
    this.#shroudAhead = undefined;
    const fresh = () => this.#deps.pool.run({ op: 'shroud', privateKey: record.privateKey, password: this.#password, variant });
    if (!ahead || ahead.variant !== variant || ahead.password !== this.#password) return fresh();
    return ahead.result.then((r) => (r.privateKey === record.privateKey ? r.shrouded : fresh()), fresh);
  }

  #takePrepared(): Promise<KeyResult> | undefined {
    const task = this.#prepared;
    this.#prepared = undefined;
    return task;
  }

  /** After a failed step: the same password again; a stored key is reused (pickup-sequence.ts). */
  retry(): Promise<void> {
    return this.create(this.passwordIsPin ? undefined : this.#password);
  }

  /** The file again (the download did not start, or went somewhere unknown). */
  saveAgain(): void {
    if (this.file) this.#deps.save(this.file);
  }

  /** The other variant, for "if the import says the password is wrong" (spec 04). */
  async saveOther(): Promise<void> {
    if (!this.#issued) return;
    const other: P12Variant = this.variant === 'modern' ? 'compatible' : 'modern';
    if (!this.otherFile) {
      this.makingOther = true;
      try {
        this.otherFile = await this.#build(other);
      } catch (e) {
        this.#createFailed(e);
        return;
      } finally {
        this.makingOther = false;
      }
    }
    this.#deps.save(this.otherFile);
  }

  /** "I have saved the file": `/confirm`, then the stored key and certificate are deleted. */
  async confirm(): Promise<void> {
    this.busy = true;
    this.confirmError = null;
    try {
      await this.#deps.api.confirm(this.#token, { pin: this.#pin }, SUBMIT_RETRY);
      await this.#store?.deletePickup(this.#pickup);
      this.stage = 'done';
    } catch (e) {
      if (e instanceof ApiError && e.code === 'COMPLETED') {
        await this.#store?.deletePickup(this.#pickup);
        this.stage = 'done';
      } else if (linkProblemOf(e)) {
        this.#showProblem(e);
      } else {
        this.confirmError = e instanceof ApiError ? e.text : { ja: String(e), en: String(e) };
      }
    } finally {
      this.busy = false;
    }
  }

  /** Releases blob URLs, workers and the database. */
  destroy(): void {
    releaseFile(this.file);
    releaseFile(this.otherFile);
    this.#deps.pool.terminate();
    this.#store?.close();
  }

  async #build(variant: P12Variant, shrouded?: ShroudResult): Promise<DownloadFile & { variant: P12Variant }> {
    const row = this.#issued!;
    const bytes = await p12ForRow(this.#deps.pool, row, { password: this.#password, variant, friendlyName: cnOf(this.row!.dn) || this.row!.mail, shrouded });
    const name = variant === this.variant ? this.fileName : this.fileName.replace(/(\.p12)?$/i, `-${variant}.p12`);
    return { ...fileOf(bytes, name), variant };
  }

  #pinErrorOf(e: unknown): PinError | null {
    if (!(e instanceof ApiError)) return { kind: 'failed', message: { ja: String(e), en: String(e) } };
    if (e.code === 'WRONG_PIN') {
      const left = e.body?.attemptsLeft;
      if (typeof left !== 'number') return { kind: 'wrongIssued' };
      return left === 1 ? { kind: 'wrongOne' } : { kind: 'wrong', n: left };
    }
    if (e.code === 'RATE_LIMITED') return { kind: 'tooFast' };
    if (linkProblemOf(e)) return null;
    return { kind: 'failed', message: e.text };
  }

  #createFailed(e: unknown): void {
    this.retrying = null;
    this.code = e instanceof ApiError || e instanceof CryptoError ? (e instanceof ApiError ? e.code : e.failure) : null;
    if (e instanceof ApiError) {
      if (e.code === 'ALREADY_ISSUED') {
        this.stage = 'elsewhere';
        return;
      }
      if (e.code === 'WRONG_PIN') {
        this.pinError = this.#pinErrorOf(e);
        this.stage = 'pin';
        return;
      }
      if (linkProblemOf(e)) return this.#showProblem(e);
      this.failure = e.transient ? 'network' : KEY_REFUSALS.has(e.code) ? 'keyRefused' : 'other';
    } else if (e instanceof CryptoError) {
      if (e.failure === 'NO_WEBCRYPTO') {
        this.unsupported = 'noCrypto';
        this.stage = 'unsupported';
        return;
      }
      this.failure = e.failure === 'MISMATCH' ? 'mismatch' : e.failure === 'WORKER' ? 'other' : 'crypto';
    } else {
      this.failure = 'other';
    }
    this.stage = 'failed';
  }

  #showProblem(e: unknown): void {
    const link = linkProblemOf(e);
    this.problem = link ?? (e instanceof ApiError && e.transient ? 'NETWORK' : 'OTHER');
    this.code = e instanceof ApiError ? e.code : null;
    this.stage = 'problem';
  }
}
