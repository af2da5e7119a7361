/**
 * Client-side pacing for Klaviyo, per shop (each shop is its own Klaviyo account).
 *
 * Klaviyo enforces two windows per endpoint, a per-second burst and a per-minute
 * steady rate; going over earns 429s. Relying on 429s would mean every large firing
 * run hammers the API and waits out Retry-After, so the plays worker takes a token
 * from the same two buckets before each call. The buckets run a little under the
 * published limits (`safety`), because requests arrive at Klaviyo with jitter and
 * Klaviyo's buckets do not reset when this process restarts.
 */

export interface RateLimit {
  burstPerSecond: number;
  steadyPerMinute: number;
}

export type KlaviyoEndpoint = "events" | "profiles";

/** Klaviyo's published limits for Create Event and profile writes. */
export const KLAVIYO_LIMITS: Record<KlaviyoEndpoint, RateLimit> = {
  events: { burstPerSecond: 350, steadyPerMinute: 3500 },
  profiles: { burstPerSecond: 75, steadyPerMinute: 700 },
};

/** Two token buckets; a request needs a token from both. */
export class DualTokenBucket {
  private burst: number;
  private steady: number;
  private last: number;
  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.burst = limit.burstPerSecond;
    this.steady = limit.steadyPerMinute;
    this.last = now;
  }

  /** Takes a token and returns 0, or returns how many ms until one is free (taking nothing). */
  take(now: number): number {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    const { burstPerSecond: b, steadyPerMinute: s } = this.limit;
    this.burst = Math.min(b, this.burst + elapsed * b);
    this.steady = Math.min(s, this.steady + (elapsed * s) / 60);
    if (this.burst >= 1 && this.steady >= 1) {
      this.burst -= 1;
      this.steady -= 1;
      return 0;
    }
    const waitBurst = this.burst >= 1 ? 0 : (1 - this.burst) / b;
    const waitSteady = this.steady >= 1 ? 0 : ((1 - this.steady) * 60) / s;
    return Math.max(1, Math.ceil(Math.max(waitBurst, waitSteady) * 1000));
  }
}

export interface RateLimiterOptions {
  limits?: Partial<Record<KlaviyoEndpoint, RateLimit>>;
  /** Fraction of the published limits to use; default 0.97. */
  safety?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface KlaviyoRateLimiter {
  /** Resolves when a call to `endpoint` for `shop` may be made (and counts it). */
  acquire(shop: string, endpoint: KlaviyoEndpoint): Promise<void>;
  /** Milliseconds spent waiting for tokens so far (for benchmarks and logs). */
  waitedMs(): number;
}

export function createKlaviyoRateLimiter(options: RateLimiterOptions = {}): KlaviyoRateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const safety = options.safety ?? 0.97;
  const limits = { ...KLAVIYO_LIMITS, ...options.limits };
  const buckets = new Map<string, DualTokenBucket>();
  let waited = 0;

  const scaled = (l: RateLimit): RateLimit => ({
    burstPerSecond: Math.max(1, Math.floor(l.burstPerSecond * safety)),
    steadyPerMinute: Math.max(1, Math.floor(l.steadyPerMinute * safety)),
  });

  return {
    async acquire(shop, endpoint) {
      const id = `${shop}\u0000${endpoint}`;
      let bucket = buckets.get(id);
      if (!bucket) {
        bucket = new DualTokenBucket(scaled(limits[endpoint]), now());
        buckets.set(id, bucket);
      }
      for (;;) {
        const wait = bucket.take(now());
        if (wait === 0) return;
        waited += wait;
        await sleep(wait);
      }
    },
    waitedMs: () => waited,
  };
}

declare global {
  // eslint-disable-next-line no-var
  var lifelineKlaviyoLimiter: KlaviyoRateLimiter | undefined;
}

/**
 * The process's limiter: the plays worker and test sends share one budget per shop.
 * Per process by design: it paces calls and holds no shop data, so nothing in it goes
 * stale; with several workers each paces itself, and what their sum goes over comes
 * back as 429s, which the deliveries retry when Retry-After says (app/plays/deliver.server.ts).
 */
export function sharedKlaviyoRateLimiter(): KlaviyoRateLimiter {
  globalThis.lifelineKlaviyoLimiter ??= createKlaviyoRateLimiter();
  return globalThis.lifelineKlaviyoLimiter;
}
