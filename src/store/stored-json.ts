import type { z } from 'zod';

export type Stored<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * A JSON document the catalog holds, parsed with the schema of what it should be. A document
 * another version of assay wrote may not fit: the problem names the first key that does not,
 * for a message that says whose document it is and what to do.
 */
export function parseStored<T>(text: string, schema: z.ZodType<T>): Stored<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error.issues[0]) };
}

/** `weights.seo: expected number, received undefined`: where a document stops fitting, and how. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.length > 0 ? issue.path.join('.') : 'the document';
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
      : issue.message.replace(/^Invalid input: /, '');
  return `${at}: ${what}`;
}
