import pLimit, { type LimitFunction } from 'p-limit';
import { canonicalAddress } from './ipv6.js';
import { UrlFailure } from './reasons.js';

const BACKOFF_REASONS = new Set(['timeout', 'connection', 'dns']);

/** What the checker learns about one host (name and port) during its lifetime. */
export class HostState {
  readonly limit: LimitFunction;
  /** HEAD was refused here once, so further URLs go straight to the ranged GET. */
  headRefused = false;
  /** Set after a Retry-After: no request to this host before then. */
  pausedUntil = 0;
  private failures = 0;
  private down?: UrlFailure;

  constructor(
    readonly host: string,
    perHost: number,
    private readonly failureLimit: number,
  ) {
    this.limit = pLimit(perHost);
  }

  /** Throws the failure that took the host down, so its remaining URLs fail fast. */
  assertUp(): void {
    if (this.down) throw this.down;
  }

  get isDown(): boolean {
    return this.down !== undefined;
  }

  /** Any HTTP answer proves the host is reachable. */
  recordAnswer(): void {
    this.failures = 0;
  }

  /** Returns true when this failure took the host down. */
  recordFailure(failure: UrlFailure): boolean {
    if (!BACKOFF_REASONS.has(failure.reason) || this.down) return false;
    this.failures += 1;
    if (this.failures < this.failureLimit) return false;
    this.down = new UrlFailure(failure.reason, `${this.host} skipped after ${this.failures} consecutive failures; last: ${failure.message}`);
    return true;
  }
}

export class HostRegistry {
  private readonly hosts = new Map<string, HostState>();
  private readonly addresses = new Map<string, LimitFunction>();

  constructor(
    private readonly perHost: number,
    private readonly failureLimit: number,
  ) {}

  get(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = new HostState(host, this.perHost, this.failureLimit);
      this.hosts.set(host, state);
    }
    return state;
  }

  /**
   * One limiter per address a name resolves to, each address once, in one fixed order: a request
   * takes a slot on every address its connection may use, and a single order means no two
   * requests ever wait on each other's slots. The limit is the per-host one: an address is the
   * nearest a client sees of one machine, and a higher limit would give a server under many names
   * that much more. One name's traffic is unchanged; only names sharing addresses share slots.
   */
  addressLimits(addresses: readonly string[]): LimitFunction[] {
    const keys = [...new Set(addresses.map(canonicalAddress))].sort();
    return keys.map((key) => {
      let limit = this.addresses.get(key);
      if (!limit) {
        limit = pLimit(this.perHost);
        this.addresses.set(key, limit);
      }
      return limit;
    });
  }
}

/** Runs the task holding a slot of each limiter, taken in the order given. */
export function withSlots<T>(limits: readonly LimitFunction[], task: () => Promise<T>): Promise<T> {
  return limits.reduceRight<() => Promise<T>>((inner, limit) => () => limit(inner), task)();
}
