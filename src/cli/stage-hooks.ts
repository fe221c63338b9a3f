import type { AssayEvent, StageHooks } from '../app/events.js';
import { ExitCode } from '../errors.js';
import type { CliContext } from './context.js';
import { createProgressView, type ProgressView } from './progress.js';

export interface CliStageHooks extends StageHooks {
  /** Stops drawing and stops listening for signals; call once the app call has returned or thrown. */
  dispose(): void;
}

/**
 * How the CLI shows a running job: a progress view per job on stderr, the notes it prints
 * about waiting and stopping, and Ctrl-C: once finishes the batch in hand, twice stops at once.
 */
export function stageHooks(ctx: CliContext, wait: boolean): CliStageHooks {
  const controller = new AbortController();
  let progress: ProgressView | undefined;
  let job = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progress?.stop();
      process.stderr.write(`\n${signal} again: stopping now; committed work is kept. Resume with: assay resume ${job}\n`);
      process.exit(ExitCode.failed);
    }
    controller.abort();
    process.stderr.write(`\n${signal}: finishing the current batch (press Ctrl-C again to stop at once)...\n`);
  };
  const listen = (on: boolean) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      if (on) process.on(signal, onSignal);
      else process.off(signal, onSignal);
    }
  };
  const stop = () => {
    progress?.stop();
    progress = undefined;
    listen(false);
  };
  const onProgress = (event: AssayEvent) => {
    if (event.type === 'waiting') ctx.log(`waiting for job ${event.job} (${event.stage}, running since ${event.since}) to finish...`);
    else if (event.type === 'started') {
      job = event.job;
      progress = createProgressView(ctx);
      listen(true);
    } else if (event.type === 'progress') progress?.update(event);
    else if (event.type === 'finished') {
      stop();
      if (event.outcome === 'interrupted') ctx.warn(`job ${event.job} interrupted at ${event.done}/${event.total}: resume with: assay resume ${event.job}`);
      // A cancelled job is never resumed (assay resume refuses it): say what is kept instead.
      if (event.outcome === 'cancelled') ctx.warn(`job ${event.job} cancelled at ${event.done}/${event.total}; the products done so far are kept`);
    }
  };
  return { wait, signal: controller.signal, onProgress, dispose: stop };
}
