import cliProgress from 'cli-progress';
import ora from 'ora';
import type { ProgressEvent } from '../jobs/runner.js';
import type { CliContext } from './context.js';

const PLAIN_INTERVAL_MS = 2000;

/** A spinner on stderr for work whose total is not known in advance; plain when colour is off. */
export function startSpinner(text: string, color: boolean) {
  const spinner = ora({ text, stream: process.stderr, color: color ? 'cyan' : false }).start();
  let stopped = false;
  return {
    update(next: string) {
      spinner.text = next;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
}

export interface ProgressView {
  update(event: ProgressEvent): void;
  stop(): void;
}

const VERBS: Record<string, string> = { normalize: 'Normalized', analyze: 'Analyzed', indexing: 'Indexed' };

/**
 * Draws job progress on stderr: a cli-progress bar on a terminal, a plain line at
 * most every 2 seconds otherwise (logs of cron runs), nothing with --quiet.
 */
export function createProgressView(ctx: CliContext): ProgressView {
  if (ctx.quiet) return { update() {}, stop() {} };
  return ctx.interactive ? barView() : plainView();
}

function barView(): ProgressView {
  let bar: cliProgress.SingleBar | undefined;
  let startDone = 0;
  let phase = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(event) {
      if (event.phase !== phase || !bar) {
        stop();
        phase = event.phase;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            // cli-progress's own ETA reads `NFs` until it has a rate: the ETA is shown once there is one.
            format: `${VERBS[event.phase] ?? event.phase} {value} / {total} products |{bar}| {percentage}% | {rate}/s{eta}`,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, event.done, { rate: 0, eta: '' });
        startDone = event.done;
      }
      const rate = rateOf(event.done - startDone, bar);
      bar.update(event.done, { rate: rate.toLocaleString('en-US'), eta: rate > 0 ? ` | eta ${formatEta((event.total - event.done) / rate)}` : '' });
    },
    stop,
  };
}

function formatEta(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function rateOf(done: number, bar: cliProgress.SingleBar): number {
  const started = (bar as unknown as { startTime: number }).startTime ?? Date.now();
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? Math.round(done / seconds) : 0;
}

function plainView(): ProgressView {
  let last = 0;
  let phaseStart = Date.now();
  let phase = '';
  let startDone = 0;
  return {
    update(event) {
      const now = Date.now();
      if (event.phase !== phase) {
        phase = event.phase;
        phaseStart = now;
        startDone = event.done;
      }
      const finished = event.done >= event.total;
      if (!finished && now - last < PLAIN_INTERVAL_MS) return;
      // A line before anything moved would show a rate and ETA of 0.
      if (event.total === 0 || (event.done === startDone && !finished)) return;
      last = now;
      process.stderr.write(`${plainLine(event, (event.done - startDone) / Math.max((now - phaseStart) / 1000, 0.001))}\n`);
    },
    stop() {},
  };
}

function plainLine(event: ProgressEvent, rate: number): string {
  const pct = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 100;
  const eta = rate > 0 ? Math.ceil((event.total - event.done) / rate) : 0;
  return `${event.phase} job ${event.job}: ${event.done}/${event.total} (${pct}%), ${Math.round(rate)}/s, eta ${eta}s`;
}
