/** Category linking (SPEC section 4, item 4): the user's category map, then the taxonomy. */
import { UserError } from '../errors.js';
import { categoryKey, formatPath, lookupTaxonomyId, type Taxonomy } from './taxonomy.js';

export interface CategoryRule {
  source: string;
  target: string;
  /** Taxonomy id of the target; when absent it is looked up in the taxonomy. */
  taxonomyId?: string;
}

/** Rules by the category key of their source path. */
export type CategoryMap = Map<string, { target: string; taxonomyId?: string }>;

export interface CategoryLink {
  categoryPath: string;
  taxonomyId?: string;
  /** True when the path was mapped by the user or is a path of the taxonomy. */
  linked: boolean;
  source: 'map' | 'taxonomy' | 'none';
}

/** Indexes the rules; two rules for one source path with different targets are a config error. */
export function createCategoryMap(rules: CategoryRule[]): CategoryMap {
  const map: CategoryMap = new Map();
  for (const rule of rules) {
    const key = categoryKey(rule.source);
    const target = formatPath(rule.target);
    if (key === '' || target === '') {
      throw new UserError('category_map_invalid', `category map: '${rule.source}' → '${rule.target}' needs a source and a target path`);
    }
    const taken = map.get(key);
    if (taken && (categoryKey(taken.target) !== categoryKey(target) || taken.taxonomyId !== rule.taxonomyId)) {
      throw new UserError(
        'category_map_conflict',
        `category map: '${rule.source}' is mapped twice ('${taken.target}' and '${target}'): keep one rule`,
      );
    }
    map.set(key, rule.taxonomyId === undefined ? { target } : { target, taxonomyId: rule.taxonomyId });
  }
  return map;
}

/**
 * Links a category path (already normalized to ` > ` separators). A mapped path is replaced by its
 * target; an unmapped one is kept as given and only gains the taxonomy id when the taxonomy knows it.
 */
export function linkCategory(path: string, options: { map?: CategoryMap; taxonomy?: Taxonomy }): CategoryLink {
  const rule = options.map?.get(categoryKey(path));
  if (rule) {
    const taxonomyId = rule.taxonomyId ?? lookupTaxonomyId(options.taxonomy, rule.target);
    return withId({ categoryPath: rule.target, linked: true, source: 'map' }, taxonomyId);
  }
  const taxonomyId = lookupTaxonomyId(options.taxonomy, path);
  if (taxonomyId !== undefined) return { categoryPath: path, taxonomyId, linked: true, source: 'taxonomy' };
  return { categoryPath: path, linked: false, source: 'none' };
}

function withId(link: CategoryLink, taxonomyId: string | undefined): CategoryLink {
  return taxonomyId === undefined ? link : { ...link, taxonomyId };
}
