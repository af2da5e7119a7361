import { describe, expect, it } from "vitest";
import { DualTokenBucket, KLAVIYO_LIMITS, createKlaviyoRateLimiter } from "~/plays/klaviyo/rate-limit.server";

/** A limiter whose sleeping just moves a fake clock, so a minute of pacing takes no time. */
function pacedLimiter(safety = 1) {
  let now = 0;
  const limiter = createKlaviyoRateLimiter({ safety, now: () => now, sleep: async (ms) => void (now += ms) });
  return { limiter, elapsed: () => now };
}

describe("Klaviyo rate limiting on our side", () => {
  it("a bucket gives the burst at once, then one token per 1/rate seconds", () => {
    const bucket = new DualTokenBucket({ burstPerSecond: 350, steadyPerMinute: 3500 }, 0);
    for (let i = 0; i < 350; i++) expect(bucket.take(0)).toBe(0);
    const wait = bucket.take(0);
    expect(wait).toBe(Math.ceil(1000 / 350));
    expect(bucket.take(wait)).toBe(0);
  });

  it("events: the first 350 go out within the second, and a minute carries at most burst + steady", async () => {
    const { limiter, elapsed } = pacedLimiter();
    for (let i = 0; i < 350; i++) await limiter.acquire("a.myshopify.com", "events");
    expect(elapsed()).toBe(0);
    let sent = 350;
    while (elapsed() < 60_000) {
      await limiter.acquire("a.myshopify.com", "events");
      sent++;
    }
    // The steady bucket starts full (3,500) and refills 3,500 per minute.
    expect(sent).toBeLessThanOrEqual(3500 + 3500 + 1);
    expect(sent).toBeGreaterThan(3500);
  });

  it("after the initial allowance, events are paced at the steady 3,500 per minute", async () => {
    const { limiter, elapsed } = pacedLimiter();
    while (elapsed() < 60_000) await limiter.acquire("a.myshopify.com", "events"); // use up the allowances
    const start = elapsed();
    for (let i = 0; i < 3500; i++) await limiter.acquire("a.myshopify.com", "events");
    const perMinute = (3500 / (elapsed() - start)) * 60_000;
    expect(perMinute).toBeGreaterThan(3400);
    expect(perMinute).toBeLessThanOrEqual(3500 * 1.01);
  });

  it("profiles have their own, lower limits", async () => {
    const { limiter, elapsed } = pacedLimiter();
    for (let i = 0; i < KLAVIYO_LIMITS.profiles.burstPerSecond; i++) await limiter.acquire("a.myshopify.com", "profiles");
    expect(elapsed()).toBe(0);
    await limiter.acquire("a.myshopify.com", "profiles");
    expect(elapsed()).toBeGreaterThan(0);
    await limiter.acquire("a.myshopify.com", "events"); // events are not held back by profiles
  });

  it("each shop has its own budget", async () => {
    const { limiter, elapsed } = pacedLimiter();
    for (let i = 0; i < 350; i++) await limiter.acquire("a.myshopify.com", "events");
    for (let i = 0; i < 350; i++) await limiter.acquire("b.myshopify.com", "events");
    expect(elapsed()).toBe(0);
  });

  it("by default runs a little under the published limits", async () => {
    let now = 0;
    const limiter = createKlaviyoRateLimiter({ now: () => now, sleep: async (ms) => void (now += ms) });
    let n = 0;
    while (now === 0) {
      await limiter.acquire("a.myshopify.com", "events");
      n++;
    }
    expect(n - 1).toBeLessThan(350);
    expect(n - 1).toBeGreaterThan(330);
  });
});
