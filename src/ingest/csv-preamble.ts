import { parse } from 'csv-parse/sync';
import { findColumn, ID_COLUMNS } from './columns.js';
import { sniffDelimiter } from './csv-sniff.js';

/** Title lines looked for before the header; a longer preamble is not a title. */
const MAX_TITLE_LINES = 5;
/** A line longer than this is no title. */
const MAX_TITLE_LENGTH = 1000;
const SEP_LINE = /^sep=(\t|[^\s"])[ \t]*$/i;

/** Lines before the header that are not part of the table, left blank in `text` so line numbers stay the file's. */
export interface Preamble {
  text: string;
  /** The delimiter an Excel `sep=X` first line names. */
  sepDelimiter?: string;
  warning?: string;
}

interface Line {
  number: number;
  start: number;
  end: number;
  text: string;
  /** The one field of a title line. */
  title?: string;
}

/**
 * Finds an Excel `sep=X` first line, and title lines before the header (`Product export
 * 2026-12-01` alone on line 1). A line is taken for a title only when the file could not load
 * otherwise: it holds one non-empty field and no id column, and the first line after the titles
 * holds two fields or more, among them an id column. Returns undefined while `head` is too short
 * to tell, unless `final` (the input ended, or enough was read).
 */
export function readPreamble(head: string, options: { delimiter?: string; idColumn?: string }, final: boolean): Preamble | undefined {
  const lines: Line[] = [];
  let number = 1;
  for (let start = 0; start < head.length; number++) {
    const nl = head.indexOf('\n', start);
    if (nl === -1 && !final) return undefined;
    const end = nl === -1 ? head.length : nl;
    const text = head.slice(start, end);
    start = end + 1;
    if (text.trim() === '') continue;
    lines.push({ number, start: end - text.length, end, text });
    const decided = judge(lines, options);
    if (decided) return decided(head);
  }
  return judge(lines, options, final)?.(head);
}

type Decision = (head: string) => Preamble;

/** What the lines read so far say; undefined when the next line is needed. */
function judge(lines: Line[], options: { delimiter?: string; idColumn?: string }, atEnd = false): Decision | undefined {
  const sep = SEP_LINE.exec(lines[0]?.text ?? '');
  const rest = sep ? lines.slice(1) : lines;
  const delimiter = options.delimiter ?? sep?.[1];
  const done =
    (titles: Line[]): Decision =>
    (head) => ({
      text: blank(head, sep ? [lines[0], ...titles] : titles),
      ...(sep ? { sepDelimiter: sep[1] } : {}),
      ...(titles.length > 0 ? { warning: describeTitles(titles, rest[titles.length]) } : {}),
    });
  for (let i = 0; i < rest.length; i++) {
    const line = rest[i];
    // A long line is no title, and the first one has nothing before it to skip.
    if (i === 0 && line.text.length > MAX_TITLE_LENGTH) return done([]);
    const d = delimiter ?? sniffDelimiter(line.text);
    const fields = fieldsOf(line.text, d);
    if (!fields) return done([]);
    if (hasIdColumn(fields, options.idColumn)) {
      const titles = rest.slice(0, i);
      const isTitle = (t: Line) => {
        const f = fieldsOf(t.text, d)?.filter((v) => v.trim() !== '');
        if (f?.length !== 1 || hasIdColumn(f, options.idColumn)) return false;
        t.title = f[0].trim();
        return true;
      };
      const filled = fields.filter((f) => f.trim() !== '').length;
      return done(filled >= 2 && titles.every(isTitle) ? titles : []);
    }
    if (i >= MAX_TITLE_LINES || line.text.length > MAX_TITLE_LENGTH) return done([]);
  }
  return atEnd ? done([]) : undefined;
}

function fieldsOf(text: string, delimiter: string): string[] | undefined {
  try {
    const rows = parse(text, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}

function hasIdColumn(fields: string[], idColumn: string | undefined): boolean {
  const names = fields.map((f) => f.trim());
  return idColumn ? names.includes(idColumn) : findColumn(names, ID_COLUMNS) !== undefined;
}

function blank(head: string, lines: Line[]): string {
  let out = head;
  for (const line of [...lines].reverse()) out = out.slice(0, line.start) + out.slice(line.end);
  return out;
}

function describeTitles(titles: Line[], header: Line): string {
  const shown = titles.map((t) => `'${t.title!.slice(0, 60)}'`).join(', ');
  const numbers = titles.map((t) => t.number);
  const where = numbers.length === 1 ? `line ${numbers[0]}` : `lines ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
  return `skipped ${where} (${shown}) before the header on line ${header.number}: a title, not column names`;
}
