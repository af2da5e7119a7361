import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { classifyError, sendEvent, updateProfileProperties, validateKey, type KlaviyoResult } from "~/plays/klaviyo/client.server";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";

const KEY = "pk_0123456789abcdef0123456789abcdef01";
const event = (uniqueId = "lifeline:skip-streak:4242:1748865600000") => ({
  metric: "Lifeline: Skip Streak",
  email: "ada@example.com",
  properties: { score: 41, band: "at_risk", skip_count: 2, reasons: ["Skipped 2 deliveries in a row"] },
  uniqueId,
  time: new Date("2025-06-02T12:00:00Z"),
});

let sim: KlaviyoServer;
let opts: { basePath: string; timeoutMs: number };
/** Every non-ok result seen, to check none of them leaks the key. */
const failures: unknown[] = [];
const record = <T extends KlaviyoResult | { ok: boolean }>(r: T): T => {
  if (!r.ok) failures.push(r);
  return r;
};

beforeAll(async () => {
  sim = await startKlaviyoServer({ keys: { [KEY]: ["events:write", "profiles:write", "accounts:read"], pk_eventsonly: ["events:write"] } });
  opts = { basePath: sim.baseUrl, timeoutMs: 2000 };
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => sim.reset());

describe("sendEvent against the local Klaviyo", () => {
  it("delivers metric name, profile, properties, unique_id and time", async () => {
    expect(await sendEvent(KEY, event(), opts)).toEqual({ ok: true });
    expect(sim.events).toEqual([
      {
        metric: "Lifeline: Skip Streak",
        profile: { email: "ada@example.com" },
        properties: event().properties,
        uniqueId: "lifeline:skip-streak:4242:1748865600000",
        time: "2025-06-02T12:00:00.000Z",
      },
    ]);
    const req = sim.requests[0]!;
    expect(req).toMatchObject({ method: "POST", path: "/api/events", authorized: true, status: 202 });
    expect(req.revision).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it("sending the same uniqueId twice stores one event", async () => {
    expect((await sendEvent(KEY, event("same"), opts)).ok).toBe(true);
    expect((await sendEvent(KEY, event("same"), opts)).ok).toBe(true);
    expect(sim.events).toHaveLength(1);
    expect(sim.duplicates).toHaveLength(1);
    await sendEvent(KEY, event("other"), opts);
    expect(sim.events).toHaveLength(2);
  });

  it("a 429 is retryable with retryAfterMs from Retry-After, without the SDK sleeping", async () => {
    sim.failNext(1, 429); // the server answers Retry-After: 1
    const started = Date.now();
    const r = record(await sendEvent(KEY, event("b"), opts));
    expect(Date.now() - started).toBeLessThan(500);
    expect(r).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterMs: 1000 });
    expect(sim.requests).toHaveLength(1); // exactly one attempt
  });

  it("the server's own rate limiter produces the same retryable 429", async () => {
    // One per second burst, one per minute steady: the second event must wait most of a minute.
    sim.setRateLimit("events", { burstPerSecond: 1, steadyPerMinute: 1 });
    try {
      expect((await sendEvent(KEY, event("a"), opts)).ok).toBe(true);
      const r = record(await sendEvent(KEY, event("b"), opts));
      expect(r).toMatchObject({ ok: false, retryable: true, status: 429 });
      const ms = r.ok === false && r.retryable ? r.retryAfterMs : undefined;
      expect(ms).toBeGreaterThanOrEqual(50_000);
      expect(ms).toBeLessThanOrEqual(60_000);
    } finally {
      sim.setRateLimit("events", { burstPerSecond: 350, steadyPerMinute: 3500 });
    }
  });

  it("a 500 is retryable and tried once", async () => {
    sim.failNext(1, 500);
    const r = record(await sendEvent(KEY, event(), opts));
    expect(r).toMatchObject({ ok: false, retryable: true, status: 500 });
    expect(sim.requests).toHaveLength(1);
    expect((await sendEvent(KEY, event(), opts)).ok).toBe(true);
  });

  it("an outage (503 or dropped connections) is retryable", async () => {
    sim.outage(60_000);
    expect(record(await sendEvent(KEY, event(), opts))).toMatchObject({ ok: false, retryable: true, status: 503 });
    sim.outage(60_000, "reset");
    const r = record(await sendEvent(KEY, event(), opts));
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok === false && r.message).toMatch(/^Network error talking to Klaviyo/);
  });

  it("a bad key is a non-retryable 401; a malformed one is refused without a request", async () => {
    const r = record(await sendEvent("pk_revoked000000000000", event(), opts));
    expect(r).toEqual({ ok: false, retryable: false, status: 401, message: expect.stringContaining("401") });
    const before = sim.requests.length;
    expect(record(await sendEvent("sk_" + KEY, event(), opts))).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(sim.requests.length).toBe(before);
  });

  it("an invalid body is a non-retryable 400 carrying Klaviyo's detail", async () => {
    const r = record(await sendEvent(KEY, { ...event(), email: "not-an-email" }, opts));
    expect(r).toEqual({ ok: false, retryable: false, status: 400, message: "Klaviyo refused the request (400): Invalid email address." });
  });
});

describe("profiles and key validation", () => {
  it("updates profile properties, merging with earlier ones", async () => {
    expect(await updateProfileProperties(KEY, "Ada@Example.com", { lifeline_score: 41 }, opts)).toEqual({ ok: true });
    expect(await updateProfileProperties(KEY, "ada@example.com", { lifeline_band: "at_risk" }, opts)).toEqual({ ok: true });
    expect(sim.profiles.get("ada@example.com")?.properties).toEqual({ lifeline_score: 41, lifeline_band: "at_risk" });
  });

  it("validateKey: ok with the account, 401 and 403 with a merchant-facing error", async () => {
    expect(await validateKey(KEY, opts)).toEqual({ ok: true, accountId: "SimAcct", organizationName: "Simulated Store" });
    const bad = record(await validateKey("pk_wrong", opts));
    expect(bad).toEqual({ ok: false, retryable: false, status: 401, error: expect.stringMatching(/rejected this API key/) });
    const scoped = record(await validateKey("pk_eventsonly", opts));
    expect(scoped).toMatchObject({ ok: false, retryable: false, status: 403 });
    sim.failNext(1, 503);
    expect(record(await validateKey(KEY, opts))).toMatchObject({ ok: false, retryable: true });
  });
});

describe("secrecy", () => {
  it("no returned error ever contains the API key", () => {
    expect(failures.length).toBeGreaterThan(8);
    const text = JSON.stringify(failures);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("pk_revoked");
    expect(text).not.toContain("pk_wrong");
  });

  it("scrubs a key a server echoes back in an error body", () => {
    const echoed = { response: { status: 400, headers: {}, data: { errors: [{ detail: `Bad key ${KEY} and pk_other123` }] } } };
    const r = classifyError(echoed, KEY);
    expect(r).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(JSON.stringify(r)).not.toContain("pk_other123");
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2025-06-02T12:00:00Z");
    const at = (h: string) => classifyError({ response: { status: 429, headers: { "retry-after": h } } }, KEY, now);
    expect(at("3")).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(at("Mon, 02 Jun 2025 12:00:05 GMT")).toMatchObject({ retryable: true, retryAfterMs: 5000 });
    expect(at("soon")).not.toHaveProperty("retryAfterMs");
  });
});
