import { UserError } from '../errors.js';
import { JsonSyntaxError, parseEntries, parseJson, type JsonEntries } from './json-text.js';
import { uniqueNames } from './names.js';
import type { RawItem, RawRecord } from './types.js';
import { DEFAULT_MAX_FIELD_MB, megabytes, tooLargeReason } from './limits.js';

/**
 * The bronze fields of an element or line, or undefined when it is valid JSON but not an object:
 * every value as text, nested objects flattened with dots. A key repeated in one object (JSON.parse would keep only the last) and a dotted key that a nested
 * key flattens onto (`"a.b"` beside `"a": {"b"}`) are renamed as repeated CSV header columns are.
 */
export function readObject(text: string): Pick<RawRecord, 'fields' | 'renamed' | 'json'> | undefined {
  const { value, quoted, keys } = parseJson(text);
  if (!isPlainObject(value)) return undefined;
  // Without a prototype, a key named `__proto__` or `constructor` is a field like any other.
  const fields: Record<string, string> = Object.create(null);
  if (flattenInto(value, '', fields) === keys || quoted === undefined) return { fields, json: value };
  const flat: [string, string][] = [];
  flattenEntries(parseEntries(quoted), '', flat);
  const { names, renamed } = uniqueNames(flat.map(([name]) => name));
  const unique: Record<string, string> = Object.create(null);
  names.forEach((name, i) => {
    unique[name] = flat[i][1];
  });
  return { fields: unique, renamed: renamed.map(({ from, to }) => ({ from, to })), json: value };
}

/** Flattens an object into `into`; returns how many keys it met, or -1 when two of them flatten to one name. */
function flattenInto(value: Record<string, unknown>, prefix: string, into: Record<string, string>): number {
  let keys = 0;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const name = prefix + key;
    keys++;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = flattenInto(v as Record<string, unknown>, `${name}.`, into);
      if (inner < 0) return -1;
      keys += inner;
      continue;
    }
    if (name in into) return -1;
    into[name] = v === null || v === undefined ? '' : typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
  }
  return keys;
}

