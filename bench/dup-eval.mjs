#!/usr/bin/env node
// Scores duplicate detection, overall and per link reason, on two sets built from the shared data:
//  amazon-google  the Leipzig Amazon-GoogleProducts benchmark (two shops, a file of true matches);
//  datakick       Datakick rows listed twice, the second time as another shop would write them
//                 (lower case, size written apart or joined, the brand in the title instead of
//                 its column, words reordered), the GTIN hidden from both and kept as the truth.
// Usage: npm run build && node bench/dup-eval.mjs [FOLDER] [--set NAME] [--dist DIR] [--show-wrong] [--similar]
//        node bench/dup-eval.mjs [FOLDER] --catalog DB   scores the links a real `assay normalize` wrote
//        into DB after `assay load` of the set's two files (amazon-google: --encoding latin1).
// FOLDER is the shared data folder (default $ASSAY_REAL_DATA); DIR the compiled src/ (default ./dist).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';

const args = process.argv.slice(2);
const take = (flag) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const showWrong = args.includes('--show-wrong') && args.splice(args.indexOf('--show-wrong'), 1);
// --similar: also join mutual best TF-IDF matches within rare-word blocks (src/silver/similar.ts), as a measure.
const withSimilar = args.includes('--similar') && args.splice(args.indexOf('--similar'), 1);
const only = take('--set');
const catalog = take('--catalog');
const dist = resolve(take('--dist') ?? new URL('../dist', import.meta.url).pathname);
const folder = args[0] ?? process.env.ASSAY_REAL_DATA;
if (!folder || !existsSync(folder)) {
  console.log(`dup-eval: no data folder (${folder ? `${folder} does not exist` : 'pass one or set ASSAY_REAL_DATA'}); nothing to score`);
  process.exit(0);
}

const duplicates = await import(pathToFileURL(join(dist, 'silver/duplicates.js')).href);
const { duplicateKeys } = duplicates;
// A build from before links had reasons (to score a baseline): every link counts as a title link.
const findDuplicateWithKey =
  duplicates.findDuplicateWithKey ?? ((...args) => duplicates.findDuplicate(...args) && { ...duplicates.findDuplicate(...args), key: 't:' });
const reasonOfKey = duplicates.reasonOfKey ?? (() => ({ reason: 'title' }));
// A build from before the cap counted codes: holders counted per key, as it did.
const codeOfKey = duplicates.codeOfKey ?? ((key) => key);
const { brandKey, createBrandLinker } = await import(pathToFileURL(join(dist, 'silver/brands.js')).href);
const { MAX_CODE_HOLDERS } = await import(pathToFileURL(join(dist, 'store/stale-silver.js')).href);

function readCsv(path, encoding = 'utf-8') {
  const text = new TextDecoder(encoding).decode(readFileSync(path));
  return parse(text, { columns: true, skip_empty_lines: true, relax_quotes: true, bom: true });
}

function amazonGoogle() {
  const dir = join(folder, 'amazon-google');
  const amazon = readCsv(join(dir, 'Amazon.csv'), 'latin1').map((row) => ({ id: row.id, title: row.title, brand: row.manufacturer, side: 'a' }));
  const google = readCsv(join(dir, 'GoogleProducts.csv'), 'latin1').map((row) => ({ id: row.id, title: row.name, brand: row.manufacturer, side: 'b' }));
  const truth = readCsv(join(dir, 'Amzon_GoogleProducts_perfectMapping.csv'), 'latin1').map((row) => `${row.idAmazon}|${row.idGoogleBase}`);
  return { rows: [...amazon, ...google], truth: new Set(truth) };
}

/** A small deterministic generator, so the second listing of each row is the same every run. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + Math.imul(t ^ (t >>> 14), 71 | t));
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function datakick() {
  const random = mulberry32(42);
  const source = readCsv(join(folder, 'datakick-gtin', 'items.csv')).filter((row) => row.Name?.trim());
  const rows = [];
  const truth = new Set();
  source.forEach((row, i) => {
    const title = [row.Name, row.Size].filter(Boolean).join(', ');
    rows.push({ id: `a${i}`, title, brand: row['Brand Name'], side: 'a' });
    if (i % 2 === 1) return;
    let copy = title.toLowerCase().replace(/(\d)\s+(oz|g|ml|l|lb|ct|kg)\b/g, '$1$2');
    if (random() < 0.3) copy = copy.replace(/(\d)(oz|g|ml|l|lb|ct|kg)\b/g, '$1 $2');
    const words = copy.split(' ');
    if (random() < 0.3 && words.length > 2) words.push(words.shift());
    copy = words.join(' ');
    const brandInTitle = random() < 0.5 && row['Brand Name'];
    rows.push({
      id: `b${i}`,
      title: brandInTitle ? `${row['Brand Name']} ${copy}` : copy,
      brand: brandInTitle ? '' : (row['Brand Name'] ?? '').toUpperCase(),
      side: 'b',
    });
    truth.add(`a${i}|b${i}`);
  });
  return { rows, truth };
}

/** Links as normalize makes them: keys held by more than the cap link nothing, each product links to the earliest holder, followed to its root. */
function link(rows) {
  const counts = new Map();
  for (const row of rows) if (row.brand?.trim()) counts.set(row.brand, (counts.get(row.brand) ?? 0) + 1);
  const linker = createBrandLinker({ spellingCounts: counts });
  const keysOf = rows.map((row) => {
    const spelling = row.brand?.trim() ?? '';
    const brand = spelling ? linker.link(spelling).brand : '';
    const product = { id: row.id, title: row.title, brand, mpn: row.mpn, additionalImageUrls: [], attributes: {} };
    return duplicateKeys(product, spelling ? brandKey(spelling) : '');
  });
  // A code's holders count whatever their variant signatures, as in the catalog.
  const holders = new Map();
  for (const keys of keysOf) for (const code of new Set(keys.map(codeOfKey))) holders.set(code, (holders.get(code) ?? 0) + 1);
  const earliest = new Map();
  const links = new Map();
  keysOf.forEach((keys, seq) => {
    const candidates = new Map();
    for (const key of keys)
      if (earliest.has(key) && (key.startsWith('t:') || holders.get(codeOfKey(key)) <= MAX_CODE_HOLDERS)) candidates.set(key, [earliest.get(key)]);
    const found = findDuplicateWithKey(seq, candidates, (ref) => links.get(ref.seq));
    if (found) links.set(seq, { seq: found.seq, reason: reasonOfKey(found.key).reason });
    for (const key of keys) if (!earliest.has(key)) earliest.set(key, { id: rows[seq].id, seq });
  });
  if (withSimilar) addSimilar(rows, links);
  return links;
}

