// What a one-pass normalize (each batch standardized as it is loaded, knowing only the products
// loaded before it and itself) would decide differently from the staged one, which indexes the
// whole catalog first. Two catalog-wide facts move as later products arrive:
//   - a brand's canonical spelling: the catalog's most common spelling of it (`createBrandLinker`);
//   - a code's cap: a SKU, GTIN or MPN held by more than MAX_CODE_HOLDERS products links nothing,
//     so its early holders, linked while it had few, lose their links later.
// Each such product would have to be normalized and scored again once the pass ends. Read-only;
// the code figure counts products whose code stayed under the cap until their batch and ended
// over it (the staged rule also weighs a code's signatures, so take it as an estimate).
//
// Usage: npm run build && node bench/streaming-drift.mjs [--db FILE]... [--batch N] [--dist DIR]
// Without --db it reads the newest bench/out/stage-100000-*-normalized.db (made by
// `npm run bench -- --quick --only analyze --runs 1`); any normalized catalog will do.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { count, newestNormalizedCatalog, ROOT } from './lib.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', multiple: true, default: [] },
    batch: { type: 'string', default: '2000' },
    dist: { type: 'string' },
  },
});
const dist = resolve(values.dist ?? `${ROOT}/dist`);
const { createBrandLinker } = await import(`${dist}/silver/brands.js`);
const { MAX_CODE_HOLDERS } = await import(`${dist}/store/stale-silver.js`);
const batchSize = Number(values.batch);
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch must be a whole number of products, not ${values.batch}`);

/** The codes a product's duplicate keys hold (title keys are not codes), each once. */
function codesOf(keys) {
  const codes = new Set();
  for (const key of keys) if (!key.startsWith('t:')) codes.add(key.split('#')[0]);
  return codes;
}

function drift(path) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const products = db
    .prepare('SELECT brand, keys FROM product_keys ORDER BY seq')
    .raw()
    .all()
    .map(([brand, keys]) => ({ brand, codes: codesOf(JSON.parse(keys)) }));
  db.close();
  const spellings = new Map();
  const holders = new Map();
  for (const { brand, codes } of products) {
    if (brand) spellings.set(brand, (spellings.get(brand) ?? 0) + 1);
    for (const code of codes) holders.set(code, (holders.get(code) ?? 0) + 1);
  }
  const finalLinker = createBrandLinker({ spellingCounts: spellings });
  const finalHolders = new Map(holders);
  spellings.clear();
  holders.clear();
  let brand = 0;
  let code = 0;
  let either = 0;
  for (let start = 0; start < products.length; start += batchSize) {
    const batch = products.slice(start, start + batchSize);
    for (const p of batch) {
      if (p.brand) spellings.set(p.brand, (spellings.get(p.brand) ?? 0) + 1);
      for (const c of p.codes) holders.set(c, (holders.get(c) ?? 0) + 1);
    }
    const linker = createBrandLinker({ spellingCounts: spellings });
    for (const p of batch) {
      const brandMoved = p.brand !== null && linker.link(p.brand).brand !== finalLinker.link(p.brand).brand;
      const capMoved = [...p.codes].some((c) => holders.get(c) > 1 && holders.get(c) <= MAX_CODE_HOLDERS && finalHolders.get(c) > MAX_CODE_HOLDERS);
      if (brandMoved) brand++;
      if (capMoved) code++;
      if (brandMoved || capMoved) either++;
    }
  }
  const share = (n) => `${count(n)} (${products.length === 0 ? 0 : ((100 * n) / products.length).toFixed(2)}%)`;
  console.log(
    `${basename(path)}: ${count(products.length)} products in batches of ${count(batchSize)}; brand spelling moves ${share(brand)}; code cap moves ${share(code)}; either ${share(either)}`,
  );
}

for (const path of values.db.length > 0 ? values.db : [newestNormalizedCatalog()]) drift(path);
