import type { Output } from './output.js';

/**
 * A line of a results panel or table: the command's output, so stdout (`assay analyze --all >
 * report.txt` keeps it), and nothing under --quiet. Progress, warnings and logs go to stderr.
 */
export function print(ctx: Output, text: string): void {
  if (!ctx.quiet) ctx.out(text);
}
