/**
 * CSV cells that a spreadsheet opens as text, whatever it splits cells on. Shared by the
 * CSV export and the load rejects file.
 *
 * A spreadsheet in a `;` locale (or importing with tab, or with `,` and no quote handling)
 * honours a quote only at the start of what it takes for a cell. So a `,`-separated cell
 * `"foo;=1+1"` in the middle of a row is split at its `;`, and `=1+1` starts a cell of its own.
 */
const SEPARATOR = /([,;\t\r\n])/;
const NEEDS_QUOTES = /[",;\t\r\n]/;
/** A formula starts with one of these, maybe after spaces a spreadsheet trims or a quote it drops. */
const FORMULA_START = /^[ "]*[=+\-@]/;
/** `-3` cannot run anything, and escaping it would turn a number into text in every spreadsheet. */
const PLAIN_NEGATIVE = /^ *-\d+(\.\d+)? *$/;
/** A leading tab or CR is trimmed by some spreadsheets, and what follows is then read as a formula. */
const LEADING_BLANK = /^[\t\r]/;

const isFormula = (piece: string) => FORMULA_START.test(piece) && !PLAIN_NEGATIVE.test(piece);

/**
 * Prefixes `'` to whatever a spreadsheet could run as a formula (OWASP CSV injection): the cell's
 * start, and every piece after a separator or line break inside it, where a spreadsheet that
 * splits on that character starts a new cell.
 */
export function neutralizeFormula(text: string): string {
  const pieces = text.split(SEPARATOR);
  // split() with a capture group puts the separators at the odd indexes.
  for (let i = 0; i < pieces.length; i += 2) if (isFormula(pieces[i])) pieces[i] = `'${pieces[i]}`;
  const safe = pieces.join('');
  return LEADING_BLANK.test(safe) ? `'${safe}` : safe;
}

/**
 * RFC 4180 quoting, widened: a cell holding a quote, a line break or any character some
 * spreadsheet splits on (`,`, `;`, tab) is quoted, with its quotes doubled. Quoting changes
 * no value: a CSV reader gives back the text as it was.
 */
export function quoteCsv(text: string, delimiter = ','): string {
  return NEEDS_QUOTES.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}
