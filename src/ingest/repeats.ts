/** What to do with a row that repeats an id already read, when it is not a continuation row. */
export const REPEAT_POLICIES = ['fold', 'first', 'last', 'error'] as const;
export type RepeatPolicy = (typeof REPEAT_POLICIES)[number];
export const DEFAULT_REPEAT_POLICY: RepeatPolicy = 'fold';

export interface RepeatExample {
  id: string;
  line: number;
}

/** Counts repeated ids and keeps the first few, for one warning per file. */
export class RepeatLog {
  count = 0;
  readonly examples: RepeatExample[] = [];

  add(id: string, line: number): void {
    this.count++;
    if (this.examples.length < SHOWN) this.examples.push({ id, line });
  }
}

const SHOWN = 5;

const DOING: Record<RepeatPolicy, string> = {
  fold: 'folded into the first row (its empty fields filled from the later ones)',
  first: 'the first row kept, later ones dropped',
  last: 'the last row kept',
  error: 'rejected as row errors',
};

/**
 * A repeated id outside continuation rows (Shopify writes one row per variant with an empty
 * title) is two records claiming one product: said once per file, with the count and the first lines.
 */
export function describeRepeats(count: number, examples: readonly RepeatExample[], policy: RepeatPolicy): string {
  const shown = examples.map((e) => `line ${e.line} '${e.id}'`).join(', ');
  const more = count > examples.length ? ', ...' : '';
  return `${count} row(s) repeat an id already read (${shown}${more}): ${DOING[policy]}; choose with --on-repeat fold|first|last|error`;
}

/** The record a repeat leaves, by policy; undefined for `error` (the row is rejected). */
export function resolveRepeat(
  policy: RepeatPolicy,
  base: Record<string, string>,
  next: Record<string, string>,
  fold: (base: Record<string, string>, next: Record<string, string>) => Record<string, string>,
): Record<string, string> | undefined {
  if (policy === 'fold') return fold(base, next);
  if (policy === 'first') return base;
  if (policy === 'last') return next;
  return undefined;
}