function flattenEntries(entries: JsonEntries, prefix: string, into: [string, string][]): void {
  for (const [key, v] of entries) {
    const name = prefix + key;
    if (Array.isArray(v)) flattenEntries(v, `${name}.`, into);
    else into.push([name, v === null ? '' : String(v)]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON Lines: one object per line; a bad line is a row error, the others load. A line is
 * gathered in parts and joined once, and one over the limit is passed over to its end.
 */
export async function* readJsonl(chunks: AsyncIterable<string>, limit = megabytes(DEFAULT_MAX_FIELD_MB)): AsyncGenerator<RawItem> {
  let parts: string[] = [];
  /** UTF-8 bytes of the line so far, its parts dropped once it is over the limit. */
  let bytes = 0;
  let line = 0;
  const parseLine = (text: string): RawItem | undefined => {
    line++;
    if (text.trim() === '') return undefined;
    try {
      const record = readObject(text);
      if (!record) return { kind: 'error', line, code: 'not_object', reason: 'the line is not a JSON object', raw: text };
      return { kind: 'record', line, ...record };
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      return { kind: 'error', line, code: error.code, reason: `invalid JSON at column ${error.offset + 1}: ${error.message}`, raw: text };
    }
  };
  const add = (part: string) => {
    bytes += Buffer.byteLength(part);
    if (bytes <= limit) parts.push(part);
    else parts = [];
  };
  const endLine = (): RawItem | undefined => {
    const size = bytes;
    const text = parts.join('');
    parts = [];
    bytes = 0;
    if (size <= limit) return parseLine(text);
    line++;
    return { kind: 'error', line, code: 'row_too_large', reason: tooLargeReason('the line', size, limit) };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      add(chunk.slice(start, nl));
      const item = endLine();
      if (item) yield item;
      start = nl + 1;
    }
    if (start < chunk.length) add(chunk.slice(start));
  }
  if (bytes > 0) {
    const item = endLine();
    if (item) yield item;
  }
}

/**
 * A top-level JSON array of objects, streamed: the scanner finds where each
 * element ends (tracking strings and nesting) and parses one element at a time,
 * so the file is never held whole. A broken element is a row error; a broken
 * array structure stops the file with its position.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>, file: string, limit = megabytes(DEFAULT_MAX_FIELD_MB)): AsyncGenerator<RawItem> {
  let state: 'start' | 'between' | 'element' | 'scalar' | 'done' = 'start';
  let depth = 0;
  /** The element in hand is an array or a scalar: a row error, and the elements after it still load. */
  let notObject = false;
  let inString = false;
  let escaped = false;
  let element = '';
  /** UTF-8 bytes of the element so far; its text is dropped once it is over the limit. */
  let elementBytes = 0;
  const take = (part: string) => {
    elementBytes += Buffer.byteLength(part);
    element = elementBytes <= limit ? element + part : '';
  };
  const finish = (read: (text: string, at: Position) => RawItem): RawItem => {
    const size = elementBytes;
    const text = element;
    element = '';
    elementBytes = 0;
    return size <= limit ? read(text, start) : { kind: 'error', line: start.line, code: 'row_too_large', reason: tooLargeReason('the element', size, limit) };
  };
  let start: Position = { line: 1, column: 1, offset: 0 };
  let line = 1;
  let offset = 0;
  /** Offset of the first character of the current line. */
  let lineStart = 0;
  const here = (): Position => ({ line, column: offset - lineStart + 1, offset });
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const c = chunk[i];
      if (c === '\n') {
        line++;
        lineStart = offset + 1;
      }
      if (state === 'element' || state === 'scalar') {
        // Inside an element, a string's brackets, commas and escaped quotes are text.
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') {
          inString = true;
          continue;
        }
        if (state === 'element') {
          if (c === '{' || c === '[') depth++;
          else if (c === '}' || c === ']') {
            depth--;
            if (depth === 0) {
              take(chunk.slice(from, i + 1));
              yield finish(notObject ? notAnObject : parseElement);
              state = 'between';
            }
          }
          continue;
        }
        if (c !== ',' && c !== ']' && c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') continue;
        take(chunk.slice(from, i));
        yield finish(notAnObject);
        state = c === ']' ? 'done' : 'between';
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\t') continue;
      if (state === 'start') {
        if (c !== '[') throw notArray(file, here(), c === '{' ? 'an object' : `'${c}'`);
        state = 'between';
      } else if (state === 'between') {
        if (c === ',') continue;
        if (c === ']') {
          state = 'done';
          continue;
        }
        notObject = c !== '{';
        from = i;
        start = here();
        if (c === '{' || c === '[') {
          state = 'element';
          depth = 1;
        } else {
          state = 'scalar';
          inString = c === '"';
        }
      } else if (state === 'done') {
        throw new UserError('json_trailing', `${file}: ${where(here())}: unexpected text after the closing ']'`);
      }
    }
    if (state === 'element' || state === 'scalar') take(chunk.slice(from));
  }
  if (state === 'start') throw new UserError('empty_file', `${file}: the file is empty: expected a JSON array of product objects`);
  if ((state as string) !== 'done') {
    const inside = state === 'element' ? `; the element that starts on line ${start.line} is not complete` : '';
    throw new UserError(
      'json_truncated',
      `${file}: ${where(here())}: the file ends before the JSON array is closed${inside}; the elements before it were loaded`,
    );
  }
}

interface Position {
  line: number;
  /** 1-based. */
  column: number;
  /** 0-based, in characters from the start of the file. */
  offset: number;
}

function where(p: Position): string {
  return `line ${p.line}, column ${p.column} (character ${p.offset})`;
}

/** Where `offset` characters into an element that starts at `start` lies in the file. */
function positionIn(text: string, start: Position, offset: number): Position {
  let line = start.line;
  let lineStart = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i;
  }
  const column = lineStart === -1 ? start.column + offset : offset - lineStart;
  return { line, column, offset: start.offset + offset };
}

function parseElement(text: string, start: Position): RawItem {
  try {
    return { kind: 'record', line: start.line, ...readObject(text)! };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return {
      kind: 'error',
      line: start.line,
      code: error.code,
      reason: `invalid JSON at ${where(positionIn(text, start, error.offset))}: ${error.message}`,
      raw: text,
    };
  }
}

function notAnObject(text: string, start: Position): RawItem {
  const found = text.startsWith('[') ? 'an array' : text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return { kind: 'error', line: start.line, code: 'not_object', reason: `the element is not a JSON object (found ${found})`, raw: text };
}

function notArray(file: string, at: Position, found: string): UserError {
  return new UserError(
    'json_not_array',
    `${file}: ${where(at)}: expected a JSON array of product objects, found ${found}: wrap the products in [ ... ], or use JSON Lines (.jsonl)`,
  );
}
