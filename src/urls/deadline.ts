import { UrlFailure } from './reasons.js';
import { sleep } from './retry.js';

/** The overall time one URL may take, started by its first request so time queued behind other URLs does not count. */
export class Deadline {
  private readonly controller = new AbortController();
  private timer?: NodeJS.Timeout;
  private endsAt = Number.POSITIVE_INFINITY;

  constructor(private readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    if (this.timer) return;
    this.endsAt = Date.now() + this.ms;
    this.timer = setTimeout(() => {
      this.controller.abort(new UrlFailure('timeout', `gave up after the ${this.ms} ms deadline`));
    }, this.ms);
    this.timer.unref();
  }

  remaining(): number {
    return Math.max(0, this.endsAt - Date.now());
  }

  /** Waits, or throws the deadline's timeout failure when it passes first. */
  async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, this.signal);
    } catch (error) {
      throw this.signal.aborted ? this.signal.reason : error;
    }
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
