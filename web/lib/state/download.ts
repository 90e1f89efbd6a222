/** Offering bytes as a file download from the page (a blob URL and an `<a download>` click). */

/** A file the page made, ready to be saved again. */
export interface DownloadFile {
  readonly name: string;
  /** A blob URL; revoke it with `releaseFile` when the page goes away. */
  readonly url: string;
  readonly size: number;
}

/** The PKCS#12 media type (RFC 7292 Appendix D). */
export const P12_MEDIA_TYPE = 'application/x-pkcs12';

/** Wraps bytes in a blob URL named `name`. */
export function fileOf(bytes: Uint8Array<ArrayBuffer>, name: string, type = P12_MEDIA_TYPE): DownloadFile {
  return { name, url: URL.createObjectURL(new Blob([bytes], { type })), size: bytes.byteLength };
}

/** Starts the browser's download of `file` (no user gesture needed for one blob download). */
export function saveFile(file: DownloadFile, doc: Document = document): void {
  const a = doc.createElement('a');
  a.href = file.url;
  a.download = file.name;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
}

export function releaseFile(file: DownloadFile | null): void {
  if (file) URL.revokeObjectURL(file.url);
}
