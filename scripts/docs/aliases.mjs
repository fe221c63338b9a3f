// The column-alias table of docs/inputs.md. The alias list is private to src/silver/aliases.ts, so
// its entries are read from that file's text and each one is confirmed through the built
// findAlias(): a name that does not map to the target the table shows stops the generator.
import { readFile } from 'node:fs/promises';
import { findAlias } from '../../dist/silver/aliases.js';

const SOURCE = new URL('../../src/silver/aliases.ts', import.meta.url);
const ENTRY = /^\s*\['([^']+)', '([^']+)'\],\s*$/;

/** The `[target, names]` entries of the alias list, in order; throws on a line it cannot read. */
async function readAliases() {
  const text = await readFile(SOURCE, 'utf8');
  const start = text.indexOf('const ALIASES');
  const end = text.indexOf('\n];', start);
  if (start < 0 || end < 0) throw new Error('src/silver/aliases.ts: no ALIASES list found');
  const entries = [];
  for (const line of text.slice(text.indexOf('\n', start) + 1, end).split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('//')) continue;
    const match = ENTRY.exec(line);
    if (match === null) throw new Error(`src/silver/aliases.ts: cannot read the alias line ${JSON.stringify(line.trim())}`);
    entries.push([match[1], match[2].split(' ')]);
  }
  for (const [target, names] of entries) {
    names.forEach((name, order) => {
      const found = findAlias(name);
      if (found?.target !== target || found.order !== order) {
        throw new Error(`alias '${name}': the source says ${target}, findAlias says ${found?.target ?? 'nothing'}`);
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
  const rows = (await readAliases()).map(([target, names]) => {
    const field = FOLDED_INPUTS[target] === undefined ? `\`${target}\`` : `\`${target}\`: ${FOLDED_INPUTS[target]}`;
    return `| ${field} | ${names.map((n) => `\`${n}\``).join(' ')} |`;
  });
  return ['| field | column names, as matching keys (earlier names win when several columns are filled) |', '|---|---|', ...rows].join('\n');
}
