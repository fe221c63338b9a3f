import type { Band, Gap } from '../../src/gold/types.js';
import type { ExportRecord } from '../../src/report/export/record.js';

interface ScoredFields {
  title?: string;
  brand?: string;
  score?: number;
  gaps?: Gap[];
}

function band(score: number): Band {
  return score >= 85 ? 'excellent' : score >= 65 ? 'good' : score >= 40 ? 'warning' : 'poor';
}

/** A gold-stage export record; with a low score it also carries a duplicate link and a broken URL. */
export function scored(id: string, fields: ScoredFields = {}): ExportRecord {
  const score = fields.score ?? 80;
  const isLow = score < 65;
  return {
    id,
    stage: 'gold',
    title: fields.title ?? `Product ${id} title`,
    brand: fields.brand ?? 'Northpeak',
    record: null,
    silver: {
      productId: id,
      status: 'success',
      fieldsNormalized: 3,
      duplicateOf: isLow ? 'p0' : null,
      urlsValidated: 1,
      brokenUrls: isLow ? [{ url: 'https://img.example.test/a.jpg', reason: 'http_404' }] : [],
    },
    gold: {
      productId: id,
      status: 'success',
      score,
      band: band(score),
      stages: { identity: 10, taxonomy: 15, content: 20, media: 15, pricing: 10, attributes: 5, seo: 5 },
      gaps: fields.gaps ?? (isLow ? [{ field: 'gtin', pointsLost: 10, reasons: ['gtin.missing'] }] : []),
      missingFields: isLow ? ['gtin'] : [],
      feedReady: !isLow,
      channel: 'google',
      categoryClasses: [],
      blockers: [],
      cappedBy: null,
      lostByReason: isLow ? { 'gtin.missing': 10 } : {},
    },
    rubricVersion: null,
  };
}

/** A product short of gold: never normalized (bronze), or failed or not yet analyzed (silver). */
export function unscored(id: string, stage: 'bronze' | 'silver', silverError?: string): ExportRecord {
  const silver =
    stage === 'bronze'
      ? null
      : {
          productId: id,
          status: silverError ? ('error' as const) : ('success' as const),
          fieldsNormalized: 0,
          duplicateOf: null,
          urlsValidated: 0,
          brokenUrls: [],
          ...(silverError ? { error: silverError } : {}),
        };
  return { id, stage, title: null, brand: null, record: null, silver, gold: null, rubricVersion: null };
}

/**
 * A small well-formedness check (no XML parser among the dependencies): tags nest and close,
 * attributes are quoted, and no raw `<` or bare `&` sits in text or attribute values.
 */
export function checkWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const open: string[] = [];
  let roots = 0;
  let at = 0;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    at = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    const content = text ?? attrs;
    if (content && /&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i.test(content)) throw new Error(`bare & near: ${content.slice(0, 80)}`);
    if (text !== undefined) {
      if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text.slice(0, 80)}`);
      continue;
    }
    if (closing) {
      if (open.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name);
    } else if (open.length === 0) roots++;
  }
  if (at !== body.length) throw new Error(`not XML at: ${body.slice(at, at + 80)}`);
  if (open.length > 0) throw new Error(`unclosed: ${open.join(', ')}`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/**
 * The cells a spreadsheet makes of CSV text when it splits on `separator` (a `;` locale, a tab
 * import): a quote is honoured only where a cell starts, up to its closing quote, and what follows
 * that is kept as it is; anywhere else a quote is a plain character. A line break ends the row.
 */
export function spreadsheetCells(text: string, separator: string): string[] {
  const cells: string[] = [];
  for (let i = 0; i < text.length; ) {
    let cell = '';
    if (text[i] === '"') {
      for (i++; i < text.length; i++) {
        if (text[i] !== '"') cell += text[i];
        else if (text[i + 1] === '"') cell += text[i++];
        else {
          i++;
          break;
        }
      }
    }
    while (i < text.length && text[i] !== separator && text[i] !== '\r' && text[i] !== '\n') cell += text[i++];
    cells.push(cell);
    i += text.startsWith('\r\n', i) ? 2 : 1;
  }
  return cells;
}

/** What a spreadsheet would run: a formula start after the blanks and quotes it may drop; a plain negative number is no formula. */
export function isLiveFormula(cell: string): boolean {
  return /^[\s"]*[=+\-@]/.test(cell) && !/^\s*-\d+(\.\d+)?\s*$/.test(cell);
}
