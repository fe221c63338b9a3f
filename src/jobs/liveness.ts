import { hostname } from 'node:os';
import type { Db } from '../store/catalog.js';
import { finishJob, runningJobs, type JobRow } from '../store/jobs.js';

/** A job on another host is presumed dead when its heartbeat is older than this. */
const FOREIGN_HEARTBEAT_MS = 10 * 60 * 1000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isJobAlive(job: JobRow, now: number): boolean {
  if (job.host === hostname()) return job.pid === process.pid || isAlive(job.pid);
  return now - job.heartbeatAt < FOREIGN_HEARTBEAT_MS;
}

/** Marks jobs whose process is gone (kill -9, a reboot) as interrupted, so they can be resumed. */
export function sweepDeadJobs(db: Db, now: number = Date.now()): JobRow[] {
  const dead = runningJobs(db).filter((job) => !isJobAlive(job, now));
  for (const job of dead) finishJob(db, job.id, 'interrupted', now, undefined, 'the process running this job stopped without finishing it');
  return dead;
}