/** Joins the groups of mutual best similar titles, as a later product linking to the earlier group's root. */
async function loadSimilar() {
  return import(pathToFileURL(join(dist, 'silver/similar.js')).href);
}
const similar = withSimilar ? await loadSimilar() : undefined;
function addSimilar(rows, links) {
  const rootOf = (seq) => links.get(seq)?.seq ?? seq;
  const pairs = similar.similarPairs(rows.map((row, seq) => similar.similarItem(seq, row.title ?? '', row.brand?.trim() ?? '')));
  for (const [later, earlier] of pairs) {
    const [a, b] = [rootOf(later), rootOf(earlier)];
    if (a === b) continue;
    const [root, other] = a < b ? [a, b] : [b, a];
    // The later group moves under the earlier root; its members follow.
    for (const [seq, to] of links) if (to.seq === other) links.set(seq, { seq: root, reason: to.reason });
    links.set(other, { seq: root, reason: 'similar-title' });
  }
}

/** The links normalize stored, in the shape `link` gives; rows in load order. */
async function storedLinks(rows) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(catalog, { readonly: true });
  const stored = db.prepare('SELECT p.id, s.duplicate_of AS to_id, s.duplicate_reason AS reason FROM products p JOIN silver s USING (seq)').all();
  db.close();
  const seqOf = new Map(rows.map((row, seq) => [row.id, seq]));
  const links = new Map();
  for (const { id, to_id: to, reason } of stored)
    if (to !== null && seqOf.has(id) && seqOf.has(to)) links.set(seqOf.get(id), { seq: seqOf.get(to), reason: reason ?? 'unknown' });
  return links;
}

async function score(name, { rows, truth }) {
  const started = performance.now();
  const links = catalog ? await storedLinks(rows) : link(rows);
  const ms = performance.now() - started;
  const clusters = new Map();
  rows.forEach((row, seq) => {
    const root = links.get(seq)?.seq ?? seq;
    if (!clusters.has(root)) clusters.set(root, []);
    clusters.get(root).push(row);
  });
  const clusterPairs = new Set();
  for (const members of clusters.values())
    for (const a of members) if (a.side === 'a') for (const b of members) if (b.side === 'b') clusterPairs.add(`${a.id}|${b.id}`);
  const byReason = new Map();
  for (const [seq, to] of links) {
    const [from, target] = [rows[seq], rows[to.seq]];
    if (from.side === target.side) continue;
    if (!byReason.has(to.reason)) byReason.set(to.reason, new Set());
    byReason.get(to.reason).add(from.side === 'a' ? `${from.id}|${target.id}` : `${target.id}|${from.id}`);
  }
  // The matches file names only some pairs (a listing sold twice on one side is matched to one
  // copy), so precision also counts only predicted pairs with a side the file names.
  const named = new Set([...truth].flatMap((pair) => pair.split('|')));
  const f = (x) => x.toFixed(3);
  const line = (label, predicted) => {
    const hits = [...predicted].filter((pair) => truth.has(pair)).length;
    const judged = [...predicted].filter((pair) => pair.split('|').some((id) => named.has(id))).length;
    const recall = hits / truth.size;
    const precision = judged ? hits / judged : 0;
    const raw = predicted.size ? hits / predicted.size : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    console.log(
      `  ${label.padEnd(15)} predicted ${String(predicted.size).padStart(5)}  correct ${String(hits).padStart(5)}  P ${f(precision)} (raw ${f(raw)})  R ${f(recall)}  F1 ${f(f1)}`,
    );
  };
  console.log(`${name}: ${rows.length} products, ${truth.size} true pairs, ${links.size} links, linked in ${ms.toFixed(0)} ms`);
  line('cluster pairs', clusterPairs);
  for (const [reason, pairs] of [...byReason].sort()) line(`  ${reason}`, pairs);
  if (showWrong) {
    const titles = new Map(rows.map((row) => [row.id, row.title]));
    for (const pair of [...clusterPairs].filter((p) => !truth.has(p) && p.split('|').some((id) => named.has(id)))) {
      const [a, b] = pair.split('|');
      console.log(`  wrong: ${titles.get(a)}  <>  ${titles.get(b)}`);
    }
  }
}

const sets = { 'amazon-google': amazonGoogle, datakick };
for (const [name, build] of Object.entries(sets)) {
  if (only && only !== name) continue;
  if (!existsSync(join(folder, name === 'datakick' ? 'datakick-gtin' : name))) {
    console.log(`${name}: not in ${folder}, skipped`);
    continue;
  }
  await score(name, build());
}
