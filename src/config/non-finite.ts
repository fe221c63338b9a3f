/**
 * JSON.parse reads a number too large for a double (`1e400`) as Infinity, which then prints as
 * `null`. Such numbers are kept as written instead, so a problem can name the value the file holds.
 */
export class NonFiniteNumber {
  constructor(readonly written: string) {}
}

const MARK = '\u0000assay-non-finite:';
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON text with every number literal that overflows a double turned into a marked string. */
export function markNonFinite(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0];
      if (!literal) continue;
      if (!Number.isFinite(Number(literal))) {
        out += text.slice(from, i) + JSON.stringify(MARK + literal);
        from = i + literal.length;
      }
      i += literal.length - 1;
    }
  }
  return out + text.slice(from);
}

/** A JSON.parse reviver that turns the marked strings back into NonFiniteNumber. */
export function reviveNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(MARK) ? new NonFiniteNumber(value.slice(MARK.length)) : value;
}
