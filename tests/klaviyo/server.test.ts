import { afterEach, describe, expect, it } from "vitest";
import { startKlaviyoServer, type KlaviyoServer } from "../../simulator/klaviyo-server";

const HEADERS = { Authorization: "Klaviyo-API-Key pk_test", revision: "2026-07-15", "Content-Type": "application/vnd.api+json" };
const body = (over: { uniqueId?: string; email?: string; time?: string } = {}) => ({
  data: {
    type: "event",
    attributes: {
      properties: { score: 40 },
      metric: { data: { type: "metric", attributes: { name: "Lifeline: At Risk" } } },
      profile: { data: { type: "profile", attributes: { email: over.email ?? "ada@example.com" } } },
      ...(over.uniqueId ? { unique_id: over.uniqueId } : {}),
      ...(over.time ? { time: over.time } : {}),
    },
  },
});

let sim: KlaviyoServer | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const post = (payload: unknown, headers: Record<string, string> = HEADERS) =>
  fetch(`${sim!.baseUrl}/api/events`, { method: "POST", headers, body: JSON.stringify(payload) });

describe("local Klaviyo server", () => {
  it("answers 202 with an empty body, 401 without a pk_ key, 400 with JSON:API errors", async () => {
    sim = await startKlaviyoServer();
    const ok = await post(body({ uniqueId: "u1" }));
    expect(ok.status).toBe(202);
    expect(await ok.text()).toBe("");

    const noKey = await post(body(), { ...HEADERS, Authorization: "Bearer abc" });
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).errors[0]).toMatchObject({ status: 401, code: "not_authenticated" });

    const bad = await post({ data: { type: "event", attributes: { properties: {}, metric: { data: { type: "metric", attributes: {} } } } } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({
      status: 400,
      code: "invalid",
      title: "Invalid input.",
      source: { pointer: "/data/attributes/metric/data/attributes/name" },
    });

    const noRevision = await post(body(), { Authorization: HEADERS.Authorization });
    expect(noRevision.status).toBe(400);

    const accounts = await fetch(`${sim.baseUrl}/api/accounts`, { headers: HEADERS });
    expect((await accounts.json()).data[0]).toMatchObject({ type: "account", id: "SimAcct" });
    expect(sim.requests.map((r) => r.status)).toEqual([202, 401, 400, 400, 200]);
    expect(JSON.stringify(sim.requests)).not.toContain("pk_test");
  });

  it("dedupes by profile + metric + unique_id, and by time to the second without one", async () => {
    sim = await startKlaviyoServer();
    await post(body({ uniqueId: "u1" }));
    await post(body({ uniqueId: "u1", email: "ADA@example.com" }));
    await post(body({ uniqueId: "u1", email: "bob@example.com" }));
    await post(body({ time: "2025-06-02T12:00:00.100Z" }));
    await post(body({ time: "2025-06-02T12:00:00.900Z" }));
    expect(sim.events.map((e) => [e.profile.email, e.uniqueId])).toEqual([
      ["ada@example.com", "u1"],
      ["bob@example.com", "u1"],
      ["ada@example.com", "2025-06-02T12:00:00"],
    ]);
    expect(sim.duplicates).toHaveLength(2);
  });

  it("rate limits events at 350 per second burst by default, with Retry-After", async () => {
    let now = 1_000_000;
    sim = await startKlaviyoServer({ clock: () => now });
    const statuses: number[] = [];
    for (let i = 0; i < 351; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, 351 - i) }, (_, j) => post(body({ uniqueId: `b${i + j}` }))),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(350);
    const limited = await post(body({ uniqueId: "late" }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    now += 1000; // a second later the burst bucket has refilled
    expect((await post(body({ uniqueId: "later" }))).status).toBe(202);
  });

  it("applies the steady per-minute limit too", async () => {
    let now = 0;
    sim = await startKlaviyoServer({ clock: () => now, rateLimits: { events: { burstPerSecond: 10, steadyPerMinute: 12 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await post(body({ uniqueId: `s${i}` }))).status);
      now += 200; // 5/s: under the burst limit, over 12/min
    }
    expect(statuses.slice(0, 12).every((s) => s === 202)).toBe(true);
    const limited = await post(body({ uniqueId: "x" }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("injects failures: next N, a failure rate, an outage window", async () => {
    let now = 0;
    sim = await startKlaviyoServer({ clock: () => now });
    sim.failNext(2, 502);
    expect((await post(body({ uniqueId: "1" }))).status).toBe(502);
    expect((await post(body({ uniqueId: "2" }))).status).toBe(502);
    expect((await post(body({ uniqueId: "3" }))).status).toBe(202);

    const seq = [0.1, 0.9];
    sim.setFailureRate(0.5, 500, () => seq.shift() ?? 0.9);
    expect((await post(body({ uniqueId: "4" }))).status).toBe(500);
    expect((await post(body({ uniqueId: "5" }))).status).toBe(202);
    sim.setFailureRate(0);

    sim.outage(5_000);
    expect((await post(body({ uniqueId: "6" }))).status).toBe(503);
    now += 5_001;
    expect((await post(body({ uniqueId: "7" }))).status).toBe(202);
    sim.outage(5_000, "reset");
    await expect(post(body({ uniqueId: "8" }))).rejects.toThrow();
    expect(sim.events.map((e) => e.uniqueId)).toEqual(["3", "5", "7"]);
  });
});
