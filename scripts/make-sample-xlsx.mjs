#!/usr/bin/env node
// Writes fixtures/sample.xlsx: the sample catalog (fixtures/sample.csv) as a supplier would send it in
// Excel. GTINs are numbers (General format, one zero-padded), prices numbers with two decimals, a date
// column, an image header merged over two columns, empty formatted columns after the last, and a
// second sheet. Run: node scripts/make-sample-xlsx.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const rows = parse(readFileSync(join(root, 'fixtures', 'sample.csv')), { columns: true });
const wb = new ExcelJS.Workbook();
wb.created = wb.modified = new Date(Date.UTC(2026, 0, 1));
const ws = wb.addWorksheet('Products');
const columns = Object.keys(rows[0]).filter((c) => c !== 'additional_image_link');
ws.addRow([...columns, 'additional_image_link', '', 'listed_on']);
ws.mergeCells(1, columns.length + 1, 1, columns.length + 2);
rows.forEach((r, i) => {
  const cells = columns.map((c) => {
    if (c === 'gtin' && /^[1-9]\d{7,13}$/.test(r[c])) return Number(r[c]);
    return r[c];
  });
  const images = r.additional_image_link ? r.additional_image_link.split('|') : [];
  const row = ws.addRow([...cells, images[0] ?? '', images[1] ?? '', new Date(Date.UTC(2026, 0, 10 + i))]);
  row.getCell(columns.length + 3).numFmt = 'dd/mm/yyyy';
  if (r.gtin === '036000291452') {
    row.getCell(columns.indexOf('gtin') + 1).value = 36000291452;
    row.getCell(columns.indexOf('gtin') + 1).numFmt = '000000000000';
  }
  // Formatted but empty cells past the data, as spreadsheets leave them.
  row.getCell(columns.length + 5).numFmt = '0.00';
});
ws.getRow(1).getCell(columns.length + 6).numFmt = '@';
wb.addWorksheet('Notes').addRow(['note', 'Prices are in the currency of the shop']);
await wb.xlsx.writeFile(join(root, 'fixtures', 'sample.xlsx'));
