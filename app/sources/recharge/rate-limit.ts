/**
 * Client-side pacing for Recharge's API, per API token.
 *
 * Recharge meters each token with a "leaky bucket": every request adds one, the bucket
 * drains 2 a second, and a request that finds it full (40) is answered 429
 * (docs.getrecharge.com/docs/api-rate-limits). Recharge sends no rate-limit header, so
 * the client keeps its own copy of the bucket and waits before a request would overflow
 * it: an import then runs at the drain rate and never earns a 429 in normal operation.
 *
 * The copy is per process and holds nothing but a level and a time per token (keyed by a
 * hash, never the token itself): it is pacing, not truth. A new process starts with an
 * empty copy while Recharge's bucket may be full; several processes using one token each
 * pace themselves and together can overflow it. Both come back as 429s, and a 429 tells
 * the copy the bucket is full (`markFull`), so it re-synchronises after one refusal; the
 * client (api.server.ts) waits and retries them. `headroom` keeps a few requests of
 * margin for arrival jitter.
 */
import { createHash } from "node:crypto";

export interface LeakyBucketLimit {
  /** Requests the bucket holds before Recharge answers 429. */
  size: number;
  /** Requests drained per second. */
  leakPerSecond: number;
}

/** Recharge's default for a token. Plans and newer tokens may have more; pacing to the default is safe for all. */
export const RECHARGE_RATE_LIMIT: LeakyBucketLimit = { size: 40, leakPerSecond: 2 };

/** One token's bucket as this process last knew it. Pure: the time is passed in. */
export class LeakyBucket {
  private level = 0;
  private last: number;
  constructor(
    private readonly limit: LeakyBucketLimit,
    now: number,
    private readonly headroom = 2,
  ) {
    this.last = now;
  }

  private drain(now: number): void {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    this.level = Math.max(0, this.level - elapsed * this.limit.leakPerSecond);
  }

  /** Counts a request and returns 0, or returns the ms until one fits (counting nothing). */
  take(now: number): number {
    this.drain(now);
    const ceiling = Math.max(1, this.limit.size - this.headroom);
    if (this.level + 1 <= ceiling) {
      this.level += 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((this.level + 1 - ceiling) / this.limit.leakPerSecond) * 1000));
  }

  /** Recharge refused a request: its bucket is full, whatever this copy thought. */
  markFull(now: number): void {
    this.drain(now);
    this.level = this.limit.size;
  }

  levelAt(now: number): number {
    this.drain(now);
    return this.level;
  }
}

export interface RechargePacer {
  /** Resolves when a request with `token` may be sent (and counts it). */
  acquire(token: string): Promise<void>;
  /** Recharge answered 429 to `token`: wait for its bucket to drain before the next request. */
  markFull(token: string): void;
  /** Milliseconds spent waiting so far (for benchmarks and logs). */
  waitedMs(): number;
}

export interface PacerOptions {
  limit?: LeakyBucketLimit;
  headroom?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const keyOf = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 32);

export function createRechargePacer(options: PacerOptions = {}): RechargePacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = options.limit ?? RECHARGE_RATE_LIMIT;
  const buckets = new Map<string, LeakyBucket>();
  let waited = 0;
  const bucketOf = (token: string) => {
    const key = keyOf(token);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(limit, now(), options.headroom);
      buckets.set(key, bucket);
    }
    return bucket;
  };
  return {
    async acquire(token) {
      const bucket = bucketOf(token);
      for (;;) {
        const wait = bucket.take(now());
        if (wait === 0) return;
        waited += wait;
        await sleep(wait);
      }
    },
    markFull(token) {
      bucketOf(token).markFull(now());
    },
    waitedMs: () => waited,
  };
}

declare global {
  // eslint-disable-next-line no-var
  var lifelineRechargePacer: RechargePacer | undefined;
}

/** The process's pacer: the import, webhook registration and connection tests of one token share its bucket. */
export function sharedRechargePacer(): RechargePacer {
  globalThis.lifelineRechargePacer ??= createRechargePacer();
  return globalThis.lifelineRechargePacer;
}
