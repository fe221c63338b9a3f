import { cleanText } from './text.js';

const CATEGORY_SEPARATOR = ' > ';

const STRONG_SEPARATORS = /\s*(?:>|&gt;|\||»|\\)\s*/;
const HAS_STRONG_SEPARATOR = /[>|»\\]|&gt;/;
const SLASH = /\s*\/\s*/;
const HAS_CONTENT = /[\p{L}\p{N}]/u;

/**
 * Split a category cell into trimmed levels, dropping levels without a letter or digit.
 * `>`, `|`, `»` and `\` always separate.
 * `/` separates only when none of those occurs: `Clothing > T-Shirts/Tops` keeps the level
 * `T-Shirts/Tops`, while `Clothing/Shirts` (a path written with slashes) splits.
 */
export function splitCategoryPath(text: string): string[] {
  const cleaned = cleanText(text);
  if (cleaned.length === 0) return [];
  const levels = cleaned.split(HAS_STRONG_SEPARATOR.test(cleaned) ? STRONG_SEPARATORS : SLASH);
  const kept: string[] = [];
  for (const level of levels) {
    const trimmed = level.trim();
    if (HAS_CONTENT.test(trimmed)) kept.push(trimmed);
  }
  return kept;
}

/** The category path with levels joined by ` > `, or undefined when no level is left. */
export function normalizeCategoryPath(text: string): string | undefined {
  const levels = splitCategoryPath(text);
  return levels.length > 0 ? levels.join(CATEGORY_SEPARATOR) : undefined;
}

/** Number of levels of a category path (0 for an empty one). */
export function categoryDepth(path: string | undefined): number {
  return path === undefined ? 0 : splitCategoryPath(path).length;
}

// WooCommerce writes a comma inside a category name as `\,` and separates paths with `,`.
const UNESCAPED_COMMA = /(?<!\\),/;
const ESCAPED_COMMA = /\\,/g;

/** The first of several comma-separated category paths (WooCommerce `Categories`). */
export function firstCategoryPath(text: string): string {
  const first = text.split(UNESCAPED_COMMA, 1)[0];
  return first.includes('\\,') ? first.replace(ESCAPED_COMMA, ',') : first;
}
