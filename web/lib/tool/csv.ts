/**
 * CSV as spreadsheets write it (RFC 4180): fields separated by commas, a field in double quotes may
 * hold commas, line ends and `""` for a quote; CRLF or LF between records. For the TSV tool's import
 * of CSV files (spec 07 §Creating); request files themselves are TSV without quoting (spec 02).
 */

/** The records of a CSV text, every field as a string; a final line end adds no record. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') endRecord();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += ch;
    i++;
  }
  if (field !== '' || record.length > 0 || quoted) endRecord();
  return records;
}
