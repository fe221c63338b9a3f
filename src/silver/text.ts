import type { FieldIssue } from './product.js';

/** A problem one rule found in one value; the caller adds the field name. */
export type RuleIssue = Pick<FieldIssue, 'code' | 'message'>;

// C0/C1 controls and invisible format characters (zero-width space, word joiner, BOM).
// Tab, newline and carriage return are whitespace and handled by the collapsing passes.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u2060\ufeff]+/g;
const HAS_INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u2060\ufeff]/;
// Whitespace runs other than a lone plain space: replacing only these keeps long texts fast.
const ANY_SPACE_RUN = /[^\S ]\s*| \s+/g;
const NEEDS_COLLAPSE = /\s\s|[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const INLINE_SPACE_RUN = /[^\S\n ][^\S\n]*| [^\S\n]+/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;
const BLANK_LINES = /\n(?:[^\S\n]*\n)+/g;
const SPACE_AROUND_BREAK = / \n ?|\n /g;
const VISIBLE = /[^\s\u0000-\u001f\u007f-\u009f\u200b\u2060\ufeff]/;

/** Remove control and zero-width characters (keeps tab, newline, carriage return). */
export function removeControlChars(value: string): string {
  return HAS_INVISIBLE.test(value) ? value.replace(INVISIBLE, '') : value;
}

/** Single-line text: controls removed, every whitespace run (newlines too) made one space, trimmed. */
export function cleanText(value: string): string {
  const visible = removeControlChars(value);
  const collapsed = NEEDS_COLLAPSE.test(visible) ? visible.replace(ANY_SPACE_RUN, ' ') : visible;
  return collapsed.trim();
}

/**
 * Multi-line text: like cleanText, but line breaks survive; blank lines and
 * spaces around a break collapse, so paragraphs become single line breaks.
 */
export function cleanMultiline(value: string): string {
  return removeControlChars(value)
    .replace(LINE_BREAKS, '\n')
    .replace(INLINE_SPACE_RUN, ' ')
    .replace(BLANK_LINES, '\n')
    .replace(SPACE_AROUND_BREAK, '\n')
    .trim();
}

/** True when the value holds nothing but whitespace and control characters. */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || !VISIBLE.test(value);
}
