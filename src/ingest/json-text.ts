/** A JSON text that does not parse (or nests too deep to read): where (0-based character offset into the text) and why. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly code: 'bad_json' | 'too_deep' = 'bad_json',
  ) {
    super(message);
  }
}

/** Deeper values would overflow the stack of the recursive steps (flattening, locating errors); no catalog needs them. */
export const MAX_DEPTH = 64;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_CHAR = /[\d.eE+-]/;

/**
 * Parses one JSON value with its numbers and arrays as their source text: bronze keeps
 * values as written, and a double would turn `1e309` into Infinity, `-0` into 0,
 * `1.50` into 1.5 and a 20-digit id into its nearest double. Errors are located by
 * our own scan, so the message and position do not depend on the Node version.
 */
export function parseJsonText(text: string): unknown {
  return parseJson(text).value;
}

export interface ParsedJson {
  value: unknown;
  /** The text with numbers and arrays quoted (see quoteNumbers), for parseEntries. */
  quoted?: string;
  /** How many keys the text writes outside arrays, repeated ones included: more than the value holds when a key repeats. */
  keys?: number;
}

/** parseJsonText, with what it takes to notice a repeated key, which JSON.parse drops silently. */
export function parseJson(text: string): ParsedJson {
  const deep = tooDeepAt(text);
  if (deep !== undefined) throw new JsonSyntaxError(deep, `objects and arrays nest more than ${MAX_DEPTH} levels deep`, 'too_deep');
  const quoted = quote(text);
  if (quoted !== undefined) {
    try {
      return { value: JSON.parse(quoted.text) as unknown, quoted: quoted.text, keys: quoted.keys };
    } catch {
      // The original text has the error; locate it there.
    }
  }
  const error = locateJsonError(text);
  if (error) throw error;
  return { value: JSON.parse(text) as unknown };
}

/** The text with every number and array outside strings turned into a string of its source (arrays without spaces). */
export function quoteNumbers(text: string): string | undefined {
  return quote(text)?.text;
}

function quote(text: string): { text: string; keys: number } | undefined {
  let out = '';
  let from = 0;
  let keys = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end === -1) return undefined;
      i = end;
    } else if (c === ':') keys++;
    else if (c === '[') {
      const end = arrayEnd(text, i);
      if (end === -1) return undefined;
      out += text.slice(from, i) + JSON.stringify(minify(text.slice(i, end + 1)));
      i = end;
      from = end + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      const token = text.slice(i, end);
      if (!NUMBER.test(token)) return undefined;
      out += `${text.slice(from, i)}"${token}"`;
      i = end - 1;
      from = end;
    }
  }
  return { text: out + text.slice(from), keys };
}

/** An object's members in the order written, a repeated key kept each time. */
export type JsonEntries = Array<[key: string, value: string | boolean | null | JsonEntries]>;

/** The members of an object given as valid quoted text (numbers and arrays are strings there). */
export function parseEntries(quoted: string): JsonEntries {
  let i = 0;
  const ws = () => {
    while (quoted[i] === ' ' || quoted[i] === '\n' || quoted[i] === '\t' || quoted[i] === '\r') i++;
  };
  const string = (): string => {
    const end = stringEnd(quoted, i);
    const value = JSON.parse(quoted.slice(i, end + 1)) as string;
    i = end + 1;
    return value;
  };
  const value = (): string | boolean | null | JsonEntries => {
    ws();
    const c = quoted[i];
    if (c === '"') return string();
    if (c === '{') return object();
    const word = quoted.startsWith('true', i) ? 'true' : quoted.startsWith('false', i) ? 'false' : 'null';
    i += word.length;
    return word === 'null' ? null : word === 'true';
  };
  const object = (): JsonEntries => {
    const entries: JsonEntries = [];
    i++;
    for (;;) {
      ws();
      if (quoted[i] === '}') {
        i++;
        return entries;
      }
      if (quoted[i] === ',') i++;
      ws();
      const key = string();
      ws();
      i++;
      entries.push([key, value()]);
    }
  };
  ws();
  return object();
}

/** Where the text first opens its MAX_DEPTH + 1st level of nesting, if it does. */
function tooDeepAt(text: string): number | undefined {
  // Most records open a handful of objects and arrays: count them first, scan only when there are many.
  let opens = 0;
  for (let i = text.indexOf('{'); i !== -1 && opens <= MAX_DEPTH; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i !== -1 && opens <= MAX_DEPTH; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= MAX_DEPTH) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      if (i === -1) return undefined;
    } else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === '}' || c === ']') depth--;
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function arrayEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i);
      if (i === -1) return -1;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function minify(json: string): string {
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      out += json.slice(i, end + 1);
      i = end;
    } else if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') out += c;
  }
  return out;
}

/** The first syntax error of a JSON text, by a scan of RFC 8259's grammar; undefined when the text is valid. */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(at, message);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const expect = (char: string, message: string) => {
    ws();
    if (i >= text.length) fail('the text ends too early');
    if (text[i] !== char) fail(message);
    i++;
  };
  const string = () => {
    const start = i++;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\n') fail('a line break inside a string: write it as \\n');
      if (c < ' ') fail('a control character inside a string');
      if (c === '\\') {
        const e = text[++i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a \\u escape needs 4 hex digits');
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`an unknown escape '\\${e ?? ''}' in a string`, i - 1);
      }
    }
    fail('a string that never closes', start);
  };
  const value = (): void => {
    ws();
    if (i >= text.length) fail('the text ends where a value should be');
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i >= text.length ? 'the text ends inside an object' : 'expected a property name in double quotes');
        string();
        expect(':', "expected ':' after the property name");
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(i >= text.length ? 'the text ends inside an object' : "expected ',' or '}' after a property value");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(i >= text.length ? 'the text ends inside an array' : "expected ',' or ']' after an array element");
      }
    }
    if (c === '"') return string();
    const bare = /^-?(NaN|Infinity|undefined)/.exec(text.slice(i, i + 10));
    if (bare) fail(`${bare[0]} is not a JSON value: write null or a string`);
    if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      if (!NUMBER.test(text.slice(i, end))) fail(`'${text.slice(i, end)}' is not a JSON number`);
      i = end;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`unexpected '${c}' where a value should be`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail('unexpected text after the value');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
}
