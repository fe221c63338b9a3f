import type { RuleIssue } from './text.js';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
// A scheme-less URL must look like one: `www.` first, or a host with a letter TLD and a path
// (`cdn.shop.com/a.jpg`), so a bare file name such as `a.jpg` is not mistaken for a host.
const HOST_FIRST = /^(?:www\.[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d+)?(?:[/?#]|$)|[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,63}(?::\d+)?[/?#])/iu;
const SPACES = /[ \u00a0]/g;
// Already in the form the WHATWG parser would print (lower-case ASCII host, no default port,
// nothing to percent-encode, no dot segments): skip the parser, which costs more than the test.
const CANONICAL = /^https?:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]*\/[\w\-.~!$&()*+,;=:@%/?#]*$/;
const DOT_SEGMENT = /\/\.|%2e/i;
const WHITESPACE_INSIDE = /[\t\n\r]/g;
// List separators: pipe or newline anywhere; comma or whitespace only before a new URL,
// since commas are legal inside URLs (`/w_300,h_200/`) and spaces may be unencoded.
const LIST_SEPARATOR = /\s*[|\n\r]\s*|\s*,\s*(?=[a-z][a-z0-9+.-]*:|\/\/|www\.)|\s+(?=[a-z][a-z0-9+.-]*:\/\/|\/\/|www\.)/i;

export interface NormalizedUrl {
  url?: string;
  issue?: RuleIssue;
}

/**
 * Make a URL absolute and well-formed: `//cdn.x/a.jpg` gets `https:`, `www.x.com/a.jpg`
 * gets `https://`, spaces are encoded, the host is lower-cased (WHATWG serialization).
 * Other schemes are `bad_scheme`; relative paths and unparseable text are `bad_syntax`.
 */
export function normalizeUrl(text: string): NormalizedUrl {
  if (CANONICAL.test(text) && !DOT_SEGMENT.test(text)) return { url: text };
  let candidate = text.trim().replace(WHITESPACE_INSIDE, '');
  if (candidate.length === 0) return issue('bad_syntax', 'empty URL');
  if (candidate.startsWith('//')) candidate = `https:${candidate}`;
  const scheme = SCHEME.exec(candidate)?.[1].toLowerCase();
  if (scheme === undefined || (scheme !== 'http' && scheme !== 'https' && HOST_FIRST.test(candidate))) {
    if (!HOST_FIRST.test(candidate)) return issue('bad_syntax', `not an absolute URL: '${candidate}'`);
    candidate = `https://${candidate}`;
  } else if (scheme !== 'http' && scheme !== 'https') {
    return issue('bad_scheme', `only http and https URLs are allowed, not '${scheme}:'`);
  }
  let parsed: URL;
  try {
    parsed = new URL(candidate.replace(SPACES, '%20'));
  } catch {
    return issue('bad_syntax', `not a valid URL: '${candidate}'`);
  }
  if (parsed.hostname.length === 0) return issue('bad_syntax', `URL has no host: '${candidate}'`);
  return { url: parsed.href };
}

/**
 * Split a list cell into URL texts: a JSON array of strings, or URLs separated by pipes,
 * newlines, commas or whitespace. Order is kept; empty items are dropped.
 */
export function splitUrlList(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.length === 0) return [];
  if (trimmed.startsWith('[')) {
    const items = parseJsonArray(trimmed);
    if (items !== undefined) return items;
  }
  return trimmed.split(LIST_SEPARATOR).filter((item) => item.length > 0);
}

/** Normalize every URL of one or more list cells; order kept, duplicates dropped, problems reported. */
export function normalizeUrlList(cells: readonly string[]): { urls: string[]; issues: RuleIssue[] } {
  const urls: string[] = [];
  const issues: RuleIssue[] = [];
  for (const cell of cells) {
    for (const item of splitUrlList(cell)) {
      const result = normalizeUrl(item);
      if (result.url === undefined) issues.push(result.issue!);
      else if (!urls.includes(result.url)) urls.push(result.url);
    }
  }
  return { urls, issues };
}

function parseJsonArray(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return undefined;
    const items: string[] = [];
    for (const item of value) if (typeof item === 'string' && item.trim().length > 0) items.push(item.trim());
    return items;
  } catch {
    return undefined;
  }
}

function issue(code: 'bad_syntax' | 'bad_scheme', message: string): NormalizedUrl {
  return { issue: { code, message } };
}
