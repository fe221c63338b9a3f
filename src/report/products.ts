import type { Output } from './output.js';
import type { ProductListRow } from '../store/products.js';
import { badge, shortTitle } from './analyze.js';
import { writeJsonDocument } from './json-stream.js';
import type { ProductRecord, ProductsJson } from './schemas.js';
import { visible } from './visible.js';

export function productRecord(row: ProductListRow): ProductRecord {
  return {
    id: row.id,
    stage: row.stage as ProductRecord['stage'],
    title: row.title,
    brand: row.brand,
    duplicateOf: row.duplicateOf,
    duplicateReason: (row.duplicateReason ?? null) as ProductRecord['duplicateReason'],
    brokenUrls: row.brokenUrls,
    score: row.score,
    band: row.band as ProductRecord['band'],
    feedReady: row.feedReady === null ? null : row.feedReady === 1,
    topGap: row.topGap,
  };
}

export function renderProducts(rows: Iterable<ProductListRow>, ctx: Output): void {
  if (ctx.json) {
    const items = function* () {
      for (const row of rows) yield JSON.stringify(productRecord(row));
    };
    const head: Omit<ProductsJson, 'products'> = { schemaVersion: 1 };
    writeJsonDocument(head, 'products', items(), {});
    return;
  }
  const { paint } = ctx;
  let n = 0;
  for (const row of rows) {
    if (n++ === 0)
      ctx.out(
        paint.dim(`${'score'.padEnd(13)} ${'stage'.padEnd(6)} ${'id'.padEnd(24)} ${'brand'.padEnd(16)} ${'dup'.padEnd(4)} ${'top gap'.padEnd(16)} title`),
      );
    const dup = row.duplicateOf ? paint.yellow('dup') : '   ';
    // An id is never cut (it is pasted into `assay show`): a longer one widens its line.
    ctx.out(
      `${badge(paint, row.score, row.band, row.stage === 'bronze' ? 'not normalized' : 'not scored')} ${row.stage.padEnd(6)} ${visible(row.id).padEnd(24)} ${visible(
        row.brand ?? '',
      )
        .slice(0, 16)
        .padEnd(16)} ${dup}  ${visible(row.topGap ?? '').padEnd(16)} ${visible(shortTitle(row.title))}`.trimEnd(),
    );
  }
  if (n === 0) ctx.log('no products match');
}
