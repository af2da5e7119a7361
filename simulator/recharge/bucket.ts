/**
 * Recharge's rate limit as its server applies it: a leaky bucket per API token. Each
 * request adds one, the bucket drains at a steady rate, and a request that finds it full
 * is refused (429) (docs.getrecharge.com/docs/api-rate-limits); a refused request is not
 * counted here, which Recharge does not document either way.
 * The peak is kept so tests can assert a client never filled it past its size.
 */
export interface LeakyLimit {
  size: number;
  leakPerSecond: number;
}

export const RECHARGE_DEFAULT_LIMIT: LeakyLimit = { size: 40, leakPerSecond: 2 };

export class Bucket {
  level = 0;
  peak = 0;
  private last: number;
  constructor(
    private readonly limit: LeakyLimit,
    now: number,
  ) {
    this.last = now;
  }
  /** Counts the request, or refuses it when the bucket is full. */
  admit(now: number): boolean {
    this.level = Math.max(0, this.level - (Math.max(0, now - this.last) / 1000) * this.limit.leakPerSecond);
    this.last = Math.max(this.last, now);
    if (this.level + 1 > this.limit.size) return false;
    this.level += 1;
    this.peak = Math.max(this.peak, this.level);
    return true;
  }
}

