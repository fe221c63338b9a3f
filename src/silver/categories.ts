/** Category linking (see docs/normalize.md#4-link-categories): the user's category map, then the taxonomy. */
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
  const { map, problems } = indexCategoryRules(rules);
  if (problems.length > 0) throw new UserError(problems[0].code, `category map: ${problems[0].message}`);
  return map;
}

/** A category map rule normalize refuses; `rule` indexes the map. */
export interface CategoryRuleProblem {
  code: 'category_map_invalid' | 'category_map_conflict';
  rule: number;
  message: string;
}

/** Every rule of a category map that normalize would refuse, in order (config validate reports them all). */
export function checkCategoryRules(rules: CategoryRule[]): CategoryRuleProblem[] {
  return indexCategoryRules(rules).problems;
}

function indexCategoryRules(rules: CategoryRule[]): { map: CategoryMap; problems: CategoryRuleProblem[] } {
  const map: CategoryMap = new Map();
  const problems: CategoryRuleProblem[] = [];
  rules.forEach((rule, index) => {
    const key = categoryKey(rule.source);
    const target = formatPath(rule.target);
    if (key === '' || target === '') {
      problems.push({ code: 'category_map_invalid', rule: index, message: `'${rule.source}' → '${rule.target}' needs a source and a target path` });
      return;
    }
    const taken = map.get(key);
    if (taken && (categoryKey(taken.target) !== categoryKey(target) || taken.taxonomyId !== rule.taxonomyId)) {
      problems.push({
        code: 'category_map_conflict',
        rule: index,
        message: `'${rule.source}' is mapped twice ('${taken.target}' and '${target}'): keep one rule`,
      });
      return;
    }
    map.set(key, rule.taxonomyId === undefined ? { target } : { target, taxonomyId: rule.taxonomyId });
  });
  return { map, problems };
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
