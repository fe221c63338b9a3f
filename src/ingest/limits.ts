/** The largest CSV row, JSON Lines line or JSON array element read, unless --max-field-mb says otherwise. */
export const DEFAULT_MAX_FIELD_MB = 256;
/** The largest feed downloaded from a URL, unless --max-download-mb says otherwise. */
export const DEFAULT_MAX_DOWNLOAD_MB = 2048;
const MB = 1024 * 1024;

/** At least one byte: csv-parse reads a record size limit of 0 as no limit at all. */
export function megabytes(mb: number): number {
  return Math.max(1, Math.round(mb * MB));
}

/** Why a row over the limit is not read: its size, the limit and the flag that raises it. */
export function tooLargeReason(what: string, bytes: number, limit: number, column?: string): string {
  const where = column === undefined ? '' : ` (the largest field is column '${column}')`;
  return `${what} is ${formatMb(bytes)}${where}, over the ${formatMb(limit)} that --max-field-mb allows: raise --max-field-mb to load it`;
}

function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 ? mb.toFixed(0) : Number(mb.toPrecision(2))} MB`;
}
