/**
 * The TSV domain module (spec 02): codec, row and file rules, system-lookup port, validation.
 * Pure and isomorphic — the server, the CLI and the PWA's TSV tool import it from here.
 */
export { decodeTsv, splitTsv, encodeTsv, joinTsv, firstBadOffset, unencodablePlaces, TSV_COLUMNS } from './codec.ts';
export type { DecodeResult, TsvEncoding, TsvLine, SplitTsv, UnencodablePlace } from './codec.ts';
export { encodeCp932, cp932Encodable, unencodableChars } from './cp932.ts';
export { COLUMN_USE, columnUse, guessKind } from './layout.ts';
export type { ColumnUse } from './layout.ts';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_LINES } from './file-rules.ts';
export { checkRow } from './rows.ts';
export type { RowCheck } from './rows.ts';
export { toRequest } from './requests.ts';
export { registeredDomainFor } from './system-rules.ts';
export { validateTsv, validateTsvText, validateRowsOffline } from './validate.ts';
export { writeInfoFile, infoFileRows, infoFileHeader, INFO_FILE_COLUMNS, jstTime, base64 } from './info-file.ts';
export type { InfoFileRow, InfoFileCertificate, InfoFileInput } from './info-file.ts';
export { readInfoFile, parseJstTime, isExpiring, renewalRowFromInfo, INFO_COL } from './info-read.ts';
export type { InfoFileTable } from './info-read.ts';
export { LIMITS, canonicalSerial, withP12Extension } from './values.ts';
export { TSV_KINDS } from './types.ts';
export type {
  TsvKind, PersonFields, ParsedRow, RequiredPerson, IssueRequest, RenewRequest, RevokeRequest, AdminChangeRequest,
  TsvRequest, CertificateFacts, WhoisAnswer, SystemLookup, InstitutionForRules, ValidateOptions, RowResult, TsvCounts,
  TsvValidation,
} from './types.ts';
export { writePinsTxt, writeClientTxt, pinsRows, clientRows, PINS_HEADER, CLIENT_HEADER, PINS_FILE_NAME, CLIENT_FILE_NAME, PINS_ZIP_NAME, CERTS_ZIP_NAME } from './bulk-files.ts';
export type { PinsLine, ClientLine } from './bulk-files.ts';
