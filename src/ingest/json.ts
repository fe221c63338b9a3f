import { UserError } from '../errors.js';
import type { RawItem } from './types.js';

/** Turns a parsed JSON value into bronze fields: every value as text, nested objects flattened with dots. */
export function toFields(value: Record<string, unknown>, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix + key;
    if (v === null || v === undefined) into[name] = '';
    else if (typeof v === 'string') into[name] = v;
    else if (typeof v === 'object' && !Array.isArray(v)) toFields(v as Record<string, unknown>, `${name}.`, into);
    else if (Array.isArray(v)) into[name] = JSON.stringify(v);
    else into[name] = String(v);
  }
  return into;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON Lines: one object per line; a bad line is a row error, the others load. */
export async function* readJsonl(chunks: AsyncIterable<string>): AsyncGenerator<RawItem> {
  let rest = '';
  let line = 0;
  const parseLine = (text: string): RawItem | undefined => {
    line++;
    if (text.trim() === '') return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      if (!isPlainObject(value)) return { kind: 'error', line, code: 'not_object', reason: 'the line is not a JSON object', raw: text };
      return { kind: 'record', line, fields: toFields(value) };
    } catch (error) {
      return { kind: 'error', line, code: 'bad_json', reason: `invalid JSON: ${(error as Error).message}`, raw: text };
    }
  };
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const item = parseLine(text.slice(start, nl));
      if (item) yield item;
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest) {
    const item = parseLine(rest);
    if (item) yield item;
  }
}

/**
 * A top-level JSON array of objects, streamed: the scanner finds where each
 * element ends (tracking strings and nesting) and parses one element at a time,
 * so the file is never held whole. A broken element is a row error; a broken
 * array structure stops the file with its position.
 */
export async function* readJsonArray(chunks: AsyncIterable<string>, file: string): AsyncGenerator<RawItem> {
  let state: 'start' | 'between' | 'element' | 'done' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = '';
  let elementLine = 1;
  let line = 1;
  let offset = 0;
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const c = chunk[i];
      if (c === '\n') line++;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            element += chunk.slice(from, i + 1);
            yield parseElement(element, elementLine);
            element = '';
            state = 'between';
          }
        }
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\t') continue;
      if (state === 'start') {
        if (c !== '[') throw notArray(file, line, offset, c === '{' ? 'an object' : `'${c}'`);
        state = 'between';
      } else if (state === 'between') {
        if (c === ',') continue;
        if (c === ']') {
          state = 'done';
          continue;
        }
        if (c !== '{') throw new UserError('json_not_objects', `${file}: line ${line} (character ${offset}): expected an object in the array, found '${c}': each element must be a product object`);
        state = 'element';
        depth = 1;
        from = i;
        elementLine = line;
      } else if (state === 'done') {
        throw new UserError('json_trailing', `${file}: line ${line} (character ${offset}): unexpected text after the closing ']'`);
      }
    }
    if (state === 'element') element += chunk.slice(from);
  }
  if (state === 'start') throw new UserError('empty_file', `${file}: the file is empty: expected a JSON array of product objects`);
  if ((state as string) !== 'done') {
    throw new UserError('json_truncated', `${file}: line ${line} (character ${offset}): the JSON array is not closed; rows before this point were read`);
  }
}

function parseElement(text: string, line: number): RawItem {
  try {
    return { kind: 'record', line, fields: toFields(JSON.parse(text) as Record<string, unknown>) };
  } catch (error) {
    return { kind: 'error', line, code: 'bad_json', reason: `invalid JSON: ${(error as Error).message}`, raw: text };
  }
}

function notArray(file: string, line: number, offset: number, found: string): UserError {
  return new UserError('json_not_array', `${file}: line ${line} (character ${offset}): expected a JSON array of product objects, found ${found}: wrap the products in [ ... ], or use JSON Lines (.jsonl)`);
}
