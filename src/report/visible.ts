/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts cursor moves, screen
 * clears, window titles and links; BEL, BS and CR rewrite what is shown), DEL, C1 controls (U+009B
 * is a CSI of its own), the bidi controls that reorder a line, and the line and paragraph separators.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (char: string) => {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * A value from the catalog, a file or the command line as people read it on a terminal: every
 * control character written as a `\x1b` or `\u202e` escape, so data can never move the cursor,
 * clear the screen, set a title or reorder a line. Every renderer prints data through this;
 * JSON output is left exact.
 */
export function visible(value: string | number | null | undefined): string {
  return (value == null ? '' : String(value)).replace(CONTROL, escapeChar);
}

/** A message of several lines, each made visible; its own line breaks are kept. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
