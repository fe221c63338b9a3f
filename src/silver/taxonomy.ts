/** Google's product taxonomy (`id - A > B > C`, one category a line) as a lookup by path. */

const MAX_TAXONOMY_DEPTH = 7;

export interface TaxonomyEntry {
  id: string;
  /** The path as the file writes it. */
  path: string;
}

export interface TaxonomyIssue {
  line: number;
  code: 'taxonomy_line_malformed' | 'taxonomy_too_deep' | 'taxonomy_duplicate_path';
  message: string;
}

export interface Taxonomy {
  /** Entries by category key (see `categoryKey`). */
  byKey: Map<string, TaxonomyEntry>;
  issues: TaxonomyIssue[];
}

/** Splits a path on `>`; levels trimmed, inner spacing collapsed, empty levels dropped. */
function pathLevels(path: string): string[] {
  return path
    .split('>')
    .map((level) => level.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The display form of a path: levels joined by ` > `. */
export function formatPath(path: string): string {
  return pathLevels(path).join(' > ');
}

/** Compares paths without regard to case, accents or spacing: `Home>Garden ` ≡ `home > garden`. */
export function categoryKey(path: string): string {
  return pathLevels(
    path
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase(),
  ).join('>');
}

const LINE = /^(\d+)\s+-\s+(.+)$/;

/**
 * Parses the taxonomy file. Lines starting with `#` are comments and blank lines are skipped;
 * commas belong to names (`Hats, Caps & Visors`). Bad lines are reported, not fatal.
 */
export function parseTaxonomy(text: string): Taxonomy {
  const byKey = new Map<string, TaxonomyEntry>();
  const issues: TaxonomyIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const match = LINE.exec(content);
    const levels = match ? pathLevels(match[2]) : [];
    if (!match || levels.length === 0) {
      issues.push({ line, code: 'taxonomy_line_malformed', message: `line ${line}: expected 'id - A > B > C'` });
      return;
    }
    if (levels.length > MAX_TAXONOMY_DEPTH) {
      issues.push({
        line,
        code: 'taxonomy_too_deep',
        message: `line ${line}: ${levels.length} levels, at most ${MAX_TAXONOMY_DEPTH} expected`,
      });
      return;
    }
    const key = categoryKey(match[2]);
    if (byKey.has(key)) {
      issues.push({ line, code: 'taxonomy_duplicate_path', message: `line ${line}: path already listed; the first id is kept` });
      return;
    }
    byKey.set(key, { id: match[1], path: levels.join(' > ') });
  });
  return { byKey, issues };
}

export function lookupTaxonomyId(taxonomy: Taxonomy | undefined, path: string): string | undefined {
  return taxonomy?.byKey.get(categoryKey(path))?.id;
}

const PATHS_BY_ID = new WeakMap<Taxonomy, Map<string, string>>();

/** The path of a taxonomy id (`276` → `Electronics > ...`), or undefined when the file lacks it. */
export function lookupTaxonomyPath(taxonomy: Taxonomy | undefined, id: string): string | undefined {
  if (taxonomy === undefined) return undefined;
  let byId = PATHS_BY_ID.get(taxonomy);
  if (byId === undefined) {
    byId = new Map([...taxonomy.byKey.values()].map((entry) => [entry.id, entry.path]));
    PATHS_BY_ID.set(taxonomy, byId);
  }
  return byId.get(id);
}
