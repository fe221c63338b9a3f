import { attributeChecks } from './checks/attributes.js';
import { contentChecks } from './checks/content.js';
import { identityChecks } from './checks/identity.js';
import { mediaChecks } from './checks/media.js';
import { pricingChecks } from './checks/pricing.js';
import { seoChecks } from './checks/seo.js';
import { taxonomyChecks } from './checks/taxonomy.js';
import type { Check } from './types.js';

/** Every check of the rubric, in stage order; the table of docs/rubric.md and the gap tie order follow it. */
export const CHECKS: readonly Check[] = [
  ...identityChecks,
  ...taxonomyChecks,
  ...contentChecks,
  ...mediaChecks,
  ...pricingChecks,
  ...attributeChecks,
  ...seoChecks,
];

/** Gap fields in the fixed order that breaks ties between equal points lost. */
export const FIELD_ORDER: readonly string[] = [...new Set(CHECKS.map((check) => check.field))];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}
