import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { pidExists } from '../files/stale-temp.js';
import type { Db } from '../store/catalog.js';
import { interruptJob, runningJobs, type JobRow, type ProcessIdentity } from '../store/jobs.js';

/** A job on another host is presumed dead when its heartbeat is older than this. */
const FOREIGN_HEARTBEAT_MS = 10 * 60 * 1000;
const HEARTBEAT_MS = 10_000;
/** Heartbeats a job may miss before it is taken for dead, where its process cannot be identified. */
export const MISSED_BEATS = 6;

/** How often a running job refreshes its heartbeat (ASSAY_HEARTBEAT_MS, for tests). */
export function heartbeatInterval(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.ASSAY_HEARTBEAT_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : HEARTBEAT_MS;
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The kernel's id of this boot (Linux); undefined where there is no /proc. */
function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

/**
 * A process's start time in clock ticks since boot and whether it is a zombie (Linux: fields
 * 22 and 3 of /proc/PID/stat, read after the command name, which may hold spaces and parentheses).
 */
function processStat(pid: number): { startTime: number; zombie: boolean } | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields?.[19]);
  return fields && Number.isInteger(startTime) ? { startTime, zombie: fields[0] === 'Z' } : undefined;
}

/** What tells the process `pid` from a later one that reuses its pid; nulls where the OS does not say. */
export function processIdentity(pid: number = process.pid): ProcessIdentity {
  return { pid, host: hostname(), startTime: processStat(pid)?.startTime ?? null, bootId: bootId() ?? null };
}

/**
 * Whether the process that claimed a job still runs it. A live pid alone proves nothing: after
 * a reboot, or in a container where every run is pid 1, another process has it. Where the OS
 * tells (Linux), the boot id and the process's start time recorded at the claim decide; elsewhere
 * (and for jobs claimed without them) the heartbeat does, which a running job refreshes every
 * few seconds, however long its current step.
 */
function isJobAlive(job: JobRow, now: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const boot = bootId();
  if (job.host !== hostname()) {
    // Another machine's clock may be off, so its heartbeat gets long. Another container on this
    // kernel (its own hostname, the same boot) shares this clock but not its pids: the heartbeat decides.
    const sameKernel = job.bootId !== null && job.bootId === boot;
    return now - job.heartbeatAt < (sameKernel ? MISSED_BEATS * heartbeatInterval(env) : FOREIGN_HEARTBEAT_MS);
  }
  if (job.bootId !== null && boot !== undefined && job.bootId !== boot) return false;
  if (!pidExists(job.pid)) return false;
  const stat = processStat(job.pid);
  if (stat?.zombie) return false;
  if (job.startTime !== null && stat) return stat.startTime === job.startTime;
  return now - job.heartbeatAt < MISSED_BEATS * heartbeatInterval(env);
}

/** Marks jobs whose process is gone (kill -9, a reboot, a reused pid) as interrupted, so they can be resumed. */
export function sweepDeadJobs(db: Db, now: number = Date.now()): JobRow[] {
  const dead = runningJobs(db).filter((job) => !isJobAlive(job, now));
  return dead.filter((job) => interruptJob(db, job, now, 'the process running this job stopped without finishing it'));
}
