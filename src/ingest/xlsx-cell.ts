/**
 * A cell's value as text, the way the sheet shows it: Excel keeps every number as a double and
 * shows it through the cell's number format, so the format decides the digits, not JavaScript's
 * String() (which writes 8.87e+11 style only past 1e21, but float noise like 0.30000000000000004).
 */
export function cellText(value: unknown, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return numberText(value, numFmt);
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string; sharedString?: number };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result, numFmt);
    if (v.text !== undefined) return cellText(v.text, numFmt);
    if (v.error !== undefined) return v.error;
  }
  return String(value);
}

/** Dates as ISO 8601: the date alone, or with the time when it has one. */
function dateText(date: Date): string {
  const iso = date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.slice(0, 19).replace('T', ' ');
}

export function numberText(n: number, numFmt = 'General'): string {
  if (!Number.isFinite(n)) return String(n);
  const fmt = numFmt.replace(/"[^"]*"|\[[^\]]*]|\\./g, '').split(';')[0];
  if (fmt === '@') return plain(n);
  const percent = fmt.includes('%');
  const v = percent ? n * 100 : n;
  const body = /[0#?][0#?,]*(?:\.([0#?]+))?/.exec(fmt);
  if (!body || /^general$/i.test(fmt.trim())) return plain(v) + (percent ? '%' : '');
  const decimals = body[1]?.length ?? 0;
  let text = v.toFixed(decimals);
  // A zero-padded format (000000000000 for a UPC) keeps its leading zeros.
  const zeros = /^0+/.exec(body[0].replace(/,/g, ''))?.[0].length ?? 0;
  const [int, frac] = text.replace('-', '').split('.');
  if (int.length < zeros) text = `${v < 0 ? '-' : ''}${int.padStart(zeros, '0')}${frac !== undefined ? `.${frac}` : ''}`;
  return text + (percent ? '%' : '');
}

/** A number in full, without exponent or float noise: 15 significant digits, as Excel keeps. */
function plain(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const rounded = Number(n.toPrecision(15));
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  return rounded.toFixed(Math.min(20, Math.max(0, 15 - Math.floor(Math.log10(Math.abs(rounded)))))).replace(/\.?0+$/, '');
}
