import { KEY_ATTRIBUTES } from '../bounds.js';
import { attributeValue } from '../fields.js';
import type { Check } from '../types.js';
import { earn, lose } from './outcome.js';

const STAGE_POINTS = 5;
const EACH = STAGE_POINTS / KEY_ATTRIBUTES.length;

/*
 * The stage rewards the share of key attributes present. One check per attribute adds up to
 * exactly that share, and lets a gap name the attribute to fill in rather than "attributes".
 */
export const attributeChecks: Check[] = KEY_ATTRIBUTES.map((name): Check => {
  const present = earn(EACH, `${name} present`);
  const absent = lose(`no ${name}`);
  return {
    id: `attributes.${name}`,
    stage: 'attributes',
    field: `attributes.${name}`,
    points: EACH,
    label: `${name} present (one of ${KEY_ATTRIBUTES.length} key attributes)`,
    run: (product) => (attributeValue(product.attributes, name) === undefined ? absent : present),
  };
});
