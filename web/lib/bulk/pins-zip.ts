/** `pins.zip` of the P12一括 PIN URL page (spec 04 §PIN URL page): `pins.txt` alone, built in the browser. */
import type { RetrievedPin } from '$domain/pickup-api.ts';
import { PINS_FILE_NAME, PINS_ZIP_NAME, writePinsTxt } from '$domain/tsv/bulk-files.ts';
import { zipOf } from './zip-writer.ts';

export { PINS_ZIP_NAME };

/** The ZIP of the retrieved PINs, in the order the API gave them (upload order). */
export function pinsZip(pins: readonly RetrievedPin[]): Blob {
  return zipOf([{ name: PINS_FILE_NAME, bytes: writePinsTxt(pins), compress: true }]);
}
