import { z } from 'zod';

/** Edit distance, for did-you-mean hints on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 2)) + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** The keys an object schema allows at a path, unwrapping optional, default and array layers. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at: unknown = schema;
  const unwrap = () => {
    for (;;) {
      if (at instanceof z.ZodOptional || at instanceof z.ZodDefault || at instanceof z.ZodNullable) at = (at as z.ZodOptional<z.ZodType>).unwrap();
      else if (at instanceof z.ZodArray) at = (at as z.ZodArray<z.ZodType>).element;
      else return;
    }
  };
  unwrap();
  for (const key of path) {
    if (typeof key === 'number') continue;
    if (!(at instanceof z.ZodObject)) return [];
    at = (at.shape as Record<string, unknown>)[key as string];
    unwrap();
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}
