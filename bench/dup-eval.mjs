#!/usr/bin/env node
// Scores duplicate detection on the Leipzig Amazon-GoogleProducts benchmark.
// Usage: npm run build && node bench/dup-eval.mjs [FOLDER] [--dist DIR] [--show-wrong]
// FOLDER defaults to $ASSAY_REAL_DATA/amazon-google; DIR (the compiled src/) to ./dist.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';

const args = process.argv.slice(2);
const showWrong = args.includes('--show-wrong') && args.splice(args.indexOf('--show-wrong'), 1);
const distFlag = args.indexOf('--dist');
const dist = resolve(distFlag >= 0 ? args.splice(distFlag, 2)[1] : new URL('../dist', import.meta.url).pathname);
const folder = args[0] ?? (process.env.ASSAY_REAL_DATA && join(process.env.ASSAY_REAL_DATA, 'amazon-google'));
if (!folder) {
  console.error('usage: node bench/dup-eval.mjs FOLDER  (or set ASSAY_REAL_DATA)');
  process.exit(2);
}

const { duplicateKeys, findDuplicate } = await import(pathToFileURL(join(dist, 'silver/duplicates.js')).href);
const { brandKey, createBrandLinker } = await import(pathToFileURL(join(dist, 'silver/brands.js')).href);

function readCsv(name) {
  const text = new TextDecoder('latin1').decode(readFileSync(join(folder, name)));
  return parse(text, { columns: true, skip_empty_lines: true, relax_quotes: true });
}

const started = performance.now();
const amazon = readCsv('Amazon.csv').map((row) => ({ id: row.id, title: row.title, brand: row.manufacturer, side: 'a' }));
const google = readCsv('GoogleProducts.csv').map((row) => ({ id: row.id, title: row.name, brand: row.manufacturer, side: 'g' }));
const truth = new Set(readCsv('Amzon_GoogleProducts_perfectMapping.csv').map((row) => `${row.idAmazon}|${row.idGoogleBase}`));
const rows = [...amazon, ...google];

const counts = new Map();
for (const row of rows) if (row.brand?.trim()) counts.set(row.brand, (counts.get(row.brand) ?? 0) + 1);
const linker = createBrandLinker({ spellingCounts: counts });

// The store's way: keys indexed with the lowest seq per key, products resolved in load order.
const index = new Map();
const links = new Map();
const bySeq = [];
const timedFrom = performance.now();
rows.forEach((row, seq) => {
  const link = row.brand?.trim() ? linker.link(row.brand) : undefined;
  const brand = link && 'brand' in link ? link.brand : '';
  const product = { id: row.id, title: row.title, brand, additionalImageUrls: [], attributes: {} };
  const keys = duplicateKeys(product, brand ? brandKey(brand) : '');
  const candidates = new Map();
  for (const key of keys) if (index.has(key)) candidates.set(key, [index.get(key)]);
  const found = findDuplicate(seq, candidates, (ref) => links.get(ref.seq));
  if (found) links.set(seq, found);
  for (const key of keys) if (!index.has(key)) index.set(key, { id: row.id, seq });
  bySeq.push(row);
});
const linkMs = performance.now() - timedFrom;

const clusters = new Map();
bySeq.forEach((row, seq) => {
  const root = links.get(seq)?.seq ?? seq;
  if (!clusters.has(root)) clusters.set(root, []);
  clusters.get(root).push(row);
});
const clusterPairs = new Set();
for (const members of clusters.values()) {
  for (const a of members) if (a.side === 'a') for (const g of members) if (g.side === 'g') clusterPairs.add(`${a.id}|${g.id}`);
}
const directPairs = new Set();
for (const [seq, to] of links) {
  const [from, target] = [bySeq[seq], bySeq[to.seq]];
  if (from.side !== target.side) directPairs.add(from.side === 'a' ? `${from.id}|${target.id}` : `${target.id}|${from.id}`);
}

// The matches file names only some products (it misses, e.g., identical titles with identical
// descriptions), so a pair with a product it never names is also scored apart: unknown, not wrong.
const labeled = new Set([...truth].flatMap((pair) => pair.split('|')));
const isLabeled = (pair) => pair.split('|').every((id) => labeled.has(id));

function score(name, predicted) {
  const hits = [...predicted].filter((pair) => truth.has(pair)).length;
  const judged = [...predicted].filter(isLabeled).length;
  const f = (x) => x.toFixed(3);
  const f1 = (p, r) => (p + r ? (2 * p * r) / (p + r) : 0);
  const recall = hits / truth.size;
  const precision = predicted.size ? hits / predicted.size : 0;
  const labeledPrecision = judged ? hits / judged : 0;
  console.log(`${name}: predicted ${predicted.size}, correct ${hits}, recall ${f(recall)}`);
  console.log(`  all pairs:     precision ${f(precision)}, F1 ${f(f1(precision, recall))}`);
  console.log(`  labeled pairs: precision ${f(labeledPrecision)}, F1 ${f(f1(labeledPrecision, recall))} (${predicted.size - judged} pairs of unlabeled products left out)`);
}

console.log(`products ${rows.length} (amazon ${amazon.length}, google ${google.length}), true pairs ${truth.size}`);
console.log(`links ${links.size}, keys ${index.size}, linking ${linkMs.toFixed(0)} ms, total ${(performance.now() - started).toFixed(0)} ms`);
score('cluster pairs', clusterPairs);
score('direct links ', directPairs);
if (showWrong) {
  const titles = new Map(rows.map((row) => [row.id, row.title]));
  for (const pair of [...directPairs].filter((p) => !truth.has(p))) {
    const [a, g] = pair.split('|');
    console.log(`wrong: ${titles.get(a)}  <>  ${titles.get(g)}`);
  }
}
