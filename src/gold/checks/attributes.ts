import { KEY_ATTRIBUTES } from '../bounds.js';
import { attributeValue } from '../fields.js';
import type { Check, CheckScope } from '../types.js';
import { earn, lose } from './outcome.js';

const STAGE_POINTS = 5;
const EACH = STAGE_POINTS / KEY_ATTRIBUTES.length;

/*
 * Merchant Center asks gender, age group and color of apparel and accessories, and size of
 * clothes and shoes (product data specification, read 2026-12-04); material and color describe
 * most goods but not food or media. Elsewhere a check is not counted at all.
 */
const SCOPES: Record<(typeof KEY_ATTRIBUTES)[number], CheckScope> = {
  color: { exceptClasses: ['food', 'media'] },
  size: { classes: ['clothing'] },
  material: { exceptClasses: ['food', 'media', 'electronics'] },
  gender: { classes: ['apparel'] },
  ageGroup: { classes: ['apparel'] },
};
const CODES: Record<(typeof KEY_ATTRIBUTES)[number], string> = {
  color: 'color.missing',
  size: 'size.missing',
  material: 'material.missing',
  gender: 'gender.missing',
  ageGroup: 'age_group.missing',
};

/*
 * The stage rewards the share of key attributes present. One check per attribute adds up to
 * exactly that share, and lets a gap name the attribute to fill in rather than "attributes".
 */
export const attributeChecks: Check[] = KEY_ATTRIBUTES.map((name): Check => {
  const present = earn(EACH, `${name} present`);
  const absent = lose(`no ${name}`, CODES[name]);
  return {
    id: `attributes.${name}`,
    stage: 'attributes',
    field: `attributes.${name}`,
    points: EACH,
    scope: SCOPES[name],
    label: `${name} present (one of ${KEY_ATTRIBUTES.length} key attributes)`,
    run: (product) => (attributeValue(product.attributes, name) === undefined ? absent : present),
  };
});
