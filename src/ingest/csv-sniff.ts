const DELIMITERS = [',', ';', '\t', '|'];

/** Picks the delimiter that splits the header line (outside quotes) most often. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = firstContent(text); i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Where the first line that is not blank starts (blank lines before a header are skipped). */
function firstContent(text: string): number {
  const at = text.search(/\S/);
  return at === -1 ? text.length : text.lastIndexOf('\n', at) + 1;
}
