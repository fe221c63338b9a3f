// The column-alias table of docs/inputs.md, from the alias list of the built src/silver/aliases.ts.
// Each name is confirmed through findAlias(): a name that does not map to the target the table
// shows stops the generator.
import { ALIASES, findAlias } from '../../dist/silver/aliases.js';

/** The `[target, names]` entries of the alias list, in order; throws on a name findAlias reads otherwise. */
function readAliases() {
  const entries = ALIASES.map(([target, names]) => [target, names.split(' ')]);
  for (const [target, names] of entries) {
    names.forEach((name, order) => {
      const found = findAlias(name);
      if (found?.target !== target || found.order !== order) {
        throw new Error(`alias '${name}': the list says ${target}, findAlias says ${found?.target ?? 'nothing'}`);
      }
    });
  }
  return entries;
}

const FOLDED_INPUTS = {
  salePrice: 'sale price (becomes the price when below it; the price becomes `originalPrice`)',
  stockQuantity: 'stock count (availability)',
  sellsWhenOut: 'sells when out of stock (availability: `backorder`)',
  stockTracker: 'whether stock is tracked (availability)',
};

export async function aliasTable() {
  const rows = readAliases().map(([target, names]) => {
    const field = FOLDED_INPUTS[target] === undefined ? `\`${target}\`` : `\`${target}\`: ${FOLDED_INPUTS[target]}`;
    return `| ${field} | ${names.map((n) => `\`${n}\``).join(' ')} |`;
  });
  return ['| field | column names, as matching keys (earlier names win when several columns are filled) |', '|---|---|', ...rows].join('\n');
}
