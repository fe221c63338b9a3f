import { SaxesParser, type SaxesTagNS } from 'saxes';
import { UserError } from '../errors.js';
import type { RawItem } from './types.js';

/** Merchant Center's namespace: its attributes are named `g:NAME` whatever prefix the feed gives it. */
const GOOGLE_NS = 'http://base.google.com/ns/1.0';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** Namespaces whose elements keep their bare name, as RSS's own (no namespace) do. */
const PLAIN_NS = new Set(['', ATOM_NS]);
const KNOWN_PREFIXES = new Map([
  [GOOGLE_NS, 'g'],
  ['http://base.google.com/cns/1.0', 'c'],
]);

interface Open {
  name: string;
  /** The dotted name under the item. */
  full: string;
  /** The dotted name of the group it is in, if any. */
  group?: string;
  text: string;
  hasChildren?: boolean;
  /** The attribute a value-less element carries its value in (Atom's `<link href>`). */
  href?: string;
}

interface ItemState {
  line: number;
  column: number;
  depth: number;
  path: Open[];
  values: Map<string, string[]>;
  /** How many times each group (an element holding elements) has closed, to keep repeated groups' lists aligned. */
  groups: Map<string, number>;
  /** The group each field is in. */
  groupOf: Map<string, string>;
}

/**
 * Streams a Merchant Center feed, RSS 2.0 (`rss > channel > item`) or Atom 1.0 (`feed > entry`),
 * one record per item: child elements by name (`g:` by namespace URI, not prefix), nested
 * elements flattened with dots (`g:shipping.country`), repeated ones as a JSON list.
 * Only the current item is ever held; a syntax error stops the feed where it is, after the items before it.
 */
export async function* readXmlFeed(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawItem> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const out: RawItem[] = [];
  let depth = 0;
  let root: string | undefined;
  let item: ItemState | undefined;
  let failure: Error | undefined;
  let tagLine = 1;
  let tagColumn = 1;

  // Fired once the tag's name is read: the tag starts that name and its `<` before here.
  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    depth++;
    const t = tag as SaxesTagNS;
    if (root === undefined) {
      root = t.local;
      if (!isFeedRoot(t)) throw notAFeed(file, t.name);
      return;
    }
    if (!item) {
      if ((t.local === 'item' && t.uri === '') || (t.local === 'entry' && PLAIN_NS.has(t.uri))) {
        item = { line: tagLine, column: tagColumn, depth, path: [], values: new Map(), groups: new Map(), groupOf: new Map() };
      }
      return;
    }
    const href = t.attributes.href;
    const name = nameOf(t);
    const parent = item.path.at(-1);
    if (parent) parent.hasChildren = true;
    const full = parent ? `${parent.full}.${local(parent.name, name)}` : name;
    item.path.push({ name, full, group: parent?.full, text: '', href: typeof href === 'object' ? href.value : undefined });
  });
  const onText = (text: string) => {
    const top = item?.path.at(-1);
    if (top) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    // saxes goes on after an error; what follows it is not trusted.
    if (failure) return;
    if (item && depth === item.depth) {
      out.push(toRecord(item));
      item = undefined;
    } else if (item) {
      const closed = item.path.pop()!;
      // An element that holds elements is a group: its text between the children is only layout.
      if (closed.hasChildren) item.groups.set(closed.full, (item.groups.get(closed.full) ?? 0) + 1);
      else add(item, closed, closed.text.trim() || closed.href || '');
    }
    depth--;
  });
  parser.on('error', (error) => {
    // HTML entities (&nbsp;, &eacute;) are common in feeds written by hand: saxes keeps them as written, and so does bronze.
    if (/undefined entity/.test(error.message)) return;
    failure ??= error;
  });

  const flush = function* () {
    yield* out;
    out.length = 0;
  };
  try {
    for await (const chunk of chunks) {
      parser.write(chunk);
      yield* flush();
      if (failure) break;
    }
    if (!failure) parser.close();
  } catch (error) {
    if (error instanceof UserError) throw error;
    failure ??= error as Error;
  }
  yield* flush();
  if (failure) throw syntaxError(file, failure, root === undefined);
  if (root === undefined) throw new UserError('not_a_feed', `${file}: no XML element found: expected an RSS 2.0 or Atom feed`);
}

function isFeedRoot(tag: SaxesTagNS): boolean {
  return (tag.local === 'rss' && tag.uri === '') || (tag.local === 'feed' && PLAIN_NS.has(tag.uri));
}

function notAFeed(file: string, root: string): UserError {
  if (root.toLowerCase() === 'html') {
    return new UserError('not_a_feed', `${file}: this is an HTML page, not a product feed (a server's error or login page?): check the feed's address`);
  }
  return new UserError(
    'not_a_feed',
    `${file}: the root element is <${root}>, not a feed: assay reads RSS 2.0 (<rss><channel><item>) and Atom 1.0 (<feed><entry>) product feeds`,
  );
}

function syntaxError(file: string, error: Error, beforeRoot: boolean): UserError {
  // saxes writes "file:line:column: message"; its positions are the ones the user needs.
  const match = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(error.message);
  const where = match ? `line ${match[1]}, column ${match[2]}` : 'at the end';
  const what = match ? match[3] : error.message;
  const cut = /unclosed|end of|premature/i.test(what);
  const hint = beforeRoot
    ? 'check that the file is an XML feed'
    : cut
      ? 'the feed looks cut off: the items before this point were loaded; fetch it whole and load it again'
      : 'the items before this point were loaded; fix the feed and load it again';
  return new UserError('xml_syntax', `${file} ${where}: invalid XML (${what}): ${hint}`);
}

function nameOf(tag: SaxesTagNS): string {
  if (PLAIN_NS.has(tag.uri)) return tag.local;
  const prefix = KNOWN_PREFIXES.get(tag.uri) ?? tag.prefix;
  return prefix ? `${prefix}:${tag.local}` : tag.local;
}

/** A child in its parent's namespace drops the prefix: `g:shipping` > `g:country` is `g:shipping.country`. */
function local(parent: string, child: string): string {
  const prefix = /^[^:]+:/.exec(parent)?.[0];
  return prefix && child.startsWith(prefix) ? child.slice(prefix.length) : child;
}

/**
 * Adds a value to its field's list. In a repeated group (two `g:shipping`), a field the n-th
 * occurrence lacks is an empty entry, so `g:shipping.country[i]` and `g:shipping.service[i]` stay one block.
 */
function add(item: ItemState, element: Open, value: string): void {
  let list = item.values.get(element.full);
  if (!list) {
    list = [];
    item.values.set(element.full, list);
  }
  if (element.group !== undefined) {
    item.groupOf.set(element.full, element.group);
    while (list.length < (item.groups.get(element.group) ?? 0)) list.push('');
  }
  list.push(value);
}

function toRecord(item: ItemState): RawItem {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, list] of item.values) {
    const group = item.groupOf.get(name);
    if (group !== undefined) while (list.length < (item.groups.get(group) ?? 0)) list.push('');
    fields[name] = list.length === 1 ? list[0] : JSON.stringify(list);
  }
  return { kind: 'record', line: item.line, column: item.column, fields };
}

const DECLARED = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/** The encoding an XML declaration names, read from the first bytes (ASCII in every encoding assay reads). */
export function declaredEncoding(head: Uint8Array): string | undefined {
  const text = Buffer.from(head.subarray(0, 200)).toString('latin1');
  return DECLARED.exec(text)?.[1];
}
