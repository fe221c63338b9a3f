import { decodeHTML } from 'entities';
import { cleanMultiline } from './text.js';

const MAY_HOLD_MARKUP = /[<&]/;
const HIDDEN_BLOCKS = /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template|head)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const BREAKING_TAGS =
  /<\/?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|section|article|header|footer|aside|nav|blockquote|pre|hr|figure|figcaption|address|main)\b[^>]*>/gi;
const CELL_TAGS = /<\/?t[dh]\b[^>]*>/gi;
const OTHER_TAGS = /<\/?[a-z][^>]*>|<[!?][^>]*>/gi;
/**
 * Decodes character references the way a browser does (the WHATWG HTML list of named references,
 * decimal and hexadecimal ones, and the legacy forms without `;` such as `&#41` at the end of a
 * title), with the `entities` library; an unknown name stays as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return decodeHTML(text);
}

/**
 * HTML to plain text: hidden blocks (script, style, comments) dropped with their contents,
 * block tags (`br`, `p`, `div`, `li`, headings, rows...) become line breaks, other tags go,
 * entities are decoded, then whitespace collapses. Single line breaks are kept (paragraphs
 * and list items stay readable); blank lines and runs of spaces collapse.
 * Regex passes only: it runs on every description of a catalog.
 */
export function htmlToText(html: string): string {
  if (!MAY_HOLD_MARKUP.test(html)) return cleanMultiline(html);
  let text = html;
  if (text.includes('<')) {
    text = text.replace(HIDDEN_BLOCKS, ' ').replace(BREAKING_TAGS, '\n').replace(CELL_TAGS, ' ').replace(OTHER_TAGS, '');
  }
  return cleanMultiline(decodeEntities(text));
}
