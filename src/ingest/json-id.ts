import { findColumn, ID_COLUMNS } from './columns.js';

/**
 * Whether the JSON record holds an object under the flattened column `name` (`a.b` is
 * {"a": {"b": ...}}, or a key with a dot in it), which toFields spread into other columns.
 */
export function isObjectAt(json: Record<string, unknown>, name: string): boolean {
  if (Object.hasOwn(json, name)) return isObject(json[name]);
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
    const head = name.slice(0, dot);
    const inner = Object.hasOwn(json, head) ? json[head] : undefined;
    if (isObject(inner) && isObjectAt(inner, name.slice(dot + 1))) return true;
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id key a JSON record would have had, had its value not been an object. */
export function objectIdKey(json: Record<string, unknown>, wanted: string | undefined): string | undefined {
  if (wanted) return isObjectAt(json, wanted) ? wanted : undefined;
  return findColumn(
    Object.keys(json).filter((key) => isObject(json[key])),
    ID_COLUMNS,
  );
}

export function objectIdReason(key: string): string {
  return `the id (key '${key}') is an object: it must be a string or a number`;
}
