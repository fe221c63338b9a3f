import { cleanMultiline } from './text.js';

const MAY_HOLD_MARKUP = /[<&]/;
const HIDDEN_BLOCKS = /<!--[\s\S]*?(?:-->|$)|<(script|style|noscript|template|head)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const BREAKING_TAGS =
  /<\/?(?:br|p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|thead|tbody|section|article|header|footer|aside|nav|blockquote|pre|hr|figure|figcaption|address|main)\b[^>]*>/gi;
const CELL_TAGS = /<\/?t[dh]\b[^>]*>/gi;
const OTHER_TAGS = /<\/?[a-z][^>]*>|<[!?][^>]*>/gi;
// HTML reads a numeric reference without its `;` too (`&#41` at the end of a title).
const ENTITY = /&(?:#(\d{1,7});?|#[xX]([0-9a-fA-F]{1,6});?|([a-zA-Z][a-zA-Z0-9]{1,31});)/g;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”',
  bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·',
  trade: '™', reg: '®', copy: '©', deg: '°', times: '×', divide: '÷', plusmn: '±', micro: 'µ',
  euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', frac12: '½', frac14: '¼',
  frac34: '¾', sup2: '²', sup3: '³', iexcl: '¡', iquest: '¿', shy: '', zwj: '\u200d', zwnj: '',
  prime: '′', Prime: '″', dagger: '†', larr: '←', rarr: '→', uarr: '↑', darr: '↓', hearts: '♥',
  check: '✓', star: '☆', ordm: 'º', ordf: 'ª', acute: '´', uml: '¨', szlig: 'ß',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ',
  ccedil: 'ç', egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í',
  icirc: 'î', iuml: 'ï', ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ',
  ouml: 'ö', oslash: 'ø', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý',
  yuml: 'ÿ', Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å',
  AElig: 'Æ', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Iacute: 'Í',
  Ntilde: 'Ñ', Oacute: 'Ó', Ocirc: 'Ô', Ouml: 'Ö', Oslash: 'Ø', Uacute: 'Ú', Uuml: 'Ü',
  oelig: 'œ', OElig: 'Œ', scaron: 'š', Scaron: 'Š',
};

/** Decode named (common ones), decimal and hexadecimal character references; unknown names stay. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, decodeEntity);
}

// Own names only: `&constructor;` or `&toString;` is text, not one of Object's members.
function namedEntity(name: string): string | undefined {
  return Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined;
}

function decodeEntity(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) return namedEntity(name) ?? namedEntity(name.toLowerCase()) ?? match;
  const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex!, 16);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return code === 0xa0 ? ' ' : String.fromCodePoint(code);
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
    text = text
      .replace(HIDDEN_BLOCKS, ' ')
      .replace(BREAKING_TAGS, '\n')
      .replace(CELL_TAGS, ' ')
      .replace(OTHER_TAGS, '');
  }
  return cleanMultiline(decodeEntities(text));
}
