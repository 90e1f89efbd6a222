/**
 * A ZIP written as its files arrive, into a Blob (issue 11: `pins.zip` and `certs.zip`, built in
 * the browser). fflate's streaming `Zip`: PKCS#12 files are stored (they are encrypted, so they do
 * not compress), text files deflated. The output is handed over in Blob parts every few hundred
 * kilobytes, so a 1,000-user ZIP never sits in the page's memory as one array: the browser keeps
 * Blob data on its own side (and on disk when large).
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';

/** The ZIP media type. */
export const ZIP_MEDIA_TYPE = 'application/zip';

const FLUSH_BYTES = 256 * 1024;

export class ZipWriter {
  readonly #zip: Zip;
  readonly #parts: Blob[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #error: Error | null = null;
  #ended = false;
  #files = 0;

  constructor() {
    this.#zip = new Zip((err, data, final) => {
      if (err) {
        this.#error = err;
        return;
      }
      this.#pending.push(data);
      this.#pendingBytes += data.byteLength;
      if (final || this.#pendingBytes >= FLUSH_BYTES) this.#flush();
    });
  }

  /** Files added so far. */
  get files(): number {
    return this.#files;
  }

  /** Adds one file; `compress` for text, not for PKCS#12. The name must be ASCII (ours are). */
  add(name: string, bytes: Uint8Array, compress = false): void {
    if (this.#ended) throw new Error('the ZIP is finished');
    const file = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    this.#zip.add(file);
    file.push(bytes, true);
    this.#files++;
    if (this.#error) throw this.#error;
  }

  /** Finishes the ZIP and returns it as a Blob. */
  finish(): Blob {
    if (!this.#ended) {
      this.#ended = true;
      this.#zip.end();
    }
    if (this.#error) throw this.#error;
    this.#flush();
    return new Blob(this.#parts, { type: ZIP_MEDIA_TYPE });
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as BlobPart[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

/** A ZIP of a few small files at once (`pins.zip`). */
export function zipOf(files: readonly { name: string; bytes: Uint8Array; compress?: boolean }[]): Blob {
  const w = new ZipWriter();
  for (const f of files) w.add(f.name, f.bytes, f.compress);
  return w.finish();
}
