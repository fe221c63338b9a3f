import type { Output } from './output.js';
import type { JobRow, JobSummary } from '../store/jobs.js';
import { formatCount, formatDuration } from './color.js';
import type { JobBrief, JobRecord } from './schemas.js';
import { visible } from './visible.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job without its summary: what a normalize or analyze document says about the job that made it. */
export function jobBrief(job: JobRow): JobBrief {
  return {
    id: job.id,
    stage: job.stage,
    status: job.status,
    scope: job.scope.kind === 'ids' ? { kind: 'ids', count: job.scope.ids?.length ?? 0 } : { kind: job.scope.kind },
    total: job.total,
    done: job.done,
    errors: job.errors,
    startedAt: new Date(job.startedAt).toISOString(),
    finishedAt: iso(job.finishedAt),
    heartbeatAt: new Date(job.heartbeatAt).toISOString(),
    pid: job.pid,
    host: job.host,
    logFile: job.logFile,
    error: job.error,
  };
}

/** A job as `assay jobs` and `assay status` print it; the summary is whatever its stage stored. */
export function jobRecord(job: JobRow): JobRecord {
  return { ...jobBrief(job), summary: job.summary ?? null } as JobRecord;
}

function scopeText(job: JobRow): string {
  return job.scope.kind === 'ids' ? `${job.scope.ids?.length ?? 0} ids` : `--${job.scope.kind}`;
}

function statusText(ctx: Output, job: JobRow): string {
  const { paint } = ctx;
  const color = { running: paint.cyan, succeeded: paint.green, failed: paint.red, cancelled: paint.dim, interrupted: paint.yellow }[job.status];
  return color(job.status.padEnd(11));
}

export function renderJobs(jobs: JobRow[], ctx: Output): void {
  if (jobs.length === 0) return ctx.log('no jobs yet: run assay normalize --all');
  ctx.out(
    ctx.paint.dim(
      `${'id'.padStart(4)}  ${'stage'.padEnd(9)} ${'status'.padEnd(11)} ${'scope'.padEnd(10)} ${'done/total'.padStart(17)}  ${'started'.padEnd(20)} duration`,
    ),
  );
  for (const job of jobs) {
    const duration = formatDuration((job.finishedAt ?? Date.now()) - job.startedAt);
    const progress = `${formatCount(job.done)}/${formatCount(job.total)}`;
    ctx.out(
      `${String(job.id).padStart(4)}  ${job.stage.padEnd(9)} ${statusText(ctx, job)} ${scopeText(job).padEnd(10)} ${progress.padStart(17)}  ${iso(job.startedAt)!.slice(0, 19).replace('T', ' ')}  ${duration}`,
    );
  }
}

export function renderJob(job: JobRow, ctx: Output): void {
  const { paint } = ctx;
  ctx.out(`${paint.bold(`Job ${job.id}`)}  ${job.stage}  ${statusText(ctx, job)}`);
  ctx.out(`  scope      ${scopeText(job)}`);
  ctx.out(`  progress   ${formatCount(job.done)} / ${formatCount(job.total)} products, ${formatCount(job.errors)} errors`);
  ctx.out(`  started    ${iso(job.startedAt)}${job.finishedAt ? `, finished ${iso(job.finishedAt)} (${formatDuration(job.finishedAt - job.startedAt)})` : ''}`);
  ctx.out(`  process    pid ${job.pid} on ${visible(job.host)}, last heartbeat ${iso(job.heartbeatAt)}`);
  if (job.logFile) ctx.out(`  log        ${visible(job.logFile)}`);
  if (job.error) ctx.out(`  ${paint.red('error')}      ${visible(job.error)}`);
  if (job.status === 'interrupted' || job.status === 'failed') ctx.out(`  resume with: assay resume ${job.id}`);
  if (job.unreadable)
    ctx.out(`  ${paint.yellow('unreadable')} its stored ${job.unreadable.what} (${job.unreadable.problem}): written by another version of assay`);
  if (job.summary && job.status !== 'running') for (const line of summaryLines(job.stage, job.summary, ctx)) ctx.out(`  ${line}`);
}

const NORMALIZE_COUNTS: [key: string, label: string][] = [
  ['processed', 'processed'],
  ['fieldsNormalized', 'fields normalized'],
  ['duplicates', 'duplicates'],
  ['urlsValidated', 'image URLs checked'],
  ['brokenUrls', 'broken image URLs'],
  ['errors', 'errors'],
];

/** A finished job's summary in a few readable lines (--json has all of it); a partial one shows what it has. */
function summaryLines(stage: JobRow['stage'], summary: JobSummary, ctx: Output): string[] {
  const { paint } = ctx;
  const lines: string[] = [];
  if (stage === 'normalize') {
    const counts = NORMALIZE_COUNTS.filter(([key]) => typeof summary[key] === 'number').map(
      ([key, label]) => `${label} ${formatCount(summary[key] as number)}`,
    );
    if (counts.length > 0) lines.push(`summary    ${counts.join(', ')}`);
  } else {
    const run = summary.run;
    if (run) {
      const bands = Object.entries(run.scoreDistribution)
        .map(([band, n]) => `${band} ${formatCount(n)}`)
        .join(', ');
      lines.push(`summary    ${formatCount(run.products)} scored, average ${run.avgScore}; ${bands}`);
    }
    for (const gate of summary.gates?.gates ?? []) lines.push(`gate       ${gate.passed ? paint.green('PASS') : paint.red('FAIL')} ${visible(gate.message)}`);
  }
  const notFound = summary.notFound;
  if (notFound && notFound.length > 0)
    lines.push(`not found  ${formatCount(notFound.length)} id(s): ${notFound.slice(0, 5).map(visible).join(', ')}${notFound.length > 5 ? ', ...' : ''}`);
  return lines;
}
