import { CommanderError } from 'commander';
import { ExitCode, isUserError } from '../errors.js';
import { visibleLines } from '../report/visible.js';
import { writeFailure } from '../files/write-errors.js';
import { resolveDbPath } from '../store/catalog.js';
import { catalogErrorFrom } from '../store/errors.js';
import { dropStdout, type GlobalFlags } from './context.js';
import { buildProgram } from './program.js';

/** The entry point: the one place that turns errors into messages and exit codes. */
export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) is neither an error nor a reason to stop: leaving then
  // killed the job in hand, and `assay run | head` exited 0 with its catalog unscored and its
  // gates unjudged. The output is lost; the work, and the exit code a pipeline reads, are not.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return dropStdout();
    // stdout redirected to a full disk: say so, as for any file, instead of a stack trace.
    process.stderr.write(`assay: ${(writeFailure(error, 'stdout') as Error).message}\n`);
    process.exit(ExitCode.failed);
  });
  // Nor is one that stops reading stderr (`2>&1 | head`): progress and panels are lost, the work goes on.
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    // A full disk or a read-only folder is the user's to fix, not an internal error.
    const dbPath = resolveDbPath(program.opts<GlobalFlags>().db);
    process.exitCode = exitCodeFor(catalogErrorFrom(error, dbPath) ?? error);
  }
}

function exitCodeFor(error: unknown): number {
  if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return ExitCode.ok;
  if (error instanceof CommanderError) {
    // Commander has already printed its message (and a did-you-mean).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isUserError(error)) {
    // Messages name files, ids and values, which may hold control characters.
    process.stderr.write(`assay: ${visibleLines(error.message)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`assay: internal error: ${visibleLines(message)}\n`);
  if (process.env.ASSAY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('This is a bug in assay. Run again with ASSAY_DEBUG=1 for details and report it with the output.\n');
  return ExitCode.failed;
}
