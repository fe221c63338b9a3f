// Types of test/helpers/sudden-death.mjs (plain JavaScript, so that bench/sudden-death.mjs runs it under node).

export interface ImageServer {
  origin: string;
  stats: { requests: number; inFlight: number; maxInFlight: number };
  reset(): void;
  killAt(request: number, child: import('node:child_process').ChildProcess, onKill: (at: { request: number; inFlight: number }) => void): void;
  disarm(): void;
  close(): Promise<void>;
}

export type Fingerprints = Record<string, string>;
/** Opens the catalog read-only for one look, so nothing is held open between looks. */
export function readCatalog<T>(db: string, read: (conn: import('better-sqlite3').Database) => T): T;

export interface JobRow {
  id: number;
  stage: string;
  status: string;
  total: number;
  done: number;
  errors: number;
  summary: string | null;
  error: string | null;
}

export interface StageReference {
  ms: number;
  timeline: unknown;
  job: JobRow;
  fingerprints: Fingerprints;
  requests?: number;
  maxInFlight?: number;
}

export interface SuddenDeath {
  dir: string;
  server: ImageServer;
  products: number;
  /** The generated CSV the catalog was loaded from (what the run kill points run on). */
  csv: string;
  loaded: string;
  normalizedDb: string;
  reference: {
    normalize: StageReference;
    analyze: StageReference;
    run: { ms: number; timeline: Record<string, { ms: number } | undefined>; fingerprints: Fingerprints };
  };
  close(): Promise<void>;
  log(line: string): void;
}
export function prepareSuddenDeath(options: { rows: number; catalogSeed?: number; keep?: boolean; log?: (line: string) => void }): Promise<SuddenDeath>;

export type Trigger = { kind: string; [key: string]: unknown };
export interface KillPoint {
  name: string;
  stage: 'normalize' | 'analyze' | 'run';
  trigger: Trigger;
  then?: Trigger;
}
export const KILL_POINTS: readonly string[];
export function planKillPoints(h: SuddenDeath, seed: number): KillPoint[];
export const RUN_KILL_POINTS: readonly string[];
export function planRunKillPoints(h: SuddenDeath, seed: number): KillPoint[];

export interface Attempt {
  command: string;
  ms: number;
  killed: boolean;
  code: number | null;
  missed?: string;
  note?: string;
  at?: { why: string; stage?: string };
  job?: { status: string; done: number; total: number };
  urlsCached?: number;
}
export interface Outcome {
  index: number;
  name: string;
  stage: 'normalize' | 'analyze' | 'run';
  trigger: string;
  then?: string;
  attempts: Attempt[];
  failures: string[];
  ms: number;
}
export function runKillPoint(h: SuddenDeath, point: KillPoint, index: number): Promise<Outcome>;
export function runRunKillPoint(h: SuddenDeath, point: KillPoint, index: number): Promise<Outcome>;
export function formatOutcome(outcome: Outcome): string;
